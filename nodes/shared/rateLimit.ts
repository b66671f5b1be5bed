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
		protected readonly clock: Clock = systemClock,
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
			const waitMs = Math.ceil(((1 - this.tokens) / this.rateNow()) * 1000);
			await this.clock.sleep(waitMs);
			this.refill();
		}
		this.tokens -= 1;
	}

	private refill(): void {
		const now = this.clock.now();
		const elapsedSeconds = Math.max(0, now - this.updatedAt) / 1000;
		this.tokens = Math.min(this.capacityNow(), this.tokens + elapsedSeconds * this.rateNow());
		this.updatedAt = now;
	}

	/** Tokens per second right now. */
	protected rateNow(): number {
		return this.refillPerSecond;
	}

	/** Burst allowed right now. */
	protected capacityNow(): number {
		return this.capacity;
	}
}

/** After a refusal a process keeps this share of its rate (and burst)… */
const DECREASE = 0.5;
/** …and grows by this share of its own rate per second without refusals. */
const INCREASE_PER_SECOND = 0.004;
/** Never below this share of the published rate (16 processes on one key). */
const MIN_SHARE = 1 / 16;

/**
 * The limit of one API key or portal as one n8n process uses it, when other processes (queue-mode
 * workers, another n8n) may use the same key: nothing is shared between processes, so each one
 * learns its share from the API's refusals (additive increase, multiplicative decrease, as TCP
 * shares a link). A refusal halves the rate and burst this process uses; every second without one
 * gives back 0.4 % of the published rate. K busy processes settle around 1/K of the published
 * rate each, with roughly one refusal per half minute between them; when one stops, the others
 * climb back to the whole rate within a few minutes.
 */
export class SharedLimit extends TokenBucket {
	private rate: number;
	private rateAt: number;
	private limitCapacity: number;
	private limitRate: number;

	constructor(capacity: number, refillPerSecond: number, clock: Clock = systemClock) {
		super(capacity, refillPerSecond, clock);
		this.limitCapacity = capacity;
		this.limitRate = this.rate = refillPerSecond;
		this.rateAt = clock.now();
	}

	/** Two credentials of different plans for one portal: the stricter limit holds for both. */
	limitTo(capacity: number, refillPerSecond: number): void {
		this.rateNow();
		this.limitCapacity = Math.min(this.limitCapacity, capacity);
		this.limitRate = Math.min(this.limitRate, refillPerSecond);
		this.rate = Math.min(this.rate, this.limitRate);
	}

	/** The API refused a request for its limit: start from empty, and use less of it from now on. */
	refused(): void {
		this.rate = Math.max(this.limitRate * MIN_SHARE, this.rateNow() * DECREASE);
		this.empty();
	}

	/** The rate this process allows itself now (for statistics and tests). */
	currentRate(): number {
		return this.rateNow();
	}

	protected override rateNow(): number {
		const now = this.clock.now();
		const seconds = Math.max(0, now - this.rateAt) / 1000;
		this.rate = Math.min(this.limitRate, this.rate * (1 + seconds * INCREASE_PER_SECOND));
		this.rateAt = now;
		return this.rate;
	}

	protected override capacityNow(): number {
		return Math.max(1, (this.limitCapacity * this.rateNow()) / this.limitRate);
	}
}

const sharedBuckets = new Map<string, SharedLimit>();

/**
 * One limit per key (an API key hash, a portal host) for the whole n8n process, so every workflow
 * and every credential of the same account draws from the same budget. Credentials that state
 * different limits for one key (a webhook and an app of one portal, set to different plans) share
 * the bucket under the stricter limit; a fresh full bucket would double the burst.
 */
export function sharedBucket(key: string, capacity: number, refillPerSecond: number): SharedLimit {
	const existing = sharedBuckets.get(key);
	if (existing) {
		existing.limitTo(capacity, refillPerSecond);
		return existing;
	}
	const bucket = new SharedLimit(capacity, refillPerSecond);
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
