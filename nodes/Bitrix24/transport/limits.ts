import { sharedBucket, systemClock, type Clock, type SharedLimit } from '../../shared/rateLimit';

/** bitrix24-api.md §3.1: a leaky bucket per portal; Enterprise plans get a bigger one. */
export const PLAN_LIMITS = {
	standard: { capacity: 50, drainPerSecond: 2 },
	enterprise: { capacity: 250, drainPerSecond: 5 },
} as const;

export type Bitrix24Plan = keyof typeof PLAN_LIMITS;

/** §3.2: 480 s of execution time per method in 10 minutes is the documented example value. */
export const DEFAULT_OPERATING_LIMIT_SECONDS = 480;

export function planOf(value: unknown): Bitrix24Plan {
	return value === 'enterprise' ? 'enterprise' : 'standard';
}

export function portalBucket(host: string, plan: Bitrix24Plan): SharedLimit {
	const { capacity, drainPerSecond } = PLAN_LIMITS[plan];
	return sharedBucket(`bitrix24:${host}`, capacity, drainPerSecond);
}

/** The `time` block of a Bitrix24 answer (bitrix24-api.md §2); all values in seconds. */
export interface Bitrix24Time {
	finish?: number;
	processing?: number;
	duration?: number;
	operating?: number;
	operating_reset_at?: number;
}

interface MethodUsage {
	operating: number;
	/** Local clock (ms) at which the oldest one-minute slice leaves the server's window. */
	resetAtMs: number | undefined;
	/** How long the last call took on the server, to guess what the next one adds. */
	lastSeconds: number;
}

function finiteNumber(value: unknown): number | undefined {
	const number = typeof value === 'string' ? Number(value) : value;
	return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}

/**
 * Watches `time.operating` per (app or webhook, method), the way Bitrix24 counts it (§3.2), so
 * calls pause before the server's budget runs out instead of collecting 429s, and wait for
 * `operating_reset_at` when it has run out.
 *
 * `operating_reset_at` is server time; it is turned into local time through `time.finish` (the
 * server's clock when it answered), so clock skew between n8n and Bitrix24 does not matter.
 */
export class OperatingTimeGuard {
	private readonly usage = new Map<string, MethodUsage>();

	constructor(private clock: Clock = systemClock) {}

	/** Tests run the guard on the sandbox's virtual clock, so operating-time waits take no real time. */
	useClock(clock: Clock): void {
		this.clock = clock;
	}

	/** Records the `time` block of a successful call (or of one batch sub-call). */
	record(key: string, time: unknown, receivedAtMs = this.clock.now()): void {
		if (typeof time !== 'object' || time === null) return;
		const t = time as Record<string, unknown>;
		const operating = finiteNumber(t.operating);
		if (operating === undefined) return;
		const resetAt = finiteNumber(t.operating_reset_at);
		// Without `finish` the two clocks are assumed to agree.
		const serverNow = finiteNumber(t.finish) ?? receivedAtMs / 1000;
		const resetAtMs = resetAt === undefined ? undefined : receivedAtMs + Math.max(0, resetAt - serverNow) * 1000;
		const lastSeconds = finiteNumber(t.processing) ?? finiteNumber(t.duration) ?? 0;
		this.usage.set(key, { operating, resetAtMs, lastSeconds });
	}

	/**
	 * Milliseconds to wait before calling the method again: zero while the budget has room for
	 * another call like the last one, otherwise until the oldest slice leaves the window.
	 */
	delayBeforeCall(key: string, limitSeconds: number): number {
		const usage = this.usage.get(key);
		if (!usage || usage.resetAtMs === undefined) return 0;
		const wait = usage.resetAtMs - this.clock.now();
		if (wait <= 0) {
			this.usage.delete(key);
			return 0;
		}
		return usage.operating + usage.lastSeconds >= limitSeconds ? wait : 0;
	}

	/**
	 * After a 429: how long until the method may be called again. Uses the answer's own `time`
	 * block when it has one, else what the last successful call reported, else `fallbackMs`.
	 */
	delayAfterRefusal(key: string, refusalBody: unknown, fallbackMs: number): number {
		const time =
			typeof refusalBody === 'object' && refusalBody !== null ? (refusalBody as { time?: unknown }).time : undefined;
		this.record(key, time);
		const resetAtMs = this.usage.get(key)?.resetAtMs;
		const wait = resetAtMs === undefined ? 0 : resetAtMs - this.clock.now();
		return wait > 0 ? wait : fallbackMs;
	}

	sleep(ms: number): Promise<void> {
		return this.clock.sleep(ms);
	}

	now(): number {
		return this.clock.now();
	}
}

/** One guard per n8n process: budgets are per app/webhook, whichever workflow uses it. */
export const operatingTimeGuard = new OperatingTimeGuard();
