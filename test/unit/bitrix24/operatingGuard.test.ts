import type { Clock } from '../../../nodes/shared/rateLimit';
import { OperatingTimeGuard } from '../../../nodes/Bitrix24/transport/limits';

function virtualClock(start = 1_000_000): Clock & { time: number } {
	const clock = {
		time: start,
		now: () => clock.time,
		sleep: async (ms: number) => {
			clock.time += ms;
		},
	};
	return clock;
}

describe('OperatingTimeGuard', () => {
	it('lets calls through while the budget has room for another call like the last', () => {
		const clock = virtualClock();
		const guard = new OperatingTimeGuard(clock);
		guard.record('m', {
			operating: 100,
			processing: 5,
			finish: clock.time / 1000,
			operating_reset_at: clock.time / 1000 + 60,
		});
		expect(guard.delayBeforeCall('m', 480)).toBe(0);
	});

	it('holds a call back until operating_reset_at when the next call would exceed the limit', () => {
		const clock = virtualClock();
		const guard = new OperatingTimeGuard(clock);
		guard.record('m', {
			operating: 476,
			processing: 5,
			finish: clock.time / 1000,
			operating_reset_at: clock.time / 1000 + 42,
		});
		expect(guard.delayBeforeCall('m', 480)).toBe(42_000);
		expect(guard.delayBeforeCall('other', 480)).toBe(0);
		clock.time += 42_000;
		expect(guard.delayBeforeCall('m', 480)).toBe(0);
	});

	it('converts server time through time.finish, so clock skew does not matter', () => {
		const clock = virtualClock();
		const guard = new OperatingTimeGuard(clock);
		const serverNow = clock.time / 1000 - 3600; // the server's clock is an hour behind
		guard.record('m', { operating: 500, processing: 1, finish: serverNow, operating_reset_at: serverNow + 10 });
		expect(guard.delayBeforeCall('m', 480)).toBe(10_000);
	});

	it('after a refusal: waits for the known reset, else falls back', () => {
		const clock = virtualClock();
		const guard = new OperatingTimeGuard(clock);
		expect(guard.delayAfterRefusal('unknown', { error: 'OPERATION_TIME_LIMIT' }, 1234)).toBe(1234);
		guard.record('m', {
			operating: 300,
			processing: 1,
			finish: clock.time / 1000,
			operating_reset_at: clock.time / 1000 + 7,
		});
		expect(guard.delayAfterRefusal('m', '<html>429</html>', 1234)).toBe(7000);
		expect(
			guard.delayAfterRefusal(
				'm',
				{ time: { operating: 490, finish: clock.time / 1000, operating_reset_at: clock.time / 1000 + 3 } },
				1234,
			),
		).toBe(3000);
	});

	it('ignores answers without operating information', () => {
		const guard = new OperatingTimeGuard(virtualClock());
		guard.record('m', undefined);
		guard.record('m', { start: 1 });
		expect(guard.delayBeforeCall('m', 0)).toBe(0);
	});
});
