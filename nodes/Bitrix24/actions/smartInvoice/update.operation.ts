import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import type { OperationOption } from '../../../shared/operation';
import { invoiceFieldOptions, readStageChoice, responsibleProperty, stageProperties } from './description';
import { readInvoiceFields, readResponsible } from './fields';
import { getInvoice, invoiceIdProperty, keepAccountNumber, readInvoiceId, updateInvoice } from './invoiceItem';
import { resolveStage } from '../../helpers/invoiceStages';

export const option: OperationOption = {
	name: 'Update',
	value: 'update',
	description: 'Change fields or the stage of a smart invoice',
	action: 'Update a smart invoice',
};

const displayOptions = { show: { resource: ['smartInvoice'], operation: ['update'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [
	invoiceIdProperty,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: invoiceFieldOptions(true),
	},
	...stageProperties('Leave Unchanged', "the invoice's category (stages of every category are listed)"),
	responsibleProperty('Employee responsible for the invoice. Empty: unchanged.'),
]);

/** crm.item.update (bitrix24-api.md §6); a stage is checked against the invoice's own category first. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const id = readInvoiceId.call(this, itemIndex);
	const fields = readInvoiceFields.call(this, 'updateFields', itemIndex);
	const assignedById = readResponsible.call(this, itemIndex);
	if (assignedById !== undefined) fields.assignedById = assignedById;
	const stage = readStageChoice.call(this, itemIndex);
	if (stage) {
		const current = await getInvoice.call(this, id, itemIndex);
		fields.stageId = await resolveStage.call(this, Number(current.categoryId), stage, itemIndex);
	}
	const item =
		Object.keys(fields).length > 0
			? await updateInvoice.call(this, id, fields, itemIndex)
			: await getInvoice.call(this, id, itemIndex);
	return this.helpers.returnJsonArray(await keepAccountNumber.call(this, item, fields, false, itemIndex));
}
