import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { positiveIdParameter } from '../../helpers/crmTargetParameters';
import { bitrix24Call } from '../../transport';
import type { OperationOption } from '../../../shared/operation';
import {
	addressKeyFields,
	addressTypeIdOf,
	addressTypeProperty,
	asNodeInputError,
	requisiteIdProperty,
} from '../../helpers/addressValues';

export const option: OperationOption = {
	name: 'Delete',
	value: 'delete',
	description: 'Delete the address of one type from a requisite',
	action: 'Delete an address',
};

const displayOptions = { show: { resource: ['address'], operation: ['delete'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [
	requisiteIdProperty('ID of the requisite the address belongs to'),
	addressTypeProperty('Address Type Name or ID', 'Type of the address to delete.'),
]);

/** crm.address.delete needs the same three keys as update (§5). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const requisiteId = positiveIdParameter.call(this, 'requisiteId', 'Requisite ID', itemIndex);
	let typeId: number;
	try {
		typeId = addressTypeIdOf(this.getNodeParameter('typeId', itemIndex), 'Address Type');
	} catch (error) {
		throw asNodeInputError(this.getNode(), itemIndex, error);
	}
	await bitrix24Call.call(this, 'crm.address.delete', { fields: addressKeyFields(typeId, requisiteId) }, { itemIndex });
	return this.helpers.returnJsonArray({ requisiteId, typeId, deleted: true });
}
