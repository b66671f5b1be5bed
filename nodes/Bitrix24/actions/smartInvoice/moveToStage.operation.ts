import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import type { OperationOption } from '../../../shared/operation';
import { readStageChoice, stageProperties } from './description';
import { getInvoice, invoiceIdProperty, readInvoiceId, updateInvoice } from './invoiceItem';
import { resolveStage } from '../../helpers/invoiceStages';

export const option: OperationOption = {
	name: 'Move to Stage',
	value: 'moveToStage',
	description: 'Move a smart invoice to a stage, e.g. Paid',
	action: 'Move a smart invoice to a stage',
};

const displayOptions = { show: { resource: ['smartInvoice'], operation: ['moveToStage'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [
	invoiceIdProperty,
	...stageProperties(undefined, "the invoice's category (stages of every category are listed)"),
]);

/**
 * Reads the invoice for its category (stage ids are per category, bitrix24-api.md §6), then sets
 * `stageId`. Automation rules on the stage run in Bitrix24 as after a move in the UI.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const id = readInvoiceId.call(this, itemIndex);
	const choice = readStageChoice.call(this, itemIndex) ?? { by: 'meaning', meaning: 'new' };
	const current = await getInvoice.call(this, id, itemIndex);
	const stageId = await resolveStage.call(this, Number(current.categoryId), choice, itemIndex);
	if (current.stageId === stageId) return this.helpers.returnJsonArray(current);
	return this.helpers.returnJsonArray(await updateInvoice.call(this, id, { stageId }, itemIndex));
}
