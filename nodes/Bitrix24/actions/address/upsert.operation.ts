import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { positiveIdParameter } from '../../helpers/crmTargetParameters';
import { bitrix24Call, rowsOf } from '../../transport';
import type { OperationOption } from '../../../shared/operation';
import {
	addressListParams,
	addressTypeIdOf,
	addressTypeProperty,
	addressValueProperties,
	asNodeInputError,
	countryNameLanguageProperty,
	planAddressWrite,
	requisiteIdProperty,
	toAddressValues,
} from '../../helpers/addressValues';

export const option: OperationOption = {
	name: 'Create or Update',
	value: 'upsert',
	description: 'Create a new record, or update the current one if it already exists (upsert)',
	action: 'Create or update an address',
};

const displayOptions = { show: { resource: ['address'], operation: ['upsert'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [
	requisiteIdProperty('ID of the requisite the address belongs to'),
	addressTypeProperty('Address Type Name or ID', 'A requisite holds one address per type.'),
	...addressValueProperties(),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [countryNameLanguageProperty],
	},
]);

/**
 * Looks the address up by its three keys, then adds it or updates it (never a second add, which
 * fails with "TypeAddress exists", §5); an address that already holds these values is not written.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const requisiteId = positiveIdParameter.call(this, 'requisiteId', 'Requisite ID', itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	let typeId: number;
	let values: ReturnType<typeof toAddressValues>;
	try {
		typeId = addressTypeIdOf(this.getNodeParameter('typeId', itemIndex), 'Address Type');
		const raw: IDataObject = {};
		for (const name of ['street', 'supplement', 'zip', 'city', 'countryCode'])
			raw[name] = this.getNodeParameter(name, itemIndex, '');
		values = toAddressValues(raw, options.countryNameLanguage === 'en' ? 'en' : 'de', 'Address');
	} catch (error) {
		throw asNodeInputError(this.getNode(), itemIndex, error);
	}
	if (values === null) {
		throw new NodeOperationError(this.getNode(), 'Every address field is empty', {
			itemIndex,
			description:
				'Fill in at least one of Street, Supplement, ZIP Code, City or Country Code. To remove an address, use Address → Delete.',
		});
	}
	const found = await bitrix24Call.call(this, 'crm.address.list', addressListParams([requisiteId], typeId), {
		itemIndex,
	});
	const write = planAddressWrite(typeId, requisiteId, rowsOf(found.result)[0], values, false);
	if (write.method) await bitrix24Call.call(this, write.method, { fields: write.fields }, { itemIndex });
	return this.helpers.returnJsonArray({ action: write.action, requisiteId, typeId });
}
