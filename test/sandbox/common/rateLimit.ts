import { TokenBucket, systemClock } from '../../../nodes/shared/rateLimit';

export type LimitSetting = 'off' | 'published' | { capacity: number; refillPerSecond: number };

/**
 * The server side of a token bucket: it enforces, it never waits. Built on the clients' own
 * TokenBucket (real time); `reserved` counts granted tokens whose asynchronous take() has not
 * landed yet, so two requests in the same tick cannot both spend the last token.
 */
export class ServerTokenBucket {
	private readonly bucket: TokenBucket;
	private reserved = 0;

	/** @param now the server's clock (default real time); tests may stop it to make refusals certain. */
	constructor(capacity: number, refillPerSecond: number, now: () => number = systemClock.now) {
		this.bucket = new TokenBucket(capacity, refillPerSecond, { now, sleep: systemClock.sleep });
	}

	get capacity(): number {
		return this.bucket.capacity;
	}

	get refillPerSecond(): number {
		return this.bucket.refillPerSecond;
	}

	/** true = the request may proceed (a token was spent); false = answer "too many requests". */
	tryTake(): boolean {
		if (this.bucket.available() - this.reserved < 1) return false;
		this.reserved += 1;
		void this.bucket.take().finally(() => {
			this.reserved -= 1;
		});
		return true;
	}
}

/** A switchable limit: 'off', the API's published numbers, or explicit ones. */
export class SandboxRateLimiter {
	private bucket: ServerTokenBucket | undefined;
	private current: LimitSetting = 'off';

	constructor(
		private readonly published: { capacity: number; refillPerSecond: number },
		initial: LimitSetting = 'off',
		private readonly now: () => number = systemClock.now,
	) {
		this.set(initial);
	}

	set(setting: LimitSetting): void {
		const numbers = setting === 'off' ? undefined : setting === 'published' ? this.published : setting;
		if (numbers && (!(numbers.capacity > 0) || !(numbers.refillPerSecond > 0))) {
			throw new Error('limits need capacity > 0 and refillPerSecond > 0');
		}
		this.current = setting;
		this.bucket = numbers ? new ServerTokenBucket(numbers.capacity, numbers.refillPerSecond, this.now) : undefined;
	}

	get(): LimitSetting {
		return this.current;
	}

	/** true when the request may proceed. */
	tryTake(): boolean {
		return this.bucket ? this.bucket.tryTake() : true;
	}
}

/** Accepts what a CLI flag, env var or control-API body may carry. */
export function parseLimitSetting(value: unknown): LimitSetting {
	if (value === 'off' || value === 'published') return value;
	if (typeof value === 'object' && value !== null) {
		const { capacity, refillPerSecond } = value as Record<string, unknown>;
		if (typeof capacity === 'number' && typeof refillPerSecond === 'number') return { capacity, refillPerSecond };
	}
	if (typeof value === 'string') {
		const match = /^(\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)$/.exec(value);
		if (match) return { capacity: Number(match[1]), refillPerSecond: Number(match[2]) };
	}
	throw new Error(
		`invalid limits '${JSON.stringify(value)}' (use off, published, {capacity, refillPerSecond} or "capacity/refill")`,
	);
}
