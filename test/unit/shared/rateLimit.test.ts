import { TokenBucket, backoffDelay, sharedBucket, type Clock } from '../../../nodes/shared/rateLimit';

/** A clock whose sleep advances virtual time instantly, and records every wait. */
function virtualClock(): Clock & { waits: number[]; time: number } {
	const clock = {
		time: 0,
		waits: [] as number[],
		now: () => clock.time,
		sleep: async (ms: number) => {
			clock.waits.push(ms);
			clock.time += ms;
		},
	};
	return clock;
}

describe('TokenBucket', () => {
	it('lets a full burst through without waiting, then paces at the refill rate', async () => {
		const clock = virtualClock();
		const bucket = new TokenBucket(50, 2, clock);
		for (let i = 0; i < 50; i++) await bucket.take();
		expect(clock.waits).toEqual([]);
		const before = clock.time;
		for (let i = 0; i < 10; i++) await bucket.take();
		// 10 more tokens at 2 per second take 5 virtual seconds.
		expect(clock.time - before).toBe(5000);
	});

	it('serves concurrent takers in arrival order', async () => {
		const clock = virtualClock();
		const bucket = new TokenBucket(1, 1, clock);
		const order: number[] = [];
		await Promise.all([0, 1, 2, 3].map(async (n) => await bucket.take().then(() => order.push(n))));
		expect(order).toEqual([0, 1, 2, 3]);
		expect(clock.time).toBe(3000);
	});

	it('refills over idle time but never above capacity', async () => {
		const clock = virtualClock();
		const bucket = new TokenBucket(2, 2, clock);
		await bucket.take();
		await bucket.take();
		expect(bucket.available()).toBe(0);
		clock.time += 60_000;
		expect(bucket.available()).toBe(2);
	});

	it('starts from empty after the server reported a limit hit', async () => {
		const clock = virtualClock();
		const bucket = new TokenBucket(5, 5, clock);
		bucket.empty();
		await bucket.take();
		expect(clock.waits).toEqual([200]);
	});
});

describe('sharedBucket', () => {
	it('returns one bucket per key and replaces it when the limits change', () => {
		const a = sharedBucket('portal-a', 50, 2);
		expect(sharedBucket('portal-a', 50, 2)).toBe(a);
		expect(sharedBucket('portal-b', 50, 2)).not.toBe(a);
		const enterprise = sharedBucket('portal-a', 250, 5);
		expect(enterprise).not.toBe(a);
		expect(enterprise.capacity).toBe(250);
	});
});

describe('backoffDelay', () => {
	it.each([
		[0, 1, 1000],
		[1, 1, 2000],
		[3, 1, 8000],
		[10, 1, 30000],
		[2, 0, 0],
		[2, 0.5, 2000],
	])('attempt %i with random %f gives %i ms', (attempt, random, expected) => {
		expect(backoffDelay(attempt, { baseMs: 1000, maxMs: 30000 }, () => random)).toBe(expected);
	});

	it('never goes below the floor', () => {
		expect(backoffDelay(0, { baseMs: 1000, maxMs: 30000, floorMs: 500 }, () => 0)).toBe(500);
	});
});
