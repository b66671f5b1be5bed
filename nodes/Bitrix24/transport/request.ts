import { NodeApiError, type IDataObject, type IHttpRequestOptions } from 'n8n-workflow';

import { backoffDelay } from '../../shared/rateLimit';
import {
	cancelSignalOf,
	connectionFailureOf,
	mayHaveBeenProcessed,
	pauseUnlessCancelled,
} from '../../shared/transportFailures';
import {
	bitrix24ApiError,
	bitrix24ConfigError,
	classifyResponse,
	parseBody,
	redact,
	type Bitrix24ErrorBody,
	type Failure,
	type RawResponse,
} from './errors';
import { operatingTimeGuard, PLAN_LIMITS, portalBucket, type Bitrix24Time } from './limits';
import { requiresApplicationContext } from './methods';
import type { Bitrix24Connection, Bitrix24Context } from './connection';

/** A successful Bitrix24 answer (bitrix24-api.md §2). */
export interface Bitrix24Envelope {
	result: unknown;
	total?: number;
	next?: number;
	time?: Bitrix24Time;
	[key: string]: unknown;
}

/** How often each kind of failure is retried before the call fails. */
export const RETRY_LIMITS = { queryLimit: 8, operatingLimit: 3, uncertain: 3 };
/** No single wait is longer than the server's operating window (§3.2). */
const MAX_SINGLE_WAIT_MS = 10 * 60 * 1000;

export interface SendOptions {
	/** Repeating is harmless (a read, or a batch of reads): 5xx and dropped connections are retried. */
	idempotent: boolean;
	/** Methods whose operating-time budget this request spends (the batch's sub-methods for `batch`). */
	budgetMethods: string[];
	itemIndex?: number;
}

type Attempt = RawResponse | { transportError: string };

/**
 * Waits up to MAX_SINGLE_WAIT_MS and gives way to a cancelled execution, so it does not sit out a
 * ten-minute operating-time wait (the next request then fails on n8n's cancel signal).
 */
async function pause(this: Bitrix24Context, ms: number): Promise<void> {
	await pauseUnlessCancelled(
		Math.min(ms, MAX_SINGLE_WAIT_MS),
		cancelSignalOf(this),
		async (slice) => await operatingTimeGuard.sleep(slice),
	);
}

