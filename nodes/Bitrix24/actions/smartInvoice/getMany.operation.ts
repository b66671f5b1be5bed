import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { positiveId } from '../../helpers/crmEntities';
import { bitrix24ScanAll, collectRows } from '../../transport';
import type { OperationOption } from '../../../shared/operation';
import { entityTypeId } from './invoiceItem';
import { returnAllOrLimit } from '../../../shared/descriptions';

export const option: OperationOption = {
	name: 'Get Many',
	value: 'getMany',
	description: 'List smart invoices, optionally filtered',
	action: 'Get many smart invoices',
};

const idFilter = (displayName: string, name: string, description: string): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: '',
	placeholder: '42',
	description,
});

const displayOptions = { show: { resource: ['smartInvoice'], operation: ['getMany'] } };

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
				displayName: 'Category Name or ID',
				name: 'categoryId',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getSmartInvoiceCategories' },
				default: '',
				description:
					'Only invoices of this pipeline. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			idFilter('Company ID', 'companyId', 'Only invoices of this client company'),
			idFilter('Contact ID', 'contactId', 'Only invoices whose main contact is this one'),
			{
				displayName: 'External Code',
				name: 'externalCode',
				type: 'string',
				default: '',
				description: 'Only invoices with exactly this external code (xmlId)',
			},
			{
				displayName: 'Responsible Person Name or ID',
				name: 'assignedById',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getUsers' },
				default: '',
				description:
					'Only invoices this employee is responsible for. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Stage Name or ID',
				name: 'stageId',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getSmartInvoiceStages', loadOptionsDependsOn: ['filters.categoryId'] },
				default: '',
				description:
					'Only invoices in this stage. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
		],
	},
]);

interface Filters {
	categoryId?: string;
	companyId?: string;
	contactId?: string;
	externalCode?: string;
	assignedById?: string;
	stageId?: string;
}

const ID_FILTERS = {
	categoryId: 'Category',
	companyId: 'Company ID',
	contactId: 'Contact ID',
	assignedById: 'Responsible Person',
} as const;

function listFilter(this: IExecuteFunctions, filters: Filters, itemIndex: number): IDataObject {
	const filter: IDataObject = {};
	for (const [name, label] of Object.entries(ID_FILTERS) as Array<[keyof typeof ID_FILTERS, string]>) {
		const raw = String(filters[name] ?? '').trim();
		if (raw === '') continue;
		// Category 0 does not exist for invoices, so every id here is positive.
		const id = positiveId(raw);
		if (id === null) {
			throw new NodeOperationError(this.getNode(), `Filter "${label}" must be a numeric ID, got "${raw}"`, {
				itemIndex,
				description: 'Enter the numeric ID from Bitrix24, or remove the filter.',
			});
		}
		filter[name] = id;
	}
	if (filters.stageId) filter.stageId = String(filters.stageId).trim();
	if (filters.externalCode) filter['=xmlId'] = String(filters.externalCode).trim();
	return filter;
}

/** crm.item.list with the fast `>id` scan (bitrix24-api.md §2), custom fields included. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
	const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex) as number);
	const filter = listFilter.call(this, this.getNodeParameter('filters', itemIndex, {}) as Filters, itemIndex);
	return this.helpers.returnJsonArray(
		await collectRows(
			bitrix24ScanAll.call(this, 'crm.item.list', { entityTypeId, filter, select: ['*', 'uf*'] }, { itemIndex, limit }),
		),
	);
}
