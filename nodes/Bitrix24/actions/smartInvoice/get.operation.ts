import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import type { OperationOption } from '../../../shared/operation';
import { getInvoice, invoiceIdProperty, readInvoiceId } from './invoiceItem';

export const option: OperationOption = {
	name: 'Get',
	value: 'get',
	description: 'Get a smart invoice with its custom fields',
	action: 'Get a smart invoice',
};

const displayOptions = { show: { resource: ['smartInvoice'], operation: ['get'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [invoiceIdProperty]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	return this.helpers.returnJsonArray(await getInvoice.call(this, readInvoiceId.call(this, itemIndex), itemIndex));
}
