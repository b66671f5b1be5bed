import { createHash } from 'crypto';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestMethods,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INode,
} from 'n8n-workflow';

import { backoffDelay, sharedBucket } from '../../shared/rateLimit';
import {
	cancelSignalOf,
	connectionFailureOf,
	mayHaveBeenProcessed,
	pauseUnlessCancelled,
	type ConnectionFailureKind,
} from '../../shared/transportFailures';
import { describeErrorBody, lexofficeApiError, lexofficeConnectionError, RATE_LIMIT_ADVICE } from './errors';
import { toQueryString, type Query } from './encoding';

export const LEXOFFICE_CREDENTIAL_TYPE = 'lexofficeApi';
export const DEFAULT_LEXOFFICE_HOST = 'https://api.lexware.io';

export interface LexofficeCredentials {
	apiKey: string;
	host?: string;
	appUrl?: string;
	webhookPublicKey?: string;
	/** LexOffice's request limit; the client paces at 90 % of it (default 2, lexoffice-api.md §2). */
	requestsPerSecond?: number;
	/** Requests sent at once (default 1). */
	burst?: number;
	/** Results one search serves at most (default 10,000, lexoffice-api.md §5). */
	searchWindow?: number;
}

/**
 * What the transport needs of an n8n context; IExecuteFunctions, ILoadOptionsFunctions,
 * IHookFunctions, IWebhookFunctions and IPollFunctions all provide it.
 */
export interface LexofficeContext {
	getNode(): INode;
	getCredentials<T extends object = ICredentialDataDecryptedObject>(type: string, itemIndex?: number): Promise<T>;
	helpers: {
		httpRequestWithAuthentication(credentialsType: string, requestOptions: IHttpRequestOptions): Promise<unknown>;
	};
}

export interface LexofficeRequestOptions {
	method?: IHttpRequestMethods;
	/** Path below the host, e.g. `/v1/contacts/{id}`; encode dynamic segments with encodeURIComponent. */
	path: string;
	qs?: Query;
	body?: IDataObject | IDataObject[];
	/** Accept header; default `application/json`. */
	accept?: string;
	/** Answer as bytes (file downloads) instead of JSON. */
	binary?: boolean;
}

export interface LexofficeFile {
	data: Buffer;
	mimeType?: string;
	fileName?: string;
}

export interface RateLimit {
	capacity: number;
	refillPerSecond: number;
}

/** LexOffice allows 2 requests per second per account, as a token bucket over all endpoints (lexoffice-api.md §2). */
export const LEXOFFICE_REQUESTS_PER_SECOND = 2;
/** How many requests we send at once; LexOffice's own burst is 2. */
export const LEXOFFICE_CLIENT_BURST = 1;
/** The share of the limit we pace at. */
const PACE = 0.9;

/**
 * The client-side limit, from the credential (its Requests per Second and Burst; defaults are the
 * published numbers). LexOffice warns that running at exactly the limit "will commonly result in
 * rate limited requests" because of network jitter. So: one request at a time, paced at 90 % of
 * the limit. Not bursting ourselves leaves LexOffice's burst of 2 free to absorb requests that
 * arrive bunched (a slow first connection, a busy event loop); with a burst of 2 on our side, one
 * late pair was enough to meet an empty bucket.
 */
export function lexofficeRateLimit(credentials: Pick<LexofficeCredentials, 'requestsPerSecond' | 'burst'>): RateLimit {
	const positive = (value: unknown, fallback: number) =>
		typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
	return {
		capacity: positive(credentials.burst, LEXOFFICE_CLIENT_BURST),
		refillPerSecond: positive(credentials.requestsPerSecond, LEXOFFICE_REQUESTS_PER_SECOND) * PACE,
	};
}

/** What a credential with the default settings gets: 1 request at a time, 1.8 per second. */
export const DEFAULT_LEXOFFICE_RATE_LIMIT: Readonly<RateLimit> = lexofficeRateLimit({});

