import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { positiveIdParameter } from '../../helpers/crmTargetParameters';
import { bitrix24Call } from '../../transport';
import { requisiteIdProperty } from '../../helpers/addressValues';
import type { OperationOption } from '../../../shared/operation';

export const option: OperationOption = {
	name: 'Delete',
	value: 'delete',
	description: 'Delete a requisite together with its addresses',
	action: 'Delete a requisite',
};

const displayOptions = { show: { resource: ['requisite'], operation: ['delete'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [
	requisiteIdProperty('ID of the requisite to delete; its addresses and bank details go with it'),
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const requisiteId = positiveIdParameter.call(this, 'requisiteId', 'Requisite ID', itemIndex);
	await bitrix24Call.call(this, 'crm.requisite.delete', { id: requisiteId }, { itemIndex });
	return this.helpers.returnJsonArray({ requisiteId, deleted: true });
}
