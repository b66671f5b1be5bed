import type { IDataObject } from 'n8n-workflow';

import type { Execution } from './n8nClient';

/** JSON of the items a node emitted on its first output in its first run. */
export function nodeOutputJson(execution: Execution, nodeName: string): IDataObject[] {
	const runs = execution.data?.resultData.runData[nodeName] ?? [];
	return (runs[0]?.data?.main?.[0] ?? []).map((item) => item.json);
}

/** The first output's items of every run of a node, run by run (a node in a loop runs once per round). */
export function nodeRunsOutputJson(execution: Execution, nodeName: string): IDataObject[][] {
	const runs = execution.data?.resultData.runData[nodeName] ?? [];
	return runs.map((run) => (run.data?.main?.[0] ?? []).map((item) => item.json));
}

/** The execution's error message, or undefined; for assertion diffs that explain a failed run. */
export function executionError(execution: Execution): string | undefined {
	const error = execution.data?.resultData.error;
	return error ? `${error.message}${error.description ? ` (${error.description})` : ''}` : undefined;
}
