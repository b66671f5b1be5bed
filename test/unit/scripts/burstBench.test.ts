import { extraEnvOf, measureOf, percentile } from '../../../scripts/lib/burstBench';
import { parseBenchOptions } from '../../../scripts/lib/benchOptions';
import type { WebhookDelivery } from '../../../test/sandbox/lexoffice';

const delivery = (first?: { status?: number; error?: string; answeredAfterMs: number }) =>
	({
		eventType: 'contact.created',
		resourceId: 'r',
		attempts: first ? [{ at: 0, nominalDelayMs: 0, outcome: 'delivered', ...first }] : [],
	}) as unknown as WebhookDelivery;

describe('bursts part of the bench', () => {
	it('is named by --parts=bursts and runs after the others', () => {
		expect(parseBenchOptions(['--parts=bursts,faults'], {}).parts).toEqual(['faults', 'bursts']);
	});

	it('takes the nearest-rank percentile', () => {
		const sorted = Array.from({ length: 100 }, (_, n) => n + 1);
		expect([percentile(sorted, 0.5), percentile(sorted, 0.9), percentile(sorted, 0.99), percentile([], 0.5)]).toEqual([
			50, 90, 99, 0,
		]);
	});

	it('counts the first attempts: 2xx, within 1 s, and timeouts at the timeout', () => {
		const measure = measureOf(
			'n8n defaults',
			[
				delivery({ status: 200, answeredAfterMs: 400 }),
				delivery({ status: 200, answeredAfterMs: 1_500 }),
				delivery({ error: 'timeout', answeredAfterMs: 5_003 }),
				delivery({ status: 503, answeredAfterMs: 20 }),
			],
			2_000,
			5_000,
		);
		expect(measure).toEqual({
			settings: 'n8n defaults',
			deliveries: 4,
			spreadMs: 2_000,
			answered2xx: 2,
			within1s: 1,
			notAnswered: 2,
			p50Ms: 400,
			p90Ms: 5_000,
			p99Ms: 5_000,
			maxMs: 5_000,
		});
	});

	it('reads the extra n8n settings of BENCH_BURSTS_ENV and refuses a pair without a name', () => {
		expect(extraEnvOf('DB_SQLITE_POOL_SIZE=8; EXECUTIONS_DATA_SAVE_ON_SUCCESS=none;')).toEqual({
			DB_SQLITE_POOL_SIZE: '8',
			EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none',
		});
		expect(extraEnvOf(undefined)).toEqual({});
		expect(() => extraEnvOf('=8')).toThrow('BENCH_BURSTS_ENV takes NAME=value;NAME=value; got "=8"');
	});
});
