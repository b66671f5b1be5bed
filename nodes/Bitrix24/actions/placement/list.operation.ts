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
	name: 'List',
	value: 'list',
	description: 'List the buttons and tabs this application added',
	action: 'List placements',
};

const displayOptions = { show: { resource: ['placement'], operation: ['list'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [
	{
		displayName: APP_CONTEXT_NOTE,
		name: 'listPlacementsNotice',
		type: 'notice',
		default: '',
	},
]);

/** placement.get (bitrix24-api.md §9): one item per binding of this application. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const answer = await bitrix24Call.call(this, 'placement.get', {}, { itemIndex });
	return this.helpers.returnJsonArray(Array.isArray(answer.result) ? (answer.result as IDataObject[]) : []);
}
