import { NodeApiError, type IDataObject, type IExecuteFunctions, type JsonObject } from 'n8n-workflow';

import { invoiceBody, type InvoiceInput } from '../../helpers/invoices';
import { parseActionResult, readAfterWrite } from '../../helpers/responses';
import { isUncertainWrite, lexofficeRequest } from '../../transport';
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
	let answer: unknown;
	try {
		answer = await lexofficeRequest.call(this, {
			method: 'POST',
			path: '/v1/invoices',
			qs: finalize ? { finalize: true } : {},
			body: invoiceBody(input),
		});
	} catch (error) {
		// Never repeated: a finalized invoice has a number and cannot be deleted (§4.1).
		if (isUncertainWrite(error)) (error as { description?: string | null }).description = whatToCheck(input, finalize);
		// The transport's errors are NodeApiErrors already, handed back unchanged.
		throw new NodeApiError(this.getNode(), error as JsonObject);
	}
	const result = parseActionResult.call(this, answer, 'the new invoice');
	if (!readBack) return { result };
	const invoice = await readAfterWrite.call(
		this,
		{ what: 'invoice', id: result.id, done: 'created' },
		async () => await getInvoice.call(this, result.id),
	);
	return { result, invoice };
}

/** An invoice create whose answer was lost: what the user should look for before creating it again. */
export function whatToCheck(input: InvoiceInput, finalize: boolean): string {
	const recipient =
		'contactId' in input.address ? `the LexOffice contact ${input.address.contactId}` : `"${input.address.name}"`;
	const first = input.lineItems[0] ? ` (the first: "${input.lineItems[0].name}")` : '';
	const kind = finalize ? 'a finalized (numbered)' : 'a draft';
	return (
		'LexOffice may have created this invoice although no answer arrived, so it was not sent again. ' +
		`Before running this again, look in LexOffice under Rechnungen for ${kind} invoice for ${recipient} ` +
		`dated ${input.voucherDate.toISODate() ?? ''} with ${input.lineItems.length} line item(s)${first}. ` +
		'If it is there, use it; only if it is not, create the invoice again.'
	);
}
