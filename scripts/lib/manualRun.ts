/** Running a workflow by hand in n8n and reading the import's statistics. */
import axios from 'axios';

import type { Counts, SyncStatistics } from '../../nodes/Bitrix24/actions/lexofficeSync/syncStatistics';
import { executionError, nodeRunsOutputJson, pollUntil, type Execution, type N8nClient } from '../../test/harness';

/** What the contacts workflow's "Statistics" node puts out (its last run: the totals of every page). */
export type ImportStatistics = SyncStatistics;

export const STATISTICS_NODE = 'Statistics';

export interface ManualRun {
	execution: Execution;
	/** n8n's own start and stop stamps of the execution, so polling adds no error. */
	wallSeconds: number;
	error?: string;
}

/**
 * Starts the workflow from `triggerName` and waits for it to finish. The status is polled without
 * run data every `intervalMs` (cheap for n8n even for an hours-long run, so it barely shows in the
 * CPU that the benchmark measures); the data is fetched once at the end.
 */
export async function runManually(
	n8n: N8nClient,
	apiKey: string,
	workflowId: string,
	triggerName: string,
	{ timeoutMs, intervalMs = 2_000 }: { timeoutMs: number; intervalMs?: number },
): Promise<ManualRun> {
	const executionId = await n8n.runManually(workflowId, triggerName);
	await pollUntil(
		async () => {
			const response = await axios
				.get<{ finished?: boolean; status?: string; stoppedAt?: string | null }>(
					`${n8n.baseUrl}/api/v1/executions/${encodeURIComponent(executionId)}`,
					{ headers: { 'x-n8n-api-key': apiKey }, proxy: false, validateStatus: () => true, timeout: 30_000 },
				)
				// A busy n8n may drop one poll (socket hang up); the next poll asks again.
				.catch(() => undefined);
			// 404 while n8n has not written the execution yet.
			const { status, stoppedAt } = response?.status === 200 ? response.data : {};
			return status && status !== 'running' && status !== 'new' && status !== 'waiting' && stoppedAt ? true : undefined;
		},
		{ what: `execution ${executionId} of workflow ${workflowId}`, timeoutMs, intervalMs },
	);
	const execution = await n8n.getExecution(executionId);
	const startedAt = Date.parse(execution.startedAt ?? '');
	const stoppedAt = Date.parse(execution.stoppedAt ?? '');
	return { execution, wallSeconds: (stoppedAt - startedAt) / 1000, error: executionError(execution) };
}

/** The invoice-status workflow and its one-time setup branch (the Bitrix24 app's automation triggers). */
export const INVOICE_STATUS_WORKFLOW = 'lexoffice-bitrix24-invoice-status';
export const REGISTER_TRIGGERS = 'Register triggers once';

/**
 * Runs the invoice-status workflow's one-time setup: without it every "Fire automation trigger" is
 * refused with "Trigger not found." (the app has registered no trigger), so no automation ever fires.
 */
export async function registerAppTriggers(
	n8n: N8nClient,
	apiKey: string,
	workflowId: string,
	{ timeoutMs = 3 * 60_000 }: { timeoutMs?: number } = {},
): Promise<ManualRun> {
	return await runManually(n8n, apiKey, workflowId, REGISTER_TRIGGERS, { timeoutMs, intervalMs: 1_000 });
}

export function importStatistics(execution: Execution): ImportStatistics | undefined {
	return nodeRunsOutputJson(execution, STATISTICS_NODE).at(-1)?.[0] as unknown as ImportStatistics | undefined;
}

const countsLine = (label: string, counts: Counts) =>
	`${label.padEnd(16)}${String(counts.created).padStart(7)} created ${String(counts.updated).padStart(7)} updated ` +
	`${String(counts.unchanged).padStart(7)} unchanged ${String(counts.failed).padStart(7)} failed`;

/** The statistics as a few terminal lines; at most `maxFailures` failures listed. Pure. */
export function formatStatistics(statistics: ImportStatistics, maxFailures = 5): string {
	const lines = [
		`${statistics.total} LexOffice contacts${statistics.dryRun ? ' (dry run: nothing written)' : ''}`,
		countsLine('companies', statistics.companies),
		countsLine('contacts', statistics.contacts),
		countsLine('contact persons', statistics.contactPersons),
		`skipped (archived): ${statistics.skippedArchived}`,
	];
	if (statistics.adoptedExisting)
		lines.splice(4, 0, `adopted existing Bitrix24 records (same e-mail): ${statistics.adoptedExisting}`);
	for (const failure of statistics.failures.slice(0, maxFailures)) {
		lines.push(`failed: ${failure.name ?? failure.lexofficeId ?? '?'}: ${failure.error}`);
	}
	if (statistics.failures.length > maxFailures)
		lines.push(`… and ${statistics.failures.length - maxFailures} more failures`);
	return lines.join('\n');
}
