import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { APP_CONTEXT_NOTE } from '../../helpers/notices';
import { bitrix24Call } from '../../transport';
import { invoiceTriggerName } from '../../../shared/contract/invoiceStatus';
import { languageProperty, readLanguage } from '../../../shared/language';
import type { OperationOption } from '../../../shared/operation';
import { readTriggerCode } from './triggerCode';

export const option: OperationOption = {
	name: 'Register App Trigger',
	value: 'registerTrigger',
	description: 'Register a trigger that automation rules in Bitrix24 can wait for',
	action: 'Register an app trigger',
};

const displayOptions = { show: { resource: ['automation'], operation: ['registerTrigger'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [
	{
		displayName: `Registers a trigger for this application. Someone still has to add it to a stage in the automation rules of deals, leads or smart invoices. ${APP_CONTEXT_NOTE}`,
		name: 'registerNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Trigger Code',
		name: 'code',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'lexoffice.invoice.paid',
		description: 'Unique code: lower-case letters, digits, ".", "-" and "_". Registering an existing code renames it.',
	},
	{
		displayName: 'Trigger Name',
		name: 'name',
		type: 'string',
		default: '',
		placeholder: 'LexOffice: Rechnung bezahlt',
		description:
			"Name shown in the automation rules editor. Empty for one of the invoice workflow's codes (lexoffice_invoice_open, _paid, _voided, _overdue): its name in the chosen language.",
	},
	{
		...languageProperty,
		description: 'Language of the name of an invoice workflow trigger when Trigger Name is empty',
	},
]);

/** crm.automation.trigger.add (bitrix24-api.md §8). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const code = readTriggerCode.call(this, 'code', itemIndex);
	const name =
		String(this.getNodeParameter('name', itemIndex, '') ?? '').trim() ||
		invoiceTriggerName(code, readLanguage.call(this, itemIndex));
	if (!name)
		throw new NodeOperationError(this.getNode(), '"Trigger Name" is empty', {
			itemIndex,
			description: `Bitrix24 requires a name for "${code}". Enter the name the automation rules editor should show.`,
		});
	await bitrix24Call.call(this, 'crm.automation.trigger.add', { CODE: code, NAME: name }, { itemIndex });
	return this.helpers.returnJsonArray({ CODE: code, NAME: name, registered: true });
}
