import { DateTime } from 'luxon';

import { json, type ApiResponse } from '../common';
import { contactName } from './contacts';
import type { Handler, LexofficeContext } from './context';
import { regularError } from './errors';
import { parsePaging, springPage, type SortOrder } from './paging';
import { openAmount } from './payments';
import { htmlEncode } from './search';
import { berlinDay, lexofficeTimestamp } from './time';
import type { Invoice } from './types';

/** Voucherlist: lexoffice-api.md §5. Errors use the REGULAR format (§7.2). Only invoices are modelled. */

const VOUCHER_TYPES = [
	'salesinvoice',
	'salescreditnote',
	'purchaseinvoice',
	'purchasecreditnote',
	'invoice',
	'downpaymentinvoice',
	'creditnote',
	'orderconfirmation',
	'quotation',
	'deliverynote',
];
const VOUCHER_STATUSES = [
	'draft',
	'open',
	'paid',
	'paidoff',
	'voided',
	'transferred',
	'sepadebit',
	'overdue',
	'accepted',
	'rejected',
	'unchecked',
	'blank',
];
const DATE_FILTERS = {
	voucherDate: ['voucherDateFrom', 'voucherDateTo'],
	createdDate: ['createdDateFrom', 'createdDateTo'],
	updatedDate: ['updatedDateFrom', 'updatedDateTo'],
} as const;
const SORTABLE: Record<string, keyof Invoice> = {
	voucherdate: 'voucherDate',
	vouchernumber: 'voucherNumber',
	createddate: 'createdDate',
	updateddate: 'updatedDate',
};

const invalidValue = (value: string, parameter: string) =>
	`Invalid value '${value}' received for request parameter '${parameter}'.`;

/** `overdue` is transient: an open invoice whose due day has passed in Berlin (§4.2, §5). */
export function listedStatus(invoice: Invoice, now: number = Date.now()): string {
	if (
		invoice.voucherStatus === 'open' &&
		invoice.dueDate &&
		berlinDay(invoice.dueDate) < berlinDay(lexofficeTimestamp(now))
	) {
		return 'overdue';
	}
	return invoice.voucherStatus;
}

function parseList(
	value: string | undefined,
	parameter: string,
	allowed: string[],
): { values: string[] | 'any' } | { error: string } {
	if (value === undefined || value.trim() === '') {
		return { error: `Required request parameter '${parameter}' for method parameter type String is not present` };
	}
	if (value === 'any') return { values: 'any' };
	const values = value.split(',').map((entry) => entry.trim());
	const unknown = values.find((entry) => !allowed.includes(entry));
	return unknown === undefined ? { values } : { error: invalidValue(value, parameter) };
}

