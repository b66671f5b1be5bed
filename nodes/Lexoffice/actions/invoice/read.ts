import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { z } from 'zod';

import { DEFAULT_APP_URL, permalinksFor } from '../../helpers/eventResources';
import { LEXOFFICE_CREDENTIAL_TYPE, lexofficeRequest, unexpectedResponseError, type LexofficeCredentials } from '../../transport';

const invoiceSchema = z.object({ id: z.string(), voucherStatus: z.string() }).passthrough();

/** GET /v1/invoices/{id} (§4.1). */
export async function getInvoice(this: IExecuteFunctions, id: string): Promise<IDataObject> {
	const body = await lexofficeRequest.call(this, { path: `/v1/invoices/${encodeURIComponent(id)}` });
	const invoice = invoiceSchema.safeParse(body);
	if (!invoice.success) throw unexpectedResponseError(this.getNode(), 'an invoice', invoice.error.message);
	return invoice.data as IDataObject;
}

/** View and edit links of an invoice in the web app of the credential (§4.4; no request). */
export async function invoicePermalinks(this: IExecuteFunctions, id: string): Promise<{ viewUrl: string; editUrl: string }> {
	const { appUrl } = await this.getCredentials<LexofficeCredentials>(LEXOFFICE_CREDENTIAL_TYPE);
	const links = permalinksFor('invoice', id, appUrl?.trim() || DEFAULT_APP_URL);
	return { viewUrl: links.view ?? '', editUrl: links.edit ?? '' };
}
