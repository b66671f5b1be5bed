/**
 * What both transports agree on about a request that got no HTTP answer, and about waiting:
 * one list of network codes, one reading of an error's `cause` chain, one wording for a write that
 * may have happened, one pause that gives way to a cancelled execution.
 */
import { sleep } from 'n8n-workflow';

/** The request never reached the server: it was certainly not processed. */
const NOT_CONNECTED_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ENETDOWN',
]);
/** The connection broke or timed out after the request may have arrived. */
const DROPPED_CODES = new Set(['ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'UND_ERR_SOCKET']);
/** What axios, undici and n8n call a request given up because the execution was cancelled. */
const CANCELLED_CODES = new Set(['ERR_CANCELED']);
const CANCELLED_NAMES = new Set(['AbortError', 'CanceledError']);
/** Node's texts for a socket closed under a request, where no code says so. */
const DROPPED_MESSAGE = /socket hang up|terminated/i;

export type ConnectionFailureKind = 'cancelled' | 'notConnected' | 'dropped';

export interface ConnectionFailure {
	kind: ConnectionFailureKind;
	/** The code that decided it (`ECONNRESET` also for a "socket hang up" without code). */
	code: string;
}

/**
 * Why a request got no answer, read from the error and its `cause` chain (n8n wraps the axios
 * error, which wraps the socket's); undefined when nothing in the chain is a network failure (a
 * credential that cannot be used, a programming error). Cancelled before not connected before dropped.
 */
export function connectionFailureOf(error: unknown): ConnectionFailure | undefined {
	let notConnected: string | undefined;
	let dropped: string | undefined;
	for (let current = error, depth = 0; current && typeof current === 'object' && depth < 6; depth++) {
		const { code, name, message, cause } = current as {
			code?: unknown;
			name?: unknown;
			message?: unknown;
			cause?: unknown;
		};
		if (
			(typeof code === 'string' && CANCELLED_CODES.has(code)) ||
			(typeof name === 'string' && CANCELLED_NAMES.has(name))
		) {
			return { kind: 'cancelled', code: typeof code === 'string' ? code : 'ERR_CANCELED' };
		}
		if (typeof code === 'string' && NOT_CONNECTED_CODES.has(code)) notConnected ??= code;
		if (typeof code === 'string' && DROPPED_CODES.has(code)) dropped ??= code;
		if (typeof message === 'string' && DROPPED_MESSAGE.test(message)) dropped ??= 'ECONNRESET';
		current = cause;
	}
	if (notConnected) return { kind: 'notConnected', code: notConnected };
	return dropped ? { kind: 'dropped', code: dropped } : undefined;
}

/**
 * The one wording for a write whose answer was lost (issue #10): it may have happened, so it was
 * not repeated; what to check before running again. `evidence` cites the API's own word for it.
 */
export function mayHaveBeenProcessed(api: string, evidence = ''): string {
	return `The request may or may not have been carried out: ${api} may have processed it although no answer arrived${evidence}, so it was not repeated automatically. Check in ${api} whether it happened before running the workflow again.`;
}

/** n8n's cancel signal of an execution, where the context has one (executions and polls do). */
export function cancelSignalOf(context: object): { aborted: boolean } | undefined {
	const withSignal = context as { getExecutionCancelSignal?: () => { aborted: boolean } | undefined };
	return typeof withSignal.getExecutionCancelSignal === 'function' ? withSignal.getExecutionCancelSignal() : undefined;
}

const PAUSE_SLICE_MS = 1000;

/**
 * Waits `ms` in slices of at most a second and stops early once the execution is cancelled, so a
 * cancelled workflow does not sit out a long wait (its next request then fails on the signal).
 * `sleepFor` is n8n-workflow's sleep unless a test runs the wait on a virtual clock.
 */
export async function pauseUnlessCancelled(
	ms: number,
	signal: { aborted: boolean } | undefined,
	sleepFor: (ms: number) => Promise<void> = async (slice) => await sleep(slice),
): Promise<void> {
	for (let left = ms; left > 0 && !signal?.aborted; left -= PAUSE_SLICE_MS) {
		await sleepFor(Math.min(left, PAUSE_SLICE_MS));
	}
}
