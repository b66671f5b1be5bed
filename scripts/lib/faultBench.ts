/**
 * The `faults` and `optime` parts of `npm run bench` (issue #10, items 4–6): the bundled contacts
 * workflow's import in a real n8n, once against sandboxes that fail 5 % of requests (500/502/503/504, reset
 * connections, before or after processing) and checked against a fault-free run of the same data,
 * and once against a Bitrix24 sandbox that charges server time per write so the import meets
 * OPERATION_TIME_LIMIT (bitrix24-api.md §3.2).
 */
import { bundledWorkflow } from '../../test/harness';
import { nodeRunsOutputJson } from '../../test/harness/executionData';
import { crmSnapshot, snapshotDifferences } from '../../test/sandbox/bitrix24';
import type { FaultStats } from '../../test/sandbox/common';
import type { BenchOptions } from './benchOptions';
import { importStatistics, runManually, type ManualRun } from './manualRun';
import { startN8nWithCredentials, startSandboxes, type Bitrix24Plan, type RunningN8n, type Sandboxes } from './stack';
import { CONTACTS_WORKFLOW, manualTriggerName } from './workflows';

const SYNC_NODE = 'Sync Contacts';
export const FAULT_RATE = 0.05;
/** CRM writes; the import's closing notification (im.notify.system.add) is not one. */
const WRITE_METHOD = /^crm\..*\.(add|update|delete)$/;

export interface FaultsResult {
	contacts: number;
	faultFreeWallSeconds: number;
	wallSeconds: number;
	faultsInjected: { lexoffice: FaultStats; bitrix24: FaultStats };
	/** Contacts whose uncertain writes were settled by reading back (output items with settledByReadBack). */
	repairs: number;
	failures: number;
	/** Differences to the fault-free run's Bitrix24 content (empty: identical). */
	differences: string[];
	records: { companies: number; contacts: number; requisites: number; addresses: number };
	secondRunWriteRequests: number;
}

export interface OptimeResult {
	contacts: number;
	writeMs: number;
	windowSeconds: number;
	limitSeconds: number;
	wallSeconds: number;
	/** Sub-calls Bitrix24 refused with OPERATION_TIME_LIMIT (the client waited and sent them again). */
	refusals: number;
	/** The busiest write method and the server time it needed, against the limit per window. */
	busiest: { method: string; calls: number; serverSeconds: number };
	/** Longest pause between two Bitrix24 requests: the client's wait for the window. */
	longestPauseSeconds: number;
	failures: number;
	records: number;
}

async function onStack<T>(
	limits: 'published' | 'off',
	contacts: number,
	plan: Bitrix24Plan,
	work: (s: Sandboxes, r: RunningN8n, run: () => Promise<ManualRun>) => Promise<T>,
	timeoutMinutes: number,
): Promise<T> {
	const sandboxes = await startSandboxes({ limits, contacts });
	try {
		const running = await startN8nWithCredentials(sandboxes.endpoints(plan), 'bench');
		try {
			const workflow = bundledWorkflow(CONTACTS_WORKFLOW);
			const trigger = manualTriggerName(workflow);
			if (!trigger) throw new Error(`${CONTACTS_WORKFLOW} has no manual trigger`);
			const { id } = await running.n8n.importWorkflow(workflow);
			const run = async () =>
				await runManually(running.n8n, running.apiKey, id, trigger, { timeoutMs: timeoutMinutes * 60_000 });
			return await work(sandboxes, running, run);
		} finally {
			await running.n8n.stop();
		}
	} finally {
		await sandboxes.close();
	}
}

const succeeded = (run: ManualRun): ManualRun => {
	if (run.error || run.execution.status !== 'success')
		throw new Error(`the import ended ${run.execution.status}: ${run.error ?? 'no error message'}`);
	return run;
};

export async function faultsPart(options: BenchOptions): Promise<FaultsResult> {
	const contacts = options.faultContacts;
	// Limits off: this part is about correctness under faults; the nodes still pace to the plan.
	return await onStack(
		'off',
		contacts,
		'enterprise',
		async ({ lexoffice, bitrix24 }, _running, run) => {
			const faultFree = succeeded(await run());
			const reference = crmSnapshot(bitrix24.state);
			bitrix24.reset();
			bitrix24.requests.clear();
			lexoffice.setFaults({ rate: FAULT_RATE, seed: 10 });
			bitrix24.setFaults({ rate: FAULT_RATE, seed: 10 });
			const faulted = succeeded(await run());
			const faultsInjected = { lexoffice: lexoffice.faults.stats(), bitrix24: bitrix24.faultStats() };
			lexoffice.setFaults({});
			bitrix24.setFaults({});
			const outcomes = nodeRunsOutputJson(faulted.execution, SYNC_NODE).flat();
			const { state } = bitrix24;
			const result: Omit<FaultsResult, 'secondRunWriteRequests'> = {
				contacts,
				faultFreeWallSeconds: faultFree.wallSeconds,
				wallSeconds: faulted.wallSeconds,
				faultsInjected,
				repairs: outcomes.filter((outcome) => outcome.settledByReadBack === true).length,
				failures:
					importStatistics(faulted.execution)?.failures.length ??
					outcomes.filter((outcome) => outcome.action === 'failed').length,
				differences: snapshotDifferences(crmSnapshot(state), reference),
				records: {
					companies: state.companies.length,
					contacts: state.contacts.length,
					requisites: state.requisites.length,
					addresses: state.addresses.length,
				},
			};
			bitrix24.requests.clear();
			succeeded(await run());
			const secondRunWriteRequests = bitrix24.requests
				.calls()
				.filter((call) => (call.batchMethods ?? [call.label ?? '']).some((method) => WRITE_METHOD.test(method))).length;
			return { ...result, secondRunWriteRequests };
		},
		options.timeoutMinutes,
	);
}

