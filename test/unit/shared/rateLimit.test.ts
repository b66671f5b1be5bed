import { SharedLimit, TokenBucket, backoffDelay, sharedBucket, type Clock } from '../../../nodes/shared/rateLimit';
import { ServerTokenBucket } from '../../sandbox/common/rateLimit';

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
	it('returns one bucket per key, and one under the stricter limit for credentials of different plans on one portal (issue #12)', async () => {
		const a = sharedBucket('portal-a', 50, 2);
		expect(sharedBucket('portal-a', 50, 2)).toBe(a);
		expect(sharedBucket('portal-b', 50, 2)).not.toBe(a);
		for (let i = 0; i < 50; i++) await a.take();
		// The app credential says "enterprise", the webhook "standard": still one budget, not a fresh full bucket.
		const enterprise = sharedBucket('portal-a', 250, 5);
		expect(enterprise).toBe(a);
		expect(enterprise.available()).toBeLessThan(1);
		expect(enterprise.currentRate()).toBe(2);
	});
});

/**
 * A scheduler of virtual time: sleepers wake in time order, each after the work the previous one
 * started has run, so several "processes" can share one clock without real waiting.
 */
function sharedVirtualTime() {
	let time = 0;
	const sleepers: Array<{ at: number; order: number; wake: () => void }> = [];
	let order = 0;
	const clock: Clock = {
		now: () => time,
		sleep: async (ms: number) =>
			await new Promise<void>((wake) => sleepers.push({ at: time + ms, order: order++, wake })),
	};
	const settle = async () => {
		for (let i = 0; i < 20; i++) await Promise.resolve();
	};
	const runUntil = async (end: number) => {
		await settle();
		while (sleepers.length > 0 && time < end) {
			sleepers.sort((a, b) => a.at - b.at || a.order - b.order);
			const next = sleepers.shift() as (typeof sleepers)[number];
			time = Math.max(time, next.at);
			next.wake();
			await settle();
		}
	};
	return { clock, runUntil, now: () => time };
}

describe('SharedLimit: several processes on one key (issue #12)', () => {
	/** K processes, each with its own limit for the same key, sending back to back against the API's bucket for `seconds`. */
	async function share(processes: number, seconds: number, adaptive: boolean, stopOneAt?: number) {
		const time = sharedVirtualTime();
		const server = new ServerTokenBucket(2, 2, time.clock.now); // LexOffice: 2 requests/s (lexoffice-api.md §2)
		const stats = Array.from({ length: processes }, () => ({ sent: 0, refused: 0, lateSent: 0 }));
		const limits = stats.map(() => (adaptive ? new SharedLimit(2, 2, time.clock) : new TokenBucket(2, 2, time.clock)));
		const end = seconds * 1000;
		// A request takes 20–220 ms there and back (seeded, so every run is the same): processes do not tick in step.
		let seed = 12345;
		const latency = () => 20 + ((seed = (seed * 1103515245 + 12345) % 2147483648) % 200);
		stats.forEach((stat, index) => {
			const limit = limits[index];
			void (async () => {
				while (time.now() < end && !(stopOneAt !== undefined && index === 0 && time.now() >= stopOneAt * 1000)) {
					await limit.take();
					await time.clock.sleep(latency());
					stat.sent++;
					if (time.now() >= end - 60_000) stat.lateSent++;
					if (server.tryTake()) continue;
					stat.refused++;
					if (limit instanceof SharedLimit) limit.refused();
					else limit.empty();
					await time.clock.sleep(500);
				}
			})();
		});
		await time.runUntil(end);
		const sent = stats.reduce((sum, stat) => sum + stat.sent, 0);
		const refused = stats.reduce((sum, stat) => sum + stat.refused, 0);
		process.stdout.write(
			`${processes} processes, ${seconds} s${adaptive ? '' : ' (not adaptive)'}: ${sent} sent, ${refused} refused (${((100 * refused) / sent).toFixed(2)} %), per process ${stats.map((stat) => stat.sent).join('/')}, last minute ${stats.map((stat) => stat.lateSent).join('/')}\n`,
		);
		return { sent, refused, share: refused / sent, stats, limits };
	}

	it('two processes at full speed stay under 2 % refused requests and use the whole rate between them', async () => {
		const { share: refusedShare, sent } = await share(2, 600, true);
		expect(refusedShare).toBeLessThan(0.02);
		// 2 requests/s for 600 s, less what the backoff leaves unused.
		expect(sent).toBeGreaterThan(0.85 * 1200);
	});

	it('without learning their share, the same two processes get about every second request refused', async () => {
		const { share: refusedShare } = await share(2, 600, false);
		expect(refusedShare).toBeGreaterThan(0.2);
	});

	it('four processes settle too (most refusals come while they learn, in the first minutes), and none is starved', async () => {
		const { share: refusedShare, stats } = await share(4, 600, true);
		expect(refusedShare).toBeLessThan(0.05);
		for (const stat of stats) expect(stat.sent).toBeGreaterThan(0.05 * 1200);
	});

	it('when one of two processes stops (a worker died), the other takes the whole rate back within minutes', async () => {
		const { stats } = await share(2, 900, true, 300);
		// The last minute: the remaining process alone, close to the published 2 requests/s.
		expect(stats[1].lateSent).toBeGreaterThan(0.75 * 120);
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
