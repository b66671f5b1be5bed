import { permalinksFor, type PermalinkPaths } from '../../shared/contract/permalinks';
import { eventResource } from './eventTypes';

export { DEFAULT_APP_URL, permalinksFor } from '../../shared/contract/permalinks';

/**
 * The collection each event's `resourceId` is read from, `GET /v1/{collection}/{id}`; none = nothing
 * to fetch. Collections are the resource names of §6.2's table
 * (the endpoint paths); payment.changed carries a voucher id that `/v1/payments/{id}` takes (§8.1);
 * token.revoked carries a connection id, which has no endpoint of its own.
 */
const EVENT_COLLECTIONS: Record<string, string | undefined> = {
	article: 'articles',
	contact: 'contacts',
	'credit-note': 'credit-notes',
	'delivery-note': 'delivery-notes',
	'down-payment-invoice': 'down-payment-invoices',
	dunning: 'dunnings',
	invoice: 'invoices',
	'order-confirmation': 'order-confirmations',
	payment: 'payments',
	quotation: 'quotations',
	'recurring-template': 'recurring-templates',
	token: undefined,
	voucher: 'vouchers',
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
	const collection = EVENT_COLLECTIONS[eventResource(eventType)];
	return collection ? `/v1/${collection}/${encodeURIComponent(resourceId)}` : undefined;
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
