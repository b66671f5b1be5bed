import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { invoiceBody, type InvoiceInput } from '../../helpers/invoices';
import { parseActionResult, readAfterWrite } from '../../helpers/responses';
import { lexofficeRequest } from '../../transport';
import { getInvoice } from './read';

/**
 * Creates the invoice (a draft unless `finalize`, §4.1) and, when asked, reads it back for its
 * number and totals. The POST is not retried on a lost answer: the transport says so (§2, 504).
 */
export async function createInvoice(
	this: IExecuteFunctions,
	input: InvoiceInput,
	{ finalize, readBack }: { finalize: boolean; readBack: boolean },
): Promise<{ result: IDataObject & { id: string }; invoice?: IDataObject }> {
	const answer = await lexofficeRequest.call(this, {
		method: 'POST',
		path: '/v1/invoices',
		qs: finalize ? { finalize: true } : {},
		body: invoiceBody(input),
	});
	const result = parseActionResult.call(this, answer, 'the new invoice');
	if (!readBack) return { result };
	const invoice = await readAfterWrite.call(this, { what: 'invoice', id: result.id, done: 'created' }, async () => await getInvoice.call(this, result.id));
	return { result, invoice };
}