/** Retry budget; bounded so a workflow never hangs on a broken account or host. */
export const RETRY_POLICY = {
	/** 429 (documented as not performed), and for idempotent methods a 500 "rate limit exceeded". */
	rateLimitedRetries: 8,
	rateLimitBackoff: { baseMs: 500, maxMs: 8_000, floorMs: 500 },
	/** Other 5xx, timeouts and dropped connections, for idempotent methods only. */
	failureRetries: 3,
	failureBackoff: { baseMs: 500, maxMs: 4_000, floorMs: 250 },
	/** Above LexOffice's 30 s gateway timeout, so we normally see its 504 instead of our own timeout. */
	timeoutMs: 60_000,
};

const IDEMPOTENT_METHODS = new Set<IHttpRequestMethods>(['GET', 'HEAD', 'DELETE']);

const MAY_HAVE_BEEN_PROCESSED = mayHaveBeenProcessed(
	'LexOffice',
	' (lexoffice-api.md §2: "it is possible that your request has been processed successfully")',
);

/**
 * The one place that talks HTTP to LexOffice: authentication (by n8n, from the credential),
 * the shared rate limit, retries of what is safe to retry, and LexOffice's errors as NodeApiError.
 * Returns the parsed JSON body (undefined for an empty answer), or a LexofficeFile for `binary`.
 */
export async function lexofficeRequest(this: LexofficeContext, options: LexofficeRequestOptions): Promise<unknown> {
	const response = await send.call(this, options);
	if (options.binary) return toFile(response);
	return response.body === '' ? undefined : response.body;
}

/** A file download (e.g. `GET /v1/invoices/{id}/file`, §4.3). */
export async function lexofficeDownload(
	this: LexofficeContext,
	options: Omit<LexofficeRequestOptions, 'binary' | 'body'>,
): Promise<LexofficeFile> {
	return toFile(await send.call(this, { ...options, accept: options.accept ?? '*/*', binary: true }));
}

async function send(this: LexofficeContext, options: LexofficeRequestOptions): Promise<IN8nHttpFullResponse> {
	const node = this.getNode();
	const credentials = await this.getCredentials<LexofficeCredentials>(LEXOFFICE_CREDENTIAL_TYPE);
	const secrets = [credentials.apiKey];
	const { capacity, refillPerSecond } = lexofficeRateLimit(credentials);
	const bucket = sharedBucket(bucketKey(credentials.apiKey), capacity, refillPerSecond);
	const method = options.method ?? 'GET';
	const idempotent = IDEMPOTENT_METHODS.has(method);
	const query = toQueryString(options.qs);
	const url = `${lexofficeBaseUrl(credentials)}${options.path}${query ? `?${query}` : ''}`;

	const cancelSignal = cancelSignalOf(this);
	let rateLimitedRetries = 0;
	let failureRetries = 0;
	for (;;) {
		if (cancelSignal?.aborted) throw lexofficeConnectionError(node, 'The request to LexOffice was cancelled');
		await bucket.take();
		let response: IN8nHttpFullResponse;
		try {
			response = (await this.helpers.httpRequestWithAuthentication.call(
				this,
				LEXOFFICE_CREDENTIAL_TYPE,
				requestOptions(method, url, options),
			)) as IN8nHttpFullResponse;
		} catch (error) {
			const failure = classifyFailure(error);
			if (failure === 'cancelled') throw lexofficeConnectionError(node, 'The request to LexOffice was cancelled');
			if (idempotent && failureRetries < RETRY_POLICY.failureRetries) {
				await pauseUnlessCancelled(backoffDelay(failureRetries++, RETRY_POLICY.failureBackoff), cancelSignal);
				continue;
			}
			throw connectionFailure(node, failure, idempotent);
		}

		const status = response.statusCode;
		if (status < 400) return response;

		// 429 was not performed (§2): safe to repeat for every method. A 500 saying "rate limit
		// exceeded" is the gateway's generic 500 text too ("Internal server error or rate limit
		// exceeded", §7.2), so it may have been performed: repeated only for idempotent methods,
		// never for a POST that could create a second numbered invoice.
		if (status === 429 || (idempotent && isRateLimited(status, response.body))) {
			// Our bucket was too optimistic (someone else uses the same key): start from empty.
			bucket.refused();
			if (rateLimitedRetries < RETRY_POLICY.rateLimitedRetries) {
				await pauseUnlessCancelled(backoffDelay(rateLimitedRetries++, RETRY_POLICY.rateLimitBackoff), cancelSignal);
				continue;
			}
			throw lexofficeApiError(node, status, response.body, secrets, RATE_LIMIT_ADVICE);
		}

		if (status >= 500) {
			if (idempotent && failureRetries < RETRY_POLICY.failureRetries) {
				await pauseUnlessCancelled(backoffDelay(failureRetries++, RETRY_POLICY.failureBackoff), cancelSignal);
				continue;
			}
			// A POST/PUT answered 5xx may have been carried out (504: the gateway gave up after 30 s, §2, §7.1).
			if (!idempotent)
				throw markUncertain(lexofficeApiError(node, status, response.body, secrets, MAY_HAVE_BEEN_PROCESSED));
		}
		throw lexofficeApiError(node, status, response.body, secrets);
	}
}

