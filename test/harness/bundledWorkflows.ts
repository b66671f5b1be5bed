import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type { WorkflowJson } from './n8nClient';
import { REPO_ROOT } from './packAndInstall';

export const WORKFLOWS_DIR = path.join(REPO_ROOT, 'workflows');

/** A template from workflows/ exactly as a user imports it (`name` without the .json). */
export function bundledWorkflow(name: string): WorkflowJson {
	return JSON.parse(readFileSync(path.join(WORKFLOWS_DIR, `${name}.json`), 'utf8')) as WorkflowJson;
}

/** The names of every template in workflows/. */
export function bundledWorkflowNames(): string[] {
	return readdirSync(WORKFLOWS_DIR)
		.filter((file) => file.endsWith('.json'))
		.map((file) => file.replace(/\.json$/, ''))
		.sort();
}
