/**
 * The description's expressions, evaluated by n8n-workflow the way n8n evaluates webhook
 * descriptions (responseMode decides whether a "Respond to Webhook" node answers).
 */
import type { INodeParameters } from 'n8n-workflow';

import { Bitrix24Trigger } from '../../../nodes/Bitrix24Trigger/Bitrix24Trigger.node';
import { CRM_EVENTS } from '../../../nodes/Bitrix24Trigger/crmEvents';
import { createNodeHarness } from '../../helpers/n8nContext';

function evaluate(expression: string, parameters: INodeParameters): unknown {
	const { workflow, node } = createNodeHarness(new Bitrix24Trigger(), { parameters });
	return workflow.expression.getSimpleParameterValue(node, expression, 'webhook', {});
}

const { description } = new Bitrix24Trigger();

describe('Bitrix24 Trigger description', () => {
	it.each([
		[{ mode: 'placement', placementResponse: 'responseNode' }, 'responseNode'],
		[{ mode: 'placement', placementResponse: 'redirectPage' }, 'onReceived'],
		[{ mode: 'placement' }, 'onReceived'], // by default the trigger answers with the redirect page
		[{ mode: 'events', events: ['ONCRMCONTACTADD'] }, 'onReceived'],
		[{ mode: 'appInstall' }, 'onReceived'],
	])('answers %j in response mode %s', (parameters, responseMode) => {
		expect(evaluate(description.webhooks![0].responseMode as string, parameters)).toBe(responseMode);
	});

	it.each([
		['events', 'CRM Events'],
		['placement', 'Placement'],
		['appInstall', 'App Installation'],
	])('shows mode %s as subtitle %s', (mode, subtitle) => {
		expect(evaluate(description.subtitle as string, { mode })).toBe(subtitle);
	});

	it('lets n8n parse request bodies (v1 nodes are asked for options.binaryData first)', () => {
		// n8n 2.41 cli webhook-helpers parseRequestBody: a truthy value would skip body parsing.
		expect(evaluate('={{$parameter["options"]["binaryData"]}}', { mode: 'events' })).toBeFalsy();
	});

	it('offers the documented event names, including the dynamic-item family for smart invoices', () => {
		const offered = description.properties
			.find((property) => property.name === 'events')
			?.options?.map((option) => (option as { value: string }).value);
		expect(offered).toEqual(CRM_EVENTS.map((event) => event.value));
		expect(offered).toEqual(
			expect.arrayContaining([
				'ONCRMCONTACTADD',
				'ONCRMCOMPANYDELETE',
				'onCrmDynamicItemAdd',
				'onCrmDynamicItemUpdate',
				'onCrmDynamicItemDelete',
			]),
		);
	});
});