function requestOptions(
	method: IHttpRequestMethods,
	url: string,
	options: LexofficeRequestOptions,
): IHttpRequestOptions {
	// A fresh object per attempt: n8n's authenticate writes the Authorization header into it.
	return {
		method,
		url,
		headers: {
			Accept: options.accept ?? 'application/json',
			...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
		},
		...(options.body !== undefined ? { body: options.body } : {}),
		...(options.binary ? { encoding: 'arraybuffer' as const, json: false } : { json: true }),
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: RETRY_POLICY.timeoutMs,
	};
}

/** The credential's host without trailing slashes (default https://api.lexware.io, §1.1). */
export function lexofficeBaseUrl(credentials: Pick<LexofficeCredentials, 'host'>): string {
	return (credentials.host?.trim() || DEFAULT_LEXOFFICE_HOST).replace(/\/+$/, '');
}

/** Buckets are keyed by a hash, so the key itself is never held outside the credential. */
export function bucketKey(apiKey: string): string {
	return `lexoffice:${createHash('sha256').update(apiKey).digest('hex')}`;
}

/** A 500 whose message says "rate limit exceeded" (newer docs, lexoffice-api.md §2). */
function isRateLimited(status: number, body: unknown): boolean {
	return status === 500 && /rate limit/i.test(describeErrorBody(status, body).message);
}

/**
 * A write that LexOffice may have carried out although no answer said so. Callers that can look
 * the result up (Find or Create) check `isUncertainWrite` before doing anything else.
 */
function markUncertain<T extends Error>(error: T): T {
	return Object.assign(error, { lexofficeUncertainWrite: true });
}

export function isUncertainWrite(error: unknown): boolean {
	return (
		typeof error === 'object' &&
		error !== null &&
		(error as { lexofficeUncertainWrite?: unknown }).lexofficeUncertainWrite === true
	);
}

type Failure = ConnectionFailureKind;

/**
 * Anything thrown despite `ignoreHttpStatusErrors` is a transport failure: the connection was
 * refused, dropped or timed out. Only a refused connection proves the request was not processed.
 */
function classifyFailure(error: unknown): Failure {
	return connectionFailureOf(error)?.kind ?? 'dropped';
}

/** A fresh error: n8n's own wraps the axios request, Authorization header included. */
function connectionFailure(node: INode, failure: Failure, idempotent: boolean) {
	if (failure === 'notConnected') {
		return lexofficeConnectionError(
			node,
			'Could not connect to LexOffice',
			'The request was not sent. Check the host in the LexOffice credential and the network connection.',
		);
	}
	if (idempotent) {
		return lexofficeConnectionError(
			node,
			'The connection to LexOffice was lost',
			'The request was retried several times without an answer. Try again later.',
		);
	}
	return markUncertain(
		lexofficeConnectionError(
			node,
			'The connection to LexOffice was lost; the request may have been processed',
			MAY_HAVE_BEEN_PROCESSED,
		),
	);
}

function toFile(response: IN8nHttpFullResponse): LexofficeFile {
	const headers = response.headers as Record<string, string | undefined>;
	const disposition = headers['content-disposition'] ?? '';
	const encodedName = /filename\*=(?:UTF-8'')?([^;]+)/i.exec(disposition)?.[1];
	const plainName = /filename="?([^";]+)"?/i.exec(disposition)?.[1];
	return {
		data: Buffer.from(response.body as ArrayBuffer),
		mimeType: headers['content-type']?.split(';')[0].trim(),
		fileName: encodedName ? decodeURIComponent(encodedName.trim()) : plainName?.trim(),
	};
}
