import { eventResource } from './eventTypes';

/** The web app (lexoffice-api.md §1.1); the credential's Web App URL overrides it. */
export const DEFAULT_APP_URL = 'https://app.lexware.de';

interface PermalinkPaths {
	view?: string;
	edit?: string;
}

interface EventResourceInfo {
	/** Collection the resource is read from, `GET /v1/{collection}/{id}`; absent = nothing to fetch. */
	collection?: string;
	/** Web-app permalink segments (lexoffice-api.md §4.4); only the documented ones. */
	permalinks: PermalinkPaths;
}

/**
 * What each event's `resourceId` points at. Collections are the resource names of §6.2's table
 * (the endpoint paths); payment.changed carries a voucher id that `/v1/payments/{id}` takes (§8.1);
 * token.revoked carries a connection id, which has no endpoint of its own.
 */
const EVENT_RESOURCES: Record<string, EventResourceInfo> = {
	article: { collection: 'articles', permalinks: {} },
	contact: { collection: 'contacts', permalinks: { view: 'contacts/view' } },
	'credit-note': {
		collection: 'credit-notes',
		permalinks: { view: 'credit-notes/view', edit: 'credit-notes/edit' },
	},
	'delivery-note': { collection: 'delivery-notes', permalinks: {} },
	// §4.4: down-payment invoices open through the invoice permalinks.
	'down-payment-invoice': {
		collection: 'down-payment-invoices',
		permalinks: { view: 'invoices/view', edit: 'invoices/edit' },
	},
	dunning: { collection: 'dunnings', permalinks: {} },
	invoice: { collection: 'invoices', permalinks: { view: 'invoices/view', edit: 'invoices/edit' } },
	'order-confirmation': {
		collection: 'order-confirmations',
		permalinks: { view: 'order-confirmations/view', edit: 'order-confirmations/edit' },
	},
	payment: { collection: 'payments', permalinks: {} },
	quotation: { collection: 'quotations', permalinks: { view: 'quotations/view', edit: 'quotations/edit' } },
	'recurring-template': { collection: 'recurring-templates', permalinks: { edit: 'recurring-templates/edit' } },
	token: { permalinks: {} },
	voucher: { collection: 'vouchers', permalinks: { view: 'vouchers/view', edit: 'vouchers/edit' } },
};

/** `voucherType` of a payments answer (§8.1) → the resource whose permalinks apply. */
const PAYMENT_VOUCHER_RESOURCES: Record<string, string> = {
	invoice: 'invoice',
	downpaymentinvoice: 'down-payment-invoice',
	creditnote: 'credit-note',
	salesinvoice: 'voucher',
	salescreditnote: 'voucher',
	purchaseinvoice: 'voucher',
	purchasecreditnote: 'voucher',
};

/** API path of the resource an event is about, or undefined when there is none to read. */
export function resourcePath(eventType: string, resourceId: string): string | undefined {
	const collection = EVENT_RESOURCES[eventResource(eventType)]?.collection;
	return collection ? `/v1/${collection}/${encodeURIComponent(resourceId)}` : undefined;
}

/** `{appUrl}/permalink/{segment}/{id}` for the documented segments of a resource (§4.4). */
export function permalinksFor(resource: string, resourceId: string, appUrl: string): PermalinkPaths {
	const paths = EVENT_RESOURCES[resource]?.permalinks ?? {};
	const base = `${appUrl.replace(/\/+$/, '')}/permalink`;
	const links: PermalinkPaths = {};
	if (paths.view) links.view = `${base}/${paths.view}/${resourceId}`;
	if (paths.edit) links.edit = `${base}/${paths.edit}/${resourceId}`;
	return links;
}

/**
 * Permalinks for an event. For payment.changed the voucher kind is only known from the fetched
 * payment (`voucherType`), so without it there are none.
 */
export function eventPermalinks(
	eventType: string,
	resourceId: string,
	appUrl: string,
	fetchedResource?: { voucherType?: unknown },
): PermalinkPaths {
	let resource = eventResource(eventType);
	if (resource === 'payment') {
		const voucherType = fetchedResource?.voucherType;
		resource = typeof voucherType === 'string' ? (PAYMENT_VOUCHER_RESOURCES[voucherType] ?? '') : '';
	}
	return permalinksFor(resource, resourceId, appUrl);
}