/** Finds the HTTP response inside whatever n8n threw (its NodeApiError wraps the axios error). */
function responseInside(error: unknown): RawResponse | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth++) {
		const response = (current as { response?: { status?: unknown; data?: unknown } }).response;
		if (response && typeof response.status === 'number') return { statusCode: response.status, body: response.data };
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

async function attemptOnce(
	this: Bitrix24Context,
	connection: Bitrix24Connection,
	method: string,
	params: IDataObject,
	itemIndex: number | undefined,
): Promise<Attempt> {
	const request: IHttpRequestOptions = {
		// Always POST with a JSON body: GET leaks parameters into logs and hits URL limits (§1.1).
		method: 'POST',
		url: connection.methodUrl(method),
		body: JSON.stringify(params),
		headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
		returnFullResponse: true,
		// OAuth2: n8n refreshes the token only when the request throws a 401 (n8n-core
		// requestOAuth2), and Bitrix24 signals an expired token with 401 expired_token (§1.2).
		ignoreHttpStatusErrors: connection.authentication === 'oAuth2' ? { ignore: true, except: [401] } : true,
	};
	try {
		const response = (await this.helpers.httpRequestWithAuthentication.call(
			this,
			connection.credentialType,
			request,
		)) as { statusCode: number; body: unknown };
		return { statusCode: response.statusCode, body: response.body };
	} catch (error) {
		const response = responseInside(error);
		if (response) return response;
		// A cancelled request is no lost answer: it ends the call like any other non-HTTP error.
		const failure = connectionFailureOf(error);
		if (failure && failure.kind !== 'cancelled') return { transportError: failure.code };
		// Not an HTTP answer: a credential that cannot be used, a refresh the token server refused…
		// Rebuilt from its text only: the original carries the request (and the webhook URL).
		const original = error as { message?: string; description?: string };
		throw new NodeApiError(
			this.getNode(),
			{ method },
			{
				message: redact(original.message ?? 'Bitrix24 request failed', connection.secrets),
				description: original.description ? redact(original.description, connection.secrets) : undefined,
				itemIndex,
			},
		);
	}
}

function failureOf(attempt: Attempt): Failure | undefined {
	if ('transportError' in attempt) {
		return {
			kind: 'transport',
			statusCode: 0,
			// The code stays out of the text: n8n would swap a message naming ECONNRESET for its own.
			error: {
				error: attempt.transportError,
				description: 'The connection to Bitrix24 failed before an answer arrived',
			},
		};
	}
	return classifyResponse(attempt);
}

function budgetKey(connection: Bitrix24Connection, method: string): string {
	return `${connection.identity}|${method.toLowerCase()}`;
}

/**
 * After an OPERATION_TIME_LIMIT refusal: waits until the oldest slice of the methods' budgets
 * leaves the server's window (`operating_reset_at`, from the refusal or the last answer), or, when
 * that moment is unknown or already past, backs off (at least 1 s, then up to 2 s, 4 s, … a minute).
 */
export async function waitForOperatingBudget(
	this: Bitrix24Context,
	connection: Bitrix24Connection,
	methods: string[],
	attempt: number,
	refusalBody?: unknown,
): Promise<void> {
	const fallback = backoffDelay(attempt, { baseMs: 2000, maxMs: 60_000, floorMs: 1000 });
	const waits = [...new Set(methods)].map((method) =>
		operatingTimeGuard.delayAfterRefusal(budgetKey(connection, method), refusalBody, fallback),
	);
	await pause.call(this, Math.max(0, ...waits));
}

/** Batch sub-calls spend their own methods' budgets and report it in `result_time` (§3.2, §3.3). */
export function recordOperatingTime(connection: Bitrix24Connection, method: string, time: unknown): void {
	operatingTimeGuard.record(budgetKey(connection, method), time);
}

export function assertCallableWith(
	this: Bitrix24Context,
	connection: Bitrix24Connection,
	methods: string[],
	itemIndex?: number,
): void {
	if (connection.authentication !== 'webhook') return;
	const appOnly = methods.find(requiresApplicationContext);
	if (!appOnly) return;
	throw bitrix24ConfigError(
		this.getNode(),
		`The Bitrix24 method ${appOnly} needs an OAuth2 local-application credential`,
		'Incoming webhooks cannot call methods that need application context (placements, event binding, automation triggers and robots). Create a local application in Bitrix24, add a "Bitrix24 OAuth2 API" credential for it and set Authentication to OAuth2.',
		connection.secrets,
		itemIndex,
	);
}

export type SendOutcome =
	| { ok: true; envelope: Bitrix24Envelope }
	| { ok: false; statusCode: number; error: Bitrix24ErrorBody; note?: string; uncertain?: boolean };

const MAYBE_PERFORMED_NOTE = mayHaveBeenProcessed('Bitrix24');

/**
 * One Bitrix24 request with the portal's leaky bucket, the per-method operating-time budget and
 * the retry rules (ARCHITECTURE.md "Retries"): refusals by either limit were not performed and are
 * repeated for every method; 5xx and dropped connections only for idempotent requests.
 * Resolves with the final failure instead of throwing it, so a batch can report it per command.
 */
export async function trySendRequest(
	this: Bitrix24Context,
	connection: Bitrix24Connection,
	method: string,
	params: IDataObject,
	options: SendOptions,
): Promise<SendOutcome> {
	const bucket = portalBucket(connection.host, connection.plan);
	const guard = operatingTimeGuard;
	const budgetKeys = [...new Set(options.budgetMethods.map((m) => budgetKey(connection, m)))];
	const retries = { queryLimit: 0, operatingLimit: 0, uncertain: 0 };

	for (;;) {
		const budgetWait = Math.max(
			0,
			...budgetKeys.map((key) => guard.delayBeforeCall(key, connection.operatingLimitSeconds)),
		);
		if (budgetWait > 0) await pause.call(this, budgetWait);
		await bucket.take();

		const attempt = await attemptOnce.call(this, connection, method, params, options.itemIndex);
		const failure = failureOf(attempt);
		if (!failure) {
			const envelope = parseBody((attempt as RawResponse).body) as Bitrix24Envelope;
			if (method !== 'batch') guard.record(budgetKey(connection, method), envelope.time);
			return { ok: true, envelope };
		}
		const giveUp = { ok: false as const, statusCode: failure.statusCode, error: failure.error };

		switch (failure.kind) {
			case 'queryLimit': {
				if (retries.queryLimit++ >= RETRY_LIMITS.queryLimit) return giveUp;
				// Our estimate of the portal's bucket was too generous (another client shares it).
				bucket.refused();
				const drainMs = 1000 / PLAN_LIMITS[connection.plan].drainPerSecond;
				await pause.call(
					this,
					backoffDelay(retries.queryLimit - 1, { baseMs: drainMs, maxMs: 30_000, floorMs: drainMs }),
				);
				break;
			}
			case 'operatingLimit': {
				if (retries.operatingLimit >= RETRY_LIMITS.operatingLimit) return giveUp;
				await waitForOperatingBudget.call(
					this,
					connection,
					options.budgetMethods,
					retries.operatingLimit++,
					failure.body,
				);
				break;
			}
			case 'server':
			case 'transport': {
				// The answer was lost, not the request refused: the caller settles it by reading back.
				if (!options.idempotent) return { ...giveUp, note: MAYBE_PERFORMED_NOTE, uncertain: true };
				if (retries.uncertain++ >= RETRY_LIMITS.uncertain) return giveUp;
				await pause.call(this, backoffDelay(retries.uncertain - 1, { baseMs: 500, maxMs: 8_000, floorMs: 100 }));
				break;
			}
			case 'rejected':
				return giveUp;
		}
	}
}

/** `trySendRequest` that throws the final failure as a secret-free NodeApiError. */
export async function sendRequest(
	this: Bitrix24Context,
	connection: Bitrix24Connection,
	method: string,
	params: IDataObject,
	options: SendOptions,
): Promise<Bitrix24Envelope> {
	const outcome = await trySendRequest.call(this, connection, method, params, options);
	if (outcome.ok) return outcome.envelope;
	const errorContext = { node: this.getNode(), method, secrets: connection.secrets, itemIndex: options.itemIndex };
	const error = bitrix24ApiError(errorContext, outcome.statusCode, outcome.error, outcome.note);
	// A single write whose answer was lost: the caller settles it by reading back (settleUncertain.ts).
	throw outcome.uncertain ? Object.assign(error, { bitrix24UncertainWrite: method }) : error;
}

/** The method of a single write whose answer was lost, when `error` is one. */
export function uncertainWriteOf(error: unknown): string | undefined {
	const method =
		typeof error === 'object' && error !== null
			? (error as { bitrix24UncertainWrite?: unknown }).bitrix24UncertainWrite
			: undefined;
	return typeof method === 'string' ? method : undefined;
}
