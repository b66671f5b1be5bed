import type { INode } from 'n8n-workflow';

import { bundledWorkflow, bundledWorkflowNames, type WorkflowJson } from '../../harness';
import { CONTACTS_WORKFLOW, isEventDriven, manualTriggerName, triggerNodes } from '../../../scripts/lib/workflows';

function workflowOf(...nodes: Array<Pick<INode, 'name' | 'type'> & Partial<INode>>): WorkflowJson {
	return {
		name: 'test',
		nodes: nodes.map((node) => ({ id: node.name, typeVersion: 1, position: [0, 0], parameters: {}, ...node })),
		connections: {},
	};
}

describe('workflow classification', () => {
	it.each([
		['manual only', [{ name: 'Start', type: 'n8n-nodes-base.manualTrigger' }], false],
		['schedule only', [{ name: 'Nightly', type: 'n8n-nodes-base.scheduleTrigger' }], false],
		[
			'manual and schedule',
			[
				{ name: 'Start', type: 'n8n-nodes-base.manualTrigger' },
				{ name: 'Nightly', type: 'n8n-nodes-base.scheduleTrigger' },
			],
			false,
		],
		[
			'our event trigger beside a schedule',
			[
				{ name: 'Event', type: 'n8n-nodes-lexoffice-bitrix24.lexofficeTrigger' },
				{ name: 'Nightly', type: 'n8n-nodes-base.scheduleTrigger' },
			],
			true,
		],
		['a polling trigger', [{ name: 'Poll', type: 'n8n-nodes-lexoffice-bitrix24.lexofficePollTrigger' }], true],
		['the core Webhook node', [{ name: 'Hook', type: 'n8n-nodes-base.webhook' }], true],
		[
			'an event trigger that is disabled',
			[{ name: 'Event', type: 'n8n-nodes-lexoffice-bitrix24.bitrix24Trigger', disabled: true }],
			false,
		],
		['no trigger, only actions', [{ name: 'Call', type: 'n8n-nodes-lexoffice-bitrix24.bitrix24' }], false],
	])('%s → event-driven %s', (_label, nodes, expected) => {
		expect(isEventDriven(workflowOf(...nodes))).toBe(expected);
	});

	it('does not count action nodes or sticky notes as triggers', () => {
		const workflow = workflowOf(
			{ name: 'Note', type: 'n8n-nodes-base.stickyNote' },
			{ name: 'Trigger', type: 'n8n-nodes-lexoffice-bitrix24.bitrix24Trigger' },
			{ name: 'Action', type: 'n8n-nodes-lexoffice-bitrix24.bitrix24' },
		);
		expect(triggerNodes(workflow).map((node) => node.name)).toEqual(['Trigger']);
	});

	it('finds the manual trigger to run from', () => {
		const workflow = workflowOf(
			{ name: 'Nightly', type: 'n8n-nodes-base.scheduleTrigger' },
			{ name: 'Go', type: 'n8n-nodes-base.manualTrigger' },
		);
		expect(manualTriggerName(workflow)).toBe('Go');
		expect(manualTriggerName(workflowOf({ name: 'Nightly', type: 'n8n-nodes-base.scheduleTrigger' }))).toBeUndefined();
	});

	it('classifies the bundled contacts workflow: published for its events, and its import run by hand', () => {
		expect(bundledWorkflowNames()).toContain(CONTACTS_WORKFLOW);
		expect(bundledWorkflowNames()).not.toContain('lexoffice-bitrix24-initial-import');
		const contacts = bundledWorkflow(CONTACTS_WORKFLOW);
		expect(isEventDriven(contacts)).toBe(true);
		expect(manualTriggerName(contacts)).toBe('Start import');
	});
});