export async function optimePart(options: BenchOptions): Promise<OptimeResult> {
	const contacts = options.optimeContacts;
	const windowSeconds = options.optimeWindowSeconds;
	const limitSeconds = (480 / 600) * windowSeconds;
	return await onStack(
		'published',
		contacts,
		'standard',
		async (_sandboxes, _running, run) => {
			const { bitrix24 } = _sandboxes;
			bitrix24.setLimits({
				capacity: 50,
				drainPerSecond: 2,
				operatingLimitSeconds: limitSeconds,
				operatingWindowSeconds: windowSeconds,
			});
			bitrix24.setExecutionTime({ write: options.optimeWriteMs, read: 0 });
			bitrix24.requests.clear();
			const imported = succeeded(await run());
			const calls = bitrix24.requests.calls();
			const byMethod = new Map<string, number>();
			for (const call of calls.filter((entry) => entry.status === 200)) {
				for (const method of call.batchMethods ?? [])
					if (WRITE_METHOD.test(method)) byMethod.set(method, (byMethod.get(method) ?? 0) + 1);
			}
			const [method, busiestCalls] = [...byMethod].sort((a, b) => b[1] - a[1])[0] ?? ['-', 0];
			const pauses = calls.slice(1).map((call, index) => (call.at - calls[index].at) / 1000);
			return {
				contacts,
				writeMs: options.optimeWriteMs,
				windowSeconds,
				limitSeconds,
				wallSeconds: imported.wallSeconds,
				refusals: bitrix24.portal.limits.operating.refusals,
				busiest: { method, calls: busiestCalls, serverSeconds: (busiestCalls * options.optimeWriteMs) / 1000 },
				longestPauseSeconds: Math.max(0, ...pauses),
				failures: importStatistics(imported.execution)?.failures.length ?? 0,
				records: bitrix24.state.companies.length + bitrix24.state.contacts.length,
			};
		},
		options.timeoutMinutes,
	);
}

const injectedCell = (stats: FaultStats) =>
	`${stats.injected} (${stats.beforeProcessing} before / ${stats.afterProcessing} after processing; ${Object.entries(
		stats.byKind,
	)
		.map(([kind, count]) => `${kind}: ${count}`)
		.join(', ')})`;

/** Rows for the two tables the README shows. */
export function faultsRows(result: FaultsResult): Array<[string, string | number]> {
	return [
		['LexOffice contacts', result.contacts],
		['fault rate (both sandboxes)', `${FAULT_RATE * 100} %`],
		['wall time, fault-free run (s)', result.faultFreeWallSeconds.toFixed(1)],
		['wall time, run under faults (s)', result.wallSeconds.toFixed(1)],
		['faults injected, LexOffice', injectedCell(result.faultsInjected.lexoffice)],
		['faults injected, Bitrix24', injectedCell(result.faultsInjected.bitrix24)],
		['contacts repaired by reading back', result.repairs],
		['failures reported', result.failures],
		[
			'Bitrix24 records (companies / contacts / requisites / addresses)',
			`${result.records.companies} / ${result.records.contacts} / ${result.records.requisites} / ${result.records.addresses}`,
		],
		['differences to the fault-free run', result.differences.length === 0 ? 'none' : result.differences.join('; ')],
		['write requests of a second run', result.secondRunWriteRequests],
	];
}

export function optimeRows(result: OptimeResult): Array<[string, string | number]> {
	return [
		['LexOffice contacts', result.contacts],
		['server time charged per write (ms)', result.writeMs],
		['operating-time limit / window (s)', `${result.limitSeconds} / ${result.windowSeconds}`],
		[
			`busiest write method`,
			`${result.busiest.method}: ${result.busiest.calls} calls, ${result.busiest.serverSeconds.toFixed(1)} s of server time`,
		],
		['sub-calls refused with OPERATION_TIME_LIMIT (sent again after the wait)', result.refusals],
		['longest pause between Bitrix24 requests (s)', result.longestPauseSeconds.toFixed(1)],
		['wall time (s)', result.wallSeconds.toFixed(1)],
		['failures reported', result.failures],
		['companies + contacts in Bitrix24', result.records],
	];
}
