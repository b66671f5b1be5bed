import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import type { CrmTargetType } from '../../helpers/crmEntities';
import { crmTargetProperties, readCrmTarget } from '../../helpers/crmTargetParameters';
import { bitrix24Call } from '../../transport';
import type { OperationOption } from '../../../shared/operation';

export const option: OperationOption = {
	name: 'Fire Webhook Trigger',
	value: 'fireWebhookTrigger',
	description: 'Fire an automation rule trigger of type "Webhook" that was set up in Bitrix24',
	action: 'Fire a webhook trigger',
};

const TYPES: CrmTargetType[] = ['deal', 'lead', 'smartInvoice', 'contact', 'company'];

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['automation'], operation: ['fireWebhookTrigger'] } },
	[
		{
			displayName:
				'Fires the "Webhook" trigger configured in a stage\'s automation rules (works with an incoming webhook; needs edit permission on the record). Deals and leads work. Contacts and companies have no automation rules, and smart-invoice targets may be refused with "Target is not found."; for those use Start Workflow or an app trigger.',
			name: 'webhookTriggerNotice',
			type: 'notice',
			default: '',
		},
		...crmTargetProperties({
			types: TYPES,
			defaultType: 'deal',
			typeDescription: 'Type of the record (the "target" is TYPE_ID, e.g. DEAL_57)',
		}),
		{
			displayName: 'Trigger Code',
			name: 'webhookTriggerCode',
			type: 'string',
			default: '',
			placeholder: 'nwly5',
			description:
				'The "code" from the trigger\'s URL in Bitrix24 (…crm.automation.trigger/?target=DEAL_{{ID}}&code=nwly5). Empty fires every webhook trigger of the record\'s stage.',
		},
	],
);

/** crm.automation.trigger with `target` = TYPENAME_ID and the optional `code` (bitrix24-api.md §8). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const { target, id } = readCrmTarget.call(this, itemIndex, TYPES);
	const code = String(this.getNodeParameter('webhookTriggerCode', itemIndex, '') ?? '').trim();
	const params: IDataObject = { target: `${target.code}_${id}` };
	if (code !== '') params.code = code;
	await bitrix24Call.call(this, 'crm.automation.trigger', params, { itemIndex });
	return this.helpers.returnJsonArray({ ...params, fired: true });
}
