/**
 * LexOffice web-app links (lexoffice-api.md §1.1, §4.4), which the LexOffice node puts on events and
 * the Bitrix24 node writes onto smart invoices: `{appUrl}/permalink/{segment}/{id}`.
 */

/** The web app (lexoffice-api.md §1.1); the credential's Web App URL overrides it. */
export const DEFAULT_APP_URL = 'https://app.lexware.de';

export interface PermalinkPaths {
	view?: string;
	edit?: string;
}

/** The documented permalink segments of each resource (§4.4); resources without any are absent. */
const SEGMENTS: Record<string, PermalinkPaths> = {
	contact: { view: 'contacts/view' },
	'credit-note': { view: 'credit-notes/view', edit: 'credit-notes/edit' },
	invoice: { view: 'invoices/view', edit: 'invoices/edit' },
	// §4.4: down-payment invoices open through the invoice permalinks.
	'down-payment-invoice': { view: 'invoices/view', edit: 'invoices/edit' },
	'order-confirmation': { view: 'order-confirmations/view', edit: 'order-confirmations/edit' },
	quotation: { view: 'quotations/view', edit: 'quotations/edit' },
	'recurring-template': { edit: 'recurring-templates/edit' },
	voucher: { view: 'vouchers/view', edit: 'vouchers/edit' },
};

/** `{appUrl}/permalink/{segment}/{id}` for the documented segments of a resource (§4.4). */
export function permalinksFor(resource: string, resourceId: string, appUrl: string): PermalinkPaths {
	const paths = SEGMENTS[resource] ?? {};
	const base = `${appUrl.replace(/\/+$/, '')}/permalink`;
	const links: PermalinkPaths = {};
	if (paths.view) links.view = `${base}/${paths.view}/${resourceId}`;
	if (paths.edit) links.edit = `${base}/${paths.edit}/${resourceId}`;
	return links;
}
