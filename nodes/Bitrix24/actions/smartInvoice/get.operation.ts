import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import type { OperationModule } from '../types';
import { getInvoice, invoiceIdProperty, readInvoiceId } from './invoiceItem';

export const option: OperationModule['option'] = {
	name: 'Get',
	value: 'get',
	description: 'Get a smart invoice with its custom fields',
	action: 'Get a smart invoice',
};

export const description: INodeProperties[] = updateDisplayOptions({ show: { resource: ['smartInvoice'], operation: ['get'] } }, [
	invoiceIdProperty,
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await getInvoice(this, readInvoiceId(this, itemIndex), itemIndex);
}
