import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { positiveIdParameter } from '../../helpers/crmTargetParameters';
import { bitrix24Call, rowsOf } from '../../transport';
import type { OperationModule } from '../types';
import { addressListParams, requisiteIdProperty } from '../../helpers/addressValues';

export const option: OperationModule['option'] = {
	name: 'Get Many',
	value: 'getMany',
	description: 'Get the addresses of a requisite',
	action: 'Get many addresses',
};

export const description: INodeProperties[] = updateDisplayOptions({ show: { resource: ['address'], operation: ['getMany'] } }, [
	requisiteIdProperty('ID of the requisite whose addresses to get'),
]);

/** One output item per address; a requisite has at most one per type, so one page holds them all. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const requisiteId = positiveIdParameter(this, 'requisiteId', 'Requisite ID', itemIndex);
	const answer = await bitrix24Call.call(this, 'crm.address.list', addressListParams([requisiteId]), { itemIndex });
	return rowsOf(answer.result);
}
