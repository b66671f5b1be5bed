import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { z } from 'zod';

import { DEFAULT_APP_URL, permalinksFor } from '../../helpers/eventResources';
import {
	LEXOFFICE_CREDENTIAL_TYPE,
	lexofficeRequest,
	unexpectedResponseError,
	type LexofficeCredentials,
} from '../../transport';

const invoiceSchema = z.object({ id: z.string(), voucherStatus: z.string() }).passthrough();

/** GET /v1/invoices/{id} (§4.1). */
export async function getInvoice(this: IExecuteFunctions, id: string): Promise<IDataObject> {
	const body = await lexofficeRequest.call(this, { path: `/v1/invoices/${encodeURIComponent(id)}` });
	const invoice = invoiceSchema.safeParse(body);
	if (!invoice.success) throw unexpectedResponseError(this.getNode(), 'an invoice', invoice.error.message);
	return invoice.data as IDataObject;
}

/** View and edit links of an invoice in the web app of the credential (§4.4; no request). */
export async function invoicePermalinks(
	this: IExecuteFunctions,
	id: string,
): Promise<{ viewUrl: string; editUrl: string }> {
	const { appUrl } = await this.getCredentials<LexofficeCredentials>(LEXOFFICE_CREDENTIAL_TYPE);
	const links = permalinksFor('invoice', id, appUrl?.trim() || DEFAULT_APP_URL);
	return { viewUrl: links.view ?? '', editUrl: links.edit ?? '' };
}

/** Get with Simplify: these fields, flattened (lexoffice-api.md §4.2). */
export const SIMPLE_INVOICE_FIELDS = [
	'id',
	'voucherNumber',
	'voucherStatus',
	'voucherDate',
	'dueDate',
	'contactId',
	'contactName',
	'totalGrossAmount',
	'currency',
	'updatedDate',
] as const;

export function simplifyInvoice(invoice: IDataObject): IDataObject {
	const address = (invoice.address ?? {}) as IDataObject;
	const totalPrice = (invoice.totalPrice ?? {}) as IDataObject;
	return {
		id: invoice.id,
		voucherNumber: invoice.voucherNumber ?? null,
		voucherStatus: invoice.voucherStatus,
		voucherDate: invoice.voucherDate ?? null,
		dueDate: invoice.dueDate ?? null,
		contactId: address.contactId ?? null,
		contactName: address.name ?? null,
		totalGrossAmount: totalPrice.totalGrossAmount ?? null,
		currency: totalPrice.currency ?? null,
		updatedDate: invoice.updatedDate ?? null,
	};
}
