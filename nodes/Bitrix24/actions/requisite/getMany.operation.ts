import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { crmTargetProperties, readCrmTarget } from '../../helpers/crmTargetParameters';
import { bitrix24ScanAll, collectRows } from '../../transport';
import type { OperationOption } from '../../../shared/operation';
import { OWNER_TYPES } from '../shared/requisiteInput';
import { addressesOf } from '../shared/requisiteLookup';

export const option: OperationOption = {
	name: 'Get Many',
	value: 'getMany',
	description: 'Get the requisites of a company or contact',
	action: 'Get many requisites',
};

const displayOptions = { show: { resource: ['requisite'], operation: ['getMany'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [
	...crmTargetProperties({
		types: [...OWNER_TYPES],
		defaultType: 'company',
		typeDescription: 'Whether the requisites belong to a company or a contact',
	}),
	{
		displayName: 'Include Addresses',
		name: 'includeAddresses',
		type: 'boolean',
		default: false,
		description: 'Whether to add each requisite\'s addresses (as "addresses"); one more batch request for all of them',
	},
]);

/** One output item per requisite, oldest first (crm.requisite.list, §5). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const { target, id } = readCrmTarget.call(this, itemIndex, [...OWNER_TYPES]);
	const requisites = await collectRows(
		bitrix24ScanAll.call(
			this,
			'crm.requisite.list',
			{ filter: { ENTITY_TYPE_ID: target.entityTypeId, ENTITY_ID: id } },
			{ itemIndex },
		),
	);
	if (!(this.getNodeParameter('includeAddresses', itemIndex, false) as boolean)) {
		return this.helpers.returnJsonArray(requisites);
	}
	const addresses = await addressesOf.call(
		this,
		requisites.map((requisite) => Number(requisite.ID)),
	);
	return this.helpers.returnJsonArray(
		requisites.map((requisite) => ({
			...requisite,
			addresses: [...(addresses.get(Number(requisite.ID))?.values() ?? [])],
		})),
	);
}
