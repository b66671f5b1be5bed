import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import type { OperationOption } from '../../../shared/operation';
import { invoiceFieldOptions, readStageChoice, responsibleProperty, stageProperties } from './description';
import { readInvoiceFields, readResponsible } from './fields';
import { addInvoice, keepAccountNumber } from './invoiceItem';
import { defaultCategory, invoiceCategories, resolveStage } from '../../helpers/invoiceStages';

export const option: OperationOption = {
	name: 'Create',
	value: 'create',
	description: 'Create a smart invoice',
	action: 'Create a smart invoice',
};

const displayOptions = { show: { resource: ['smartInvoice'], operation: ['create'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		default: '',
		placeholder: 'Rechnung RE-2024-0042',
		description: 'Name of the invoice. Empty: Bitrix24 names it itself ("Rechnung #ID").',
	},
	{
		displayName: 'Category Name or ID',
		name: 'categoryId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getSmartInvoiceCategories' },
		default: '',
		description:
			'Invoice pipeline; empty means the portal\'s default. Category IDs differ between portals. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	...stageProperties('First Stage of the Category'),
	responsibleProperty('Employee responsible for the invoice. Empty: the user behind the credential.'),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: invoiceFieldOptions(false),
	},
]);

/** The chosen category, or the portal's default one, as a number (only read when a stage needs it). */
async function categoryFor(this: IExecuteFunctions, chosen: string, itemIndex: number): Promise<number> {
	if (chosen !== '') return Number(chosen);
	const category = defaultCategory(await invoiceCategories.call(this, itemIndex));
	return category ? category.id : 0;
}

/** crm.item.add for entityTypeId 31 (bitrix24-api.md §6); the answer is the stored invoice. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const fields = readInvoiceFields.call(this, 'additionalFields', itemIndex);
	const title = String(this.getNodeParameter('title', itemIndex, '') ?? '').trim();
	if (title !== '') fields.title = title;
	const assignedById = readResponsible.call(this, itemIndex);
	if (assignedById !== undefined) fields.assignedById = assignedById;
	const chosenCategory = String(this.getNodeParameter('categoryId', itemIndex, '') ?? '').trim();
	if (chosenCategory !== '' && !/^\d+$/.test(chosenCategory)) {
		throw new NodeOperationError(this.getNode(), `"Category" must be a category ID, got "${chosenCategory}"`, {
			itemIndex,
			description: "Pick the category from the list, or leave it empty for the portal's default category.",
		});
	}
	if (chosenCategory !== '') fields.categoryId = Number(chosenCategory);
	const stage = readStageChoice.call(this, itemIndex);
	if (stage)
		fields.stageId = await resolveStage.call(
			this,
			await categoryFor.call(this, chosenCategory, itemIndex),
			stage,
			itemIndex,
		);
	const item = await addInvoice.call(this, fields, itemIndex);
	return this.helpers.returnJsonArray(await keepAccountNumber.call(this, item, fields, true, itemIndex));
}
