import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { APP_CONTEXT_NOTE } from '../../helpers/notices';
import { bitrix24Call } from '../../transport';
import type { OperationOption } from '../../../shared/operation';

export const option: OperationOption = {
	name: 'List App Triggers',
	value: 'listTriggers',
	description: 'List the triggers this application registered',
	action: 'List app triggers',
};

const displayOptions = { show: { resource: ['automation'], operation: ['listTriggers'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [
	{
		displayName: APP_CONTEXT_NOTE,
		name: 'listNotice',
		type: 'notice',
		default: '',
	},
]);

/** crm.automation.trigger.list (bitrix24-api.md §8): one item per trigger, `{NAME, CODE}`. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const answer = await bitrix24Call.call(this, 'crm.automation.trigger.list', {}, { itemIndex });
	return this.helpers.returnJsonArray(Array.isArray(answer.result) ? (answer.result as IDataObject[]) : []);
}
