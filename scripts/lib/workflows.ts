/** Importing the bundled workflows into n8n and publishing the ones that wait for events. */
import type { INode } from 'n8n-workflow';

import { bundledWorkflow, bundledWorkflowNames, type N8nClient, type WorkflowJson } from '../../test/harness';

/**
 * The contacts workflow: the import (manual trigger "Start import"), the LexOffice events and the
 * nightly reconciliation, all through its one Sync Contacts node. Its file keeps the name it had as
 * the incremental sync.
 */
export const CONTACTS_WORKFLOW = 'lexoffice-bitrix24-incremental-sync';

/**
 * Triggers that need no publishing to do their job: started by hand, by the clock, or by another
 * workflow. A workflow whose triggers are all of these is not published by the local stack (a
 * schedule-only workflow is a decision the user should take in the editor).
 */
const NOT_EVENT_TRIGGERS = new Set([
	'n8n-nodes-base.manualTrigger',
	'n8n-nodes-base.scheduleTrigger',
	'n8n-nodes-base.cron',
	'n8n-nodes-base.interval',
	'n8n-nodes-base.executeWorkflowTrigger',
	'n8n-nodes-base.errorTrigger',
]);

/** n8n's convention: trigger node types end in "Trigger"; the core Webhook node is the exception. */
function isTrigger(node: INode): boolean {
	return /Trigger$/.test(node.type) || node.type === 'n8n-nodes-base.webhook';
}

export function triggerNodes(workflow: WorkflowJson): INode[] {
	return workflow.nodes.filter((node) => isTrigger(node) && node.disabled !== true);
}

/** True when some trigger waits for something from outside (a webhook, an event, a poll). */
export function isEventDriven(workflow: WorkflowJson): boolean {
	return triggerNodes(workflow).some((node) => !NOT_EVENT_TRIGGERS.has(node.type));
}

/** The node a manual run starts from. */
export function manualTriggerName(workflow: WorkflowJson): string | undefined {
	return triggerNodes(workflow).find((node) => node.type === 'n8n-nodes-base.manualTrigger')?.name;
}

export interface ImportedBundle {
	/** File name in workflows/ without .json. */
	file: string;
	id: string;
	workflow: WorkflowJson;
	eventDriven: boolean;
}

export async function importBundledWorkflows(n8n: N8nClient): Promise<ImportedBundle[]> {
	const imported: ImportedBundle[] = [];
	for (const file of bundledWorkflowNames()) {
		const workflow = bundledWorkflow(file);
		const { id } = await n8n.importWorkflow(workflow);
		imported.push({ file, id, workflow, eventDriven: isEventDriven(workflow) });
	}
	return imported;
}

export interface PublishOutcome {
	file: string;
	published: boolean;
	/** n8n's own reason when publishing failed (trigger activation errors included). */
	error?: string;
}

/** Publishes every event-driven workflow; one failing does not stop the others. */
export async function publishEventDriven(n8n: N8nClient, bundles: ImportedBundle[]): Promise<PublishOutcome[]> {
	const outcomes: PublishOutcome[] = [];
	for (const bundle of bundles.filter((candidate) => candidate.eventDriven)) {
		try {
			await n8n.publish(bundle.id);
			await n8n.waitPublished(bundle.id, { timeoutMs: 60_000 });
			outcomes.push({ file: bundle.file, published: true });
		} catch (error) {
			// The harness appends n8n's log tail to its errors; the first line is the reason.
			outcomes.push({ file: bundle.file, published: false, error: (error as Error).message.split('\n')[0] });
		}
	}
	return outcomes;
}
