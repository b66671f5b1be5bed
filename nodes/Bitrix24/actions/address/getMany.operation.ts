import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { positiveIdParameter } from '../../helpers/crmTargetParameters';
import { bitrix24Call, rowsOf } from '../../transport';
import type { OperationOption } from '../../../shared/operation';
import { addressListParams, requisiteIdProperty } from '../../helpers/addressValues';

export const option: OperationOption = {
	name: 'Get Many',
	value: 'getMany',
	description: 'Get the addresses of a requisite',
	action: 'Get many addresses',
};

const displayOptions = { show: { resource: ['address'], operation: ['getMany'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [
	requisiteIdProperty('ID of the requisite whose addresses to get'),
]);

/** One output item per address; a requisite has at most one per type, so one page holds them all. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const requisiteId = positiveIdParameter.call(this, 'requisiteId', 'Requisite ID', itemIndex);
	const answer = await bitrix24Call.call(this, 'crm.address.list', addressListParams([requisiteId]), { itemIndex });
	return this.helpers.returnJsonArray(rowsOf(answer.result));
}
