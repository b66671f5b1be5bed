import { ServerTokenBucket } from '../common';

/**
 * The two Bitrix24 limits (bitrix24-api.md §3.1, §3.2):
 * - a leaky bucket per portal (counter +1 per HTTP request, drains Y/s, rejects above X → 503);
 *   it is the common server token bucket with capacity X and refill Y;
 * - an operating-time budget per method and per app/webhook: the sum of execution times in a
 *   sliding window of 10 buckets; once it is exceeded the NEXT call of that method gets 429.
 */
export type Bitrix24Limits =
	| 'off'
	| 'published'
	| 'enterprise'
	| {
			capacity: number;
			drainPerSecond: number;
			/** Default 480 s (the documented example value, §3.2). */
			operatingLimitSeconds?: number;
			/** Default 600 s. */
			operatingWindowSeconds?: number;
	  };

interface LimitNumbers {
	capacity: number;
	drainPerSecond: number;
	operatingLimitSeconds: number;
	operatingWindowSeconds: number;
}

const OPERATING_DEFAULTS = { operatingLimitSeconds: 480, operatingWindowSeconds: 600 };
const PRESETS: Record<'published' | 'enterprise', LimitNumbers> = {
	published: { capacity: 50, drainPerSecond: 2, ...OPERATING_DEFAULTS },
	enterprise: { capacity: 250, drainPerSecond: 5, ...OPERATING_DEFAULTS },
};

/** Accepts the sandbox's own shape, common's `{capacity, refillPerSecond}` and "50/2" (CLI, control API). */
export function parseBitrix24Limits(value: unknown): Bitrix24Limits {
	if (value === 'off' || value === 'published' || value === 'enterprise') return value;
	if (typeof value === 'string') {
		const match = /^(\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)$/.exec(value);
		if (match) return { capacity: Number(match[1]), drainPerSecond: Number(match[2]) };
	}
	if (typeof value === 'object' && value !== null) {
		const record = value as Record<string, unknown>;
		const drain = record.drainPerSecond ?? record.refillPerSecond;
		if (typeof record.capacity === 'number' && typeof drain === 'number' && record.capacity > 0 && drain > 0) {
			const optionalNumber = (key: string) => (typeof record[key] === 'number' ? (record[key] as number) : undefined);
			return {
				capacity: record.capacity,
				drainPerSecond: drain,
				operatingLimitSeconds: optionalNumber('operatingLimitSeconds'),
				operatingWindowSeconds: optionalNumber('operatingWindowSeconds'),
			};
		}
	}
	throw new Error(
		`invalid limits '${JSON.stringify(value)}' (use off, published, enterprise, "capacity/drain" or {capacity, drainPerSecond, operatingLimitSeconds?, operatingWindowSeconds?})`,
	);
}

function numbersFor(setting: Bitrix24Limits): LimitNumbers | undefined {
	if (setting === 'off') return undefined;
	if (typeof setting === 'string') return PRESETS[setting];
	return {
		capacity: setting.capacity,
		drainPerSecond: setting.drainPerSecond,
		operatingLimitSeconds: setting.operatingLimitSeconds ?? OPERATING_DEFAULTS.operatingLimitSeconds,
		operatingWindowSeconds: setting.operatingWindowSeconds ?? OPERATING_DEFAULTS.operatingWindowSeconds,
	};
}

export interface OperatingUsage {
	/** Seconds of execution time in the window (`time.operating`). */
	operating: number;
	/** Unix seconds when the oldest bucket leaves the window (`time.operating_reset_at`). */
	resetAt: number;
}

/** §3.2: 10 buckets per window, per (app or webhook, method). */
export class OperatingTimeTracker {
	private readonly samples = new Map<string, Array<{ bucketStart: number; ms: number }>>();
	limitMs: number | undefined;
	windowMs = OPERATING_DEFAULTS.operatingWindowSeconds * 1000;
	/** Calls refused with OPERATION_TIME_LIMIT (batch sub-calls included), for tests and the bench. */
	refusals = 0;

	constructor(private readonly now: () => number) {}

	private bucketMs(): number {
		return this.windowMs / 10;
	}

	private live(key: string): Array<{ bucketStart: number; ms: number }> {
		// A one-bucket-wide slice leaves the window `windowMs` after it started.
		const kept = (this.samples.get(key) ?? []).filter((sample) => sample.bucketStart + this.windowMs > this.now());
		this.samples.set(key, kept);
		return kept;
	}

	usage(key: string): OperatingUsage {
		const samples = this.live(key);
		const totalMs = samples.reduce((sum, sample) => sum + sample.ms, 0);
		const oldestStart = samples.length > 0 ? samples[0].bucketStart : this.bucketStart();
		return { operating: totalMs / 1000, resetAt: Math.ceil((oldestStart + this.windowMs) / 1000) };
	}

	/** true when earlier calls already used more than the limit: this call is refused. */
	isBlocked(key: string): boolean {
		return this.limitMs !== undefined && this.usage(key).operating * 1000 > this.limitMs;
	}

	record(key: string, ms: number): void {
		const samples = this.live(key);
		const bucketStart = this.bucketStart();
		const last = samples[samples.length - 1];
		if (last && last.bucketStart === bucketStart) last.ms += ms;
		else samples.push({ bucketStart, ms });
	}

	clear(): void {
		this.samples.clear();
		this.refusals = 0;
	}

	private bucketStart(): number {
		return Math.floor(this.now() / this.bucketMs()) * this.bucketMs();
	}
}

export class PortalLimits {
	private setting: Bitrix24Limits = 'off';
	private bucket: ServerTokenBucket | undefined;
	readonly operating: OperatingTimeTracker;

	constructor(
		private readonly now: () => number,
		initial: Bitrix24Limits,
	) {
		this.operating = new OperatingTimeTracker(now);
		this.set(initial);
	}

	set(setting: Bitrix24Limits): void {
		const numbers = numbersFor(parseBitrix24Limits(setting));
		this.setting = setting;
		this.bucket = numbers ? new ServerTokenBucket(numbers.capacity, numbers.drainPerSecond, this.now) : undefined;
		this.operating.limitMs = numbers ? numbers.operatingLimitSeconds * 1000 : undefined;
		this.operating.windowMs = (numbers?.operatingWindowSeconds ?? OPERATING_DEFAULTS.operatingWindowSeconds) * 1000;
		this.operating.clear();
	}

	get(): Bitrix24Limits {
		return this.setting;
	}

	/** §3.1: every HTTP request (a batch counts once) takes one unit; false → 503, not performed. */
	admitRequest(): boolean {
		return this.bucket ? this.bucket.tryTake() : true;
	}
}
