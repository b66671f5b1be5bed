import type { IncomingHttpHeaders } from 'node:http';

import { readRawBody, startHttpServer, type RunningServer } from './http';

export interface ReceivedRequest {
	at: number;
	method: string;
	path: string;
	headers: IncomingHttpHeaders;
	/** Exactly the bytes received (signatures are checked against these). */
	rawBody: Buffer;
}

/** A status, or a function of the request giving one. */
export type Answer = number | ((request: ReceivedRequest) => number);

export interface CallbackReceiver extends RunningServer {
	received: ReceivedRequest[];
	/** Answers for the next requests, in order; then `fallback`. */
	respondWith(...answers: Answer[]): void;
	/** The answer when no queued one is left (default 200). */
	fallback: Answer;
	/** Resolves once `count` requests (optionally of one method) have arrived; rejects after timeoutMs. */
	waitFor(count: number, options?: { method?: string; timeoutMs?: number }): Promise<ReceivedRequest[]>;
}

/**
 * A stand-in for a webhook consumer (an n8n trigger, a CRM handler): records every request and
 * answers with programmable statuses, so tests can drive a sandbox's delivery and retry logic.
 */
export async function startCallbackReceiver(): Promise<CallbackReceiver> {
	const received: ReceivedRequest[] = [];
	const queued: Answer[] = [];
	const waiters = new Set<() => void>();
	const server = await startHttpServer(async (req, res) => {
		const request: ReceivedRequest = {
			at: Date.now(),
			method: req.method ?? 'GET',
			path: req.url ?? '/',
			headers: req.headers,
			rawBody: await readRawBody(req),
		};
		received.push(request);
		const answer = queued.shift() ?? receiver.fallback;
		res.writeHead(typeof answer === 'function' ? answer(request) : answer, { 'Content-Length': '0' });
		res.end();
		for (const wake of waiters) wake();
	});
	const receiver: CallbackReceiver = {
		...server,
		received,
		fallback: 200,
		respondWith: (...answers) => queued.push(...answers),
		waitFor: async (count, { method, timeoutMs = 5000 } = {}) => {
			const matching = () => received.filter((request) => method === undefined || request.method === method);
			if (matching().length >= count) return matching();
			return await new Promise<ReceivedRequest[]>((resolve, reject) => {
				const timer = setTimeout(() => {
					waiters.delete(check);
					reject(new Error(`receiver: ${matching().length}/${count} requests after ${timeoutMs} ms`));
				}, timeoutMs);
				const check = () => {
					if (matching().length < count) return;
					clearTimeout(timer);
					waiters.delete(check);
					resolve(matching());
				};
				waiters.add(check);
			});
		},
	};
	return receiver;
}
