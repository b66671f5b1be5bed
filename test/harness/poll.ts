import { setTimeout as delay } from 'node:timers/promises';

export interface PollOptions {
	/** What we are waiting for, for the timeout message. */
	what: string;
	timeoutMs: number;
	intervalMs?: number;
}

/** Calls `probe` until it returns something other than undefined; bounded by `timeoutMs`. */
export async function pollUntil<T>(probe: () => Promise<T | undefined>, options: PollOptions): Promise<T> {
	const deadline = Date.now() + options.timeoutMs;
	for (;;) {
		const result = await probe();
		if (result !== undefined) return result;
		if (Date.now() >= deadline) {
			throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${options.what}`);
		}
		await delay(options.intervalMs ?? 250);
	}
}
