import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { bitrix24Paginate, collectRows } from '../../transport';
import type { OperationOption } from '../../../shared/operation';
import { returnAllOrLimit } from '../../../shared/descriptions';

export const option: OperationOption = {
	name: 'Get Many',
	value: 'getMany',
	description: 'Get active users',
	action: 'Get many users',
};

const displayOptions = { show: { resource: ['user'], operation: ['getMany'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [
	...returnAllOrLimit,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Name Search',
				name: 'nameSearch',
				type: 'string',
				default: '',
				description: 'Part of the first name, last name or email',
			},
			{
				displayName: 'User Type',
				name: 'userType',
				type: 'options',
				default: 'employee',
				options: [
					{ name: 'Employee', value: 'employee' },
					{ name: 'Extranet', value: 'extranet' },
				],
			},
		],
	},
]);

/** bitrix24-api.md §11: user.get, paged by 50 with start/next (no `>ID` cursor for users). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
	const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex) as number);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as { nameSearch?: string; userType?: string };
	const filter: IDataObject = { ACTIVE: true };
	if (filters.nameSearch) filter.NAME_SEARCH = filters.nameSearch;
	if (filters.userType) filter.USER_TYPE = filters.userType;
	return this.helpers.returnJsonArray(
		await collectRows(
			bitrix24Paginate.call(this, 'user.get', { sort: 'ID', order: 'ASC', FILTER: filter }, { itemIndex, limit }),
		),
	);
}
