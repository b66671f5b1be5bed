import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { APP_CONTEXT_NOTE } from '../../helpers/notices';
import { bitrix24Call } from '../../transport';
import type { OperationOption } from '../../../shared/operation';
import { readTriggerCode, triggerCodeProperty } from './triggerCode';

export const option: OperationOption = {
	name: 'Delete App Trigger',
	value: 'deleteTrigger',
	description: 'Remove a trigger this application registered',
	action: 'Delete an app trigger',
};

const displayOptions = { show: { resource: ['automation'], operation: ['deleteTrigger'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [
	{
		displayName: APP_CONTEXT_NOTE,
		name: 'deleteNotice',
		type: 'notice',
		default: '',
	},
	triggerCodeProperty,
]);

/** crm.automation.trigger.delete (bitrix24-api.md §8). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const code = readTriggerCode.call(this, 'triggerCode', itemIndex);
	await bitrix24Call.call(this, 'crm.automation.trigger.delete', { CODE: code }, { itemIndex });
	return this.helpers.returnJsonArray({ CODE: code, deleted: true });
}
