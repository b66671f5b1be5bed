import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { invoiceLocator, locatorId } from '../common';
import type { OperationOption } from '../../../shared/operation';
import { simplifyProperty, wantsSimplified } from '../../../shared/simplify';
import { getInvoice, SIMPLE_INVOICE_FIELDS, simplifyInvoice } from './read';

/** GET /v1/invoices/{id} (lexoffice-api.md §4.1). */

export const option: OperationOption = {
	name: 'Get',
	value: 'get',
	description: 'Get an invoice by ID',
	action: 'Get an invoice',
};

const displayOptions = { show: { resource: ['invoice'], operation: ['get'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [
	invoiceLocator(),
	simplifyProperty(SIMPLE_INVOICE_FIELDS),
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const id = locatorId.call(this, itemIndex, 'invoiceId', 'Invoice');
	const invoice = await getInvoice.call(this, id);
	return [{ json: wantsSimplified.call(this, itemIndex) ? simplifyInvoice(invoice) : invoice }];
}
