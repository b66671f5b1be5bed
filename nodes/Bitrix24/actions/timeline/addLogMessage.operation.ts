import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import type { CrmTargetType } from '../../helpers/crmEntities';
import { crmTargetProperties, readCrmTarget, requiredTextParameter } from '../../helpers/crmTargetParameters';
import { bitrix24Call } from '../../transport';
import type { OperationOption } from '../../../shared/operation';

export const option: OperationOption = {
	name: 'Add Log Message',
	value: 'addLogMessage',
	description: 'Add a low-key log entry (title, text, icon) to the timeline of a record',
	action: 'Add a timeline log message',
};

const TYPES: CrmTargetType[] = ['contact', 'company', 'smartInvoice', 'deal', 'lead'];

const displayOptions = { show: { resource: ['timeline'], operation: ['addLogMessage'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [
	...crmTargetProperties({
		types: TYPES,
		defaultType: 'contact',
		typeDescription: 'Type of the record whose timeline gets the entry',
	}),
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'LexOffice',
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 3 },
		required: true,
		default: '',
	},
	{
		displayName: 'Icon',
		name: 'iconCode',
		type: 'options',
		required: true,
		// The codes the Bitrix24 docs show; a portal's own icons come from crm.timeline.icon.list.
		options: [
			{ name: 'Arrow Down', value: 'arrow-down' },
			{ name: 'Call', value: 'call' },
			{ name: 'Info', value: 'info' },
		],
		default: 'info',
		description:
			'Icon of the entry (required by Bitrix24). For an icon the portal added itself, enter its code with an expression; crm.timeline.icon.list lists them.',
	},
]);

/** crm.timeline.logmessage.add (bitrix24-api.md §7.1): all five fields are required, iconCode included. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const { target, id } = readCrmTarget.call(this, itemIndex, TYPES);
	const fields = {
		entityTypeId: target.entityTypeId,
		entityId: id,
		title: requiredTextParameter.call(this, 'title', 'Title', itemIndex),
		text: requiredTextParameter.call(this, 'text', 'Text', itemIndex),
		iconCode: requiredTextParameter.call(this, 'iconCode', 'Icon', itemIndex),
	};
	const answer = await bitrix24Call.call(this, 'crm.timeline.logmessage.add', { fields }, { itemIndex });
	const logMessage = ((answer.result as IDataObject | undefined)?.logMessage ?? answer.result) as IDataObject;
	return this.helpers.returnJsonArray(logMessage);
}
