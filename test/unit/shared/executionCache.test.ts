/**
 * The per-execution reads (nodes/shared/executionCache.ts): once per execution and account, never
 * across accounts or executions, a failed read forgotten, and module state bounded however many
 * executions a long-running n8n process sees.
 */
import { EXECUTIONS_KEPT, keptExecutionCount, oncePerExecution } from '../../../nodes/shared/executionCache';

const execution = (id: string | undefined) => ({ getExecutionId: () => id as string });

describe('oncePerExecution', () => {
	it('reads once per execution and account; other executions and accounts read their own', async () => {
		let reads = 0;
		const read = async () => ++reads;
		const runA = execution('exec-1');
		const nextRunA = execution('exec-1'); // the next page: a new context, the same execution
		expect(await oncePerExecution(runA, 'portal-a', 'fields', read)).toBe(1);
		expect(await oncePerExecution(nextRunA, 'portal-a', 'fields', read)).toBe(1);
		expect(await oncePerExecution(nextRunA, 'portal-b', 'fields', read)).toBe(2);
		expect(await oncePerExecution(execution('exec-2'), 'portal-a', 'fields', read)).toBe(3);
		expect(await oncePerExecution(runA, 'portal-a', 'presets', read)).toBe(4);
	});

	it('asks once for callers that come while the read is on its way', async () => {
		let reads = 0;
		const read = async () => {
			reads++;
			await Promise.resolve();
			return 'answer';
		};
		const context = execution('exec-concurrent');
		await Promise.all([1, 2, 3].map(async () => await oncePerExecution(context, 'portal', 'fields', read)));
		expect(reads).toBe(1);
	});

	it('forgets a read that failed, so the next page asks again', async () => {
		const context = execution('exec-failing');
		await expect(
			oncePerExecution(context, 'portal', 'fields', async () => await Promise.reject(new Error('503'))),
		).rejects.toThrow('503');
		expect(await oncePerExecution(context, 'portal', 'fields', async () => 'second try')).toBe('second try');
	});

	it('without an execution id (load options) keeps reads per context only', async () => {
		let reads = 0;
		const read = async () => ++reads;
		const context = execution(undefined);
		expect(await oncePerExecution(context, 'portal', 'fields', read)).toBe(1);
		expect(await oncePerExecution(context, 'portal', 'fields', read)).toBe(1);
		expect(await oncePerExecution(execution(undefined), 'portal', 'fields', read)).toBe(2);
		expect(await oncePerExecution(execution(''), 'portal', 'fields', read)).toBe(3);
	});

	it(`keeps at most ${EXECUTIONS_KEPT} executions, dropping the one used longest ago`, async () => {
		let reads = 0;
		const read = async () => ++reads;
		const first = execution('long-running');
		expect(await oncePerExecution(first, 'portal', 'fields', read)).toBe(1);
		for (let index = 0; index < 1000; index++) {
			await oncePerExecution(execution(`event-${index}`), 'portal', 'fields', read);
			// The long import keeps using its reads while the events come and go.
			if (index % (EXECUTIONS_KEPT - 2) === 0) expect(await oncePerExecution(first, 'portal', 'fields', read)).toBe(1);
			expect(keptExecutionCount()).toBeLessThanOrEqual(EXECUTIONS_KEPT);
		}
		expect(reads).toBe(1001);
		// An execution that was dropped only reads again.
		expect(await oncePerExecution(execution('event-0'), 'portal', 'fields', read)).toBe(1002);
	});
});