export const listVouchers: Handler = (ctx, request) => {
	const { query, path } = request;
	const badRequest = (message: string): ApiResponse => regularError(400, path, message);

	const types = parseList(query.voucherType, 'voucherType', VOUCHER_TYPES);
	if ('error' in types) return badRequest(types.error);
	const statuses = parseList(query.voucherStatus, 'voucherStatus', VOUCHER_STATUSES);
	if ('error' in statuses) return badRequest(statuses.error);
	if (statuses.values !== 'any' && statuses.values.includes('overdue') && statuses.values.length > 1) {
		return badRequest("Voucher status 'overdue' cannot be combined with other voucher statuses.");
	}

	const predicates: Array<(invoice: Invoice) => boolean> = [];
	// Dates are whole days in CET/CEST; full timestamps are rejected (§5, Sysix #165).
	for (const [field, [fromParameter, toParameter]] of Object.entries(DATE_FILTERS) as Array<
		[keyof typeof DATE_FILTERS, readonly [string, string]]
	>) {
		for (const parameter of [fromParameter, toParameter]) {
			const value = query[parameter];
			if (value === undefined) continue;
			if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || !DateTime.fromISO(value).isValid) {
				return badRequest(invalidValue(value, parameter));
			}
			const isFrom = parameter === fromParameter;
			predicates.push((invoice) => (isFrom ? berlinDay(invoice[field]) >= value : berlinDay(invoice[field]) <= value));
		}
	}
	if (query.archived !== undefined) {
		if (query.archived !== 'true' && query.archived !== 'false')
			return badRequest(invalidValue(query.archived, 'archived'));
		predicates.push((invoice) => invoice.archived === (query.archived === 'true'));
	}
	if (query.contactId !== undefined) predicates.push((invoice) => invoice.address.contactId === query.contactId);
	if (query.voucherNumber !== undefined) {
		predicates.push((invoice) => htmlEncode(invoice.voucherNumber) === query.voucherNumber);
	}

	const sort = parseSort(query.sort);
	if ('error' in sort) return badRequest(invalidValue(query.sort ?? '', 'sort'));
	const paging = parsePaging(query);
	if ('error' in paging) return badRequest(invalidValue(query[paging.error] ?? '', paging.error));
	// §5/§9: paged searches are limited to a window (10 000 live); beyond it the request fails.
	if ((paging.page + 1) * paging.size > ctx.options.searchWindow) {
		return badRequest('Maximum search window size exceeded');
	}

	const now = Date.now();
	const typeMatches = types.values === 'any' || types.values.includes('invoice');
	const statusMatches = (invoice: Invoice) => {
		if (statuses.values === 'any') return true;
		const listed = listedStatus(invoice, now);
		return statuses.values.includes(invoice.voucherStatus) || statuses.values.includes(listed);
	};
	const matching = typeMatches
		? [...ctx.state.invoices.values()].filter(
				(invoice) => statusMatches(invoice) && predicates.every((p) => p(invoice)),
			)
		: [];
	matching.sort(compareBy(sort.order));
	const items = matching.map((invoice) => voucherlistItem(ctx, invoice, now));
	return json(200, springPage(items, paging, [sort.order], Math.min(items.length, ctx.options.searchWindow)));
};

function parseSort(value: string | undefined): { order: SortOrder } | { error: true } {
	if (value === undefined) return { order: { property: 'voucherDate', direction: 'DESC' } };
	const [property, direction = 'ASC'] = value.split(',').map((part) => part.trim());
	const field = SORTABLE[property.toLowerCase()];
	const upper = direction.toUpperCase();
	if (!field || (upper !== 'ASC' && upper !== 'DESC')) return { error: true };
	return { order: { property: field, direction: upper } };
}

function compareBy({ property, direction }: SortOrder): (a: Invoice, b: Invoice) => number {
	const key = property as keyof Invoice;
	const sign = direction === 'ASC' ? 1 : -1;
	const value = (invoice: Invoice) =>
		key === 'voucherNumber' ? invoice.voucherNumber : DateTime.fromISO(String(invoice[key])).toMillis();
	return (a, b) => {
		const [x, y] = [value(a), value(b)];
		const order = typeof x === 'string' ? x.localeCompare(String(y), 'de', { numeric: true }) : x - Number(y);
		return sign * order || a.id.localeCompare(b.id);
	};
}

function voucherlistItem(ctx: LexofficeContext, invoice: Invoice, now: number) {
	const contact = invoice.address.contactId ? ctx.state.contacts.get(invoice.address.contactId) : undefined;
	return {
		id: invoice.id,
		voucherType: 'invoice',
		voucherStatus: listedStatus(invoice, now),
		voucherNumber: invoice.voucherNumber,
		voucherDate: invoice.voucherDate,
		createdDate: invoice.createdDate,
		updatedDate: invoice.updatedDate,
		dueDate: invoice.dueDate,
		contactId: invoice.address.contactId ?? null,
		contactName: contact ? contactName(contact) : (invoice.address.name ?? ''),
		totalAmount: invoice.totalPrice.totalGrossAmount,
		openAmount: openAmount(ctx.state, invoice),
		currency: 'EUR',
		archived: invoice.archived,
	};
}
