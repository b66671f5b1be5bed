import { sleep } from 'n8n-workflow';

/** Time source for the limiters; tests inject a virtual clock instead of waiting for real. */
export interface Clock {
	now(): number;
	sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
	now: () => Date.now(),
	sleep: async (ms) => await sleep(ms),
};

/**
 * Token bucket: up to `capacity` tokens, refilled continuously at `refillPerSecond`.
 *
 * LexOffice documents a token bucket of 2 req/s (lexoffice-api.md §2). Bitrix24's leaky bucket
 * (a counter that drains Y per second and rejects above X, bitrix24-api.md §3.1) is the same model
 * seen from the other side: capacity X, refill Y.
 *
 * Takers are served strictly in arrival order, so one busy workflow cannot starve another that
 * shares the same API key or portal.
 */
export class TokenBucket {
	private tokens: number;
	private updatedAt: number;
	private tail: Promise<void> = Promise.resolve();

	constructor(
		readonly capacity: number,
		readonly refillPerSecond: number,
		private readonly clock: Clock = systemClock,
	) {
		this.tokens = capacity;
		this.updatedAt = clock.now();
	}

	/** Resolves once a token has been taken for the caller. */
	async take(): Promise<void> {
		const turn = this.tail.then(async () => await this.takeNow());
		// Keep the chain alive even if a taker is abandoned.
		this.tail = turn.catch(() => undefined);
		return await turn;
	}

	/**
	 * The server told us we are over its limit, so our estimate was too generous (another client
	 * shares the budget). Start again from an empty bucket.
	 */
	empty(): void {
		this.refill();
		this.tokens = 0;
	}

	/** Tokens available right now (fractional); for statistics and tests. */
	available(): number {
		this.refill();
		return this.tokens;
	}

	private async takeNow(): Promise<void> {
		this.refill();
		while (this.tokens < 1) {
			const waitMs = Math.ceil(((1 - this.tokens) / this.refillPerSecond) * 1000);
			await this.clock.sleep(waitMs);
			this.refill();
		}
		this.tokens -= 1;
	}

	private refill(): void {
		const now = this.clock.now();
		const elapsedSeconds = Math.max(0, now - this.updatedAt) / 1000;
		this.tokens = Math.min(this.capacity, this.tokens + elapsedSeconds * this.refillPerSecond);
		this.updatedAt = now;
	}
}

const sharedBuckets = new Map<string, TokenBucket>();

/**
 * One bucket per key (an API key hash, a portal host) for the whole n8n process, so every
 * workflow using the same account draws from the same budget. A changed limit replaces the bucket.
 */
export function sharedBucket(key: string, capacity: number, refillPerSecond: number): TokenBucket {
	const existing = sharedBuckets.get(key);
	if (existing && existing.capacity === capacity && existing.refillPerSecond === refillPerSecond) {
		return existing;
	}
	const bucket = new TokenBucket(capacity, refillPerSecond);
	sharedBuckets.set(key, bucket);
	return bucket;
}

/**
 * Exponential backoff with full jitter: a random delay in [0, min(maxMs, baseMs * 2^attempt)],
 * but never below `floorMs`. `attempt` counts from 0.
 */
export function backoffDelay(
	attempt: number,
	options: { baseMs: number; maxMs: number; floorMs?: number },
	random: () => number = Math.random,
): number {
	const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** attempt);
	return Math.max(options.floorMs ?? 0, Math.round(random() * ceiling));
}
