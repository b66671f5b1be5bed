import { randomUUID } from 'node:crypto';

import { json, type ApiResponse } from '../common';
import { contactName } from './contacts';
import { isObject, type Handler } from './context';
import { invalid, notNull, regularError, regularValidationError, type Violation } from './errors';
import { renderPdf } from './pdf';
import type { LexofficeState } from './state';
import { berlinMidnightPlusDays, isStrictDateTime, lexofficeTimestamp } from './time';
import type { Invoice, InvoiceStatus, LineItem } from './types';

/** Invoices: lexoffice-api.md §4. Errors use the REGULAR format (§7.2). */

const TAX_TYPES = [
	'net',
	'gross',
	'vatfree',
	'intraCommunitySupply',
	'constructionService13b',
	'externalService13b',
	'thirdPartyCountryService',
	'thirdPartyCountryDelivery',
	'photovoltaicEquipment',
];
const SHIPPING_TYPES = ['service', 'serviceperiod', 'delivery', 'deliveryperiod', 'none'];
const LINE_ITEM_TYPES = ['service', 'material', 'custom', 'text'];
const STANDARD_TAX_RATES = [0, 7, 19];
/** §4.2: "Body must not contain read-only fields." */
const READ_ONLY_FIELDS = [
	'id',
	'organizationId',
	'createdDate',
	'updatedDate',
	'voucherStatus',
	'voucherNumber',
	'dueDate',
	'taxAmounts',
	'files',
	'electronicDocumentProfile',
	'closingInvoice',
	'downPaymentDeductions',
];
const TEXT_LIMITS: Record<string, number> = { title: 25, introduction: 2000, remark: 2000 };
const MAX_LINE_ITEMS = 300;
const DEFAULT_PAYMENT_TERM_DAYS = 30;

/** §4.2 "Create requirements", field semantics and text limits. */
export function validateInvoiceBody(body: Record<string, unknown>, state: LexofficeState): Violation[] {
	const violations: Violation[] = [];
	const requireDate = (value: unknown, field: string) => {
		if (value === undefined || value === null) violations.push(notNull(field));
		else if (!isStrictDateTime(value)) violations.push(invalid(field, 'ungültiges Datumsformat'));
	};

	for (const field of READ_ONLY_FIELDS) {
		if (body[field] !== undefined && body[field] !== null) violations.push(invalid(field, 'Feld ist schreibgeschützt'));
	}
	requireDate(body.voucherDate, 'voucherDate');

	const address = body.address;
	if (!isObject(address)) {
		violations.push(notNull('address'));
	} else if (address.contactId !== undefined && address.contactId !== null) {
		const contact = typeof address.contactId === 'string' ? state.contacts.get(address.contactId) : undefined;
		if (!contact) violations.push(invalid('address.contactId', 'Kontakt existiert nicht'));
		else if (!contact.roles.customer) violations.push(invalid('address.contactId', 'Kontakt ist kein Kunde'));
	} else {
		if (typeof address.name !== 'string' || address.name === '') violations.push(notNull('address.name'));
		if (typeof address.countryCode !== 'string' || address.countryCode === '')
			violations.push(notNull('address.countryCode'));
	}

	const taxConditions = isObject(body.taxConditions) ? body.taxConditions : undefined;
	const taxType = taxConditions?.taxType;
	if (taxType === undefined || taxType === null) violations.push(notNull('taxConditions.taxType'));
	else if (typeof taxType !== 'string' || !TAX_TYPES.includes(taxType))
		violations.push(invalid('taxConditions.taxType', 'ungültiger Wert'));

	const lineItems = body.lineItems;
	if (!Array.isArray(lineItems) || lineItems.length === 0) violations.push(notNull('lineItems'));
	else if (lineItems.length > MAX_LINE_ITEMS)
		violations.push(invalid('lineItems', `höchstens ${MAX_LINE_ITEMS} Positionen`));
	else lineItems.forEach((item, index) => violations.push(...validateLineItem(item, `lineItems[${index}]`, taxType)));

	const totalPrice = isObject(body.totalPrice) ? body.totalPrice : undefined;
	if (!totalPrice?.currency) violations.push(notNull('totalPrice.currency'));
	else if (totalPrice.currency !== 'EUR') violations.push(invalid('totalPrice.currency', 'nur EUR'));

	const shipping = isObject(body.shippingConditions) ? body.shippingConditions : undefined;
	const shippingType = shipping?.shippingType;
	if (shippingType === undefined || shippingType === null) {
		violations.push(notNull('shippingConditions.shippingType'));
	} else if (typeof shippingType !== 'string' || !SHIPPING_TYPES.includes(shippingType)) {
		violations.push(invalid('shippingConditions.shippingType', 'ungültiger Wert'));
	} else if (shippingType !== 'none') {
		requireDate(shipping?.shippingDate, 'shippingConditions.shippingDate');
		if (shippingType.endsWith('period')) requireDate(shipping?.shippingEndDate, 'shippingConditions.shippingEndDate');
	}

	for (const [field, limit] of Object.entries(TEXT_LIMITS)) {
		if (typeof body[field] === 'string' && (body[field] as string).length > limit) {
			violations.push(invalid(field, `Länge muss zwischen 0 und ${limit} sein`));
		}
	}
	if (body.language !== undefined && body.language !== 'de' && body.language !== 'en') {
		violations.push(invalid('language', 'ungültiger Wert'));
	}
	return violations;
}

function validateLineItem(item: unknown, field: string, taxType: unknown): Violation[] {
	if (!isObject(item)) return [notNull(field)];
	const violations: Violation[] = [];
	if (typeof item.type !== 'string' || !LINE_ITEM_TYPES.includes(item.type)) violations.push(notNull(`${field}.type`));
	if (typeof item.name !== 'string' || item.name === '') violations.push(notNull(`${field}.name`));
	else if (item.name.length > 255) violations.push(invalid(`${field}.name`, 'Länge muss zwischen 0 und 255 sein'));
	if (typeof item.description === 'string' && item.description.length > 2000) {
		violations.push(invalid(`${field}.description`, 'Länge muss zwischen 0 und 2000 sein'));
	}
	if (item.type === 'text') return violations;
	if ((item.type === 'service' || item.type === 'material') && typeof item.id !== 'string') {
		violations.push(notNull(`${field}.id`));
	}
	if (typeof item.quantity !== 'number') violations.push(notNull(`${field}.quantity`));
	const price = item.unitPrice;
	if (!isObject(price)) return [...violations, notNull(`${field}.unitPrice`)];
	if (price.currency !== 'EUR') violations.push(notNull(`${field}.unitPrice.currency`));
	const amount = taxType === 'gross' ? (price.grossAmount ?? price.netAmount) : (price.netAmount ?? price.grossAmount);
	if (typeof amount !== 'number')
		violations.push(notNull(`${field}.unitPrice.${taxType === 'gross' ? 'grossAmount' : 'netAmount'}`));
	const rate = price.taxRatePercentage;
	if (rate === undefined || rate === null) violations.push(notNull(`${field}.unitPrice.taxRatePercentage`));
	else if (typeof rate !== 'number' || !STANDARD_TAX_RATES.includes(rate)) {
		violations.push(invalid(`${field}.unitPrice.taxRatePercentage`, 'ungültiger Steuersatz'));
	}
	return violations;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Line amounts, tax amounts per rate and totals as LexOffice derives them (read-only fields, §4.2). */
export function priceInvoice(
	lineItems: LineItem[],
	taxType: string,
): Pick<Invoice, 'lineItems' | 'totalPrice' | 'taxAmounts'> {
	const byRate = new Map<number, number>();
	const taxable = taxType === 'net' || taxType === 'gross';
	const priced = lineItems.map((item): LineItem => {
		if (item.type === 'text' || !item.unitPrice) return { ...item };
		const rate = taxable ? item.unitPrice.taxRatePercentage : 0;
		const factor = 1 + rate / 100;
		const net = item.unitPrice.netAmount ?? round((item.unitPrice.grossAmount ?? 0) / factor, 4);
		const gross = item.unitPrice.grossAmount ?? round(net * factor, 4);
		const discount = 1 - (item.discountPercentage ?? 0) / 100;
		const lineItemAmount = round((item.quantity ?? 0) * (taxType === 'gross' ? gross : net) * discount, 2);
		byRate.set(rate, (byRate.get(rate) ?? 0) + lineItemAmount);
		return { ...item, unitPrice: { ...item.unitPrice, netAmount: net, grossAmount: gross }, lineItemAmount };
	});
	const taxAmounts = [...byRate.entries()]
		.sort(([a], [b]) => a - b)
		.map(([taxRatePercentage, sum]) => {
			const netAmount = taxType === 'gross' ? round(sum / (1 + taxRatePercentage / 100), 2) : round(sum, 2);
			const taxAmount = taxType === 'gross' ? round(sum - netAmount, 2) : round((sum * taxRatePercentage) / 100, 2);
			return { taxRatePercentage, taxAmount, netAmount };
		});
	const totalNetAmount = round(
		taxAmounts.reduce((sum, entry) => sum + entry.netAmount, 0),
		2,
	);
	const totalTaxAmount = round(
		taxAmounts.reduce((sum, entry) => sum + entry.taxAmount, 0),
		2,
	);
	return {
		lineItems: priced,
		taxAmounts,
		totalPrice: {
			currency: 'EUR',
			totalNetAmount,
			totalGrossAmount: round(totalNetAmount + totalTaxAmount, 2),
			totalTaxAmount,
			totalDiscountAbsolute: null,
			totalDiscountPercentage: null,
		},
	};
}

/** Builds and stores an invoice from a validated create body (API, simulate.* and seed share this). */
export function storeNewInvoice(
	state: LexofficeState,
	body: Record<string, unknown>,
	status: 'draft' | 'open',
	createdAt: number = Date.now(),
): Invoice {
	const address = { ...(body.address as Invoice['address']) };
	const contact = address.contactId ? state.contacts.get(address.contactId) : undefined;
	if (contact) {
		// §4.2: the contact's billing address is used; fields given in the body override it for this invoice.
		const billing = contact.addresses?.billing?.[0];
		Object.assign(address, { name: contactName(contact), ...billing, ...stripUndefined(address) });
	} else {
		address.contactId = null;
	}
	const taxConditions = body.taxConditions as Invoice['taxConditions'];
	const created = lexofficeTimestamp(createdAt);
	const invoice: Invoice = {
		id: randomUUID(),
		organizationId: state.organizationId,
		createdDate: created,
		updatedDate: created,
		// The §4.2 sample of a fresh draft shows version 0.
		version: 0,
		language: (body.language as string | undefined) ?? 'de',
		archived: false,
		voucherStatus: 'draft',
		voucherNumber: state.takeInvoiceNumber(),
		voucherDate: body.voucherDate as string,
		dueDate: null,
		address,
		xRechnung: (body.xRechnung as Invoice['xRechnung']) ?? null,
		electronicDocumentProfile: 'NONE',
		...priceInvoice(body.lineItems as LineItem[], taxConditions.taxType),
		taxConditions: { taxSubType: null, taxTypeNote: null, ...taxConditions },
		paymentConditions: (body.paymentConditions as Invoice['paymentConditions']) ?? {
			paymentTermLabel: `Zahlbar innerhalb von ${DEFAULT_PAYMENT_TERM_DAYS} Tagen ohne Abzug`,
			paymentTermDuration: DEFAULT_PAYMENT_TERM_DAYS,
		},
		shippingConditions: body.shippingConditions as Invoice['shippingConditions'],
		closingInvoice: false,
		claimedGrossAmount: null,
		downPaymentDeductions: null,
		recurringTemplateId: null,
		relatedVouchers: [],
		title: (body.title as string | undefined) ?? 'Rechnung',
		introduction: body.introduction as string | undefined,
		remark: body.remark as string | undefined,
	};
	if (status === 'open') applyStatus(invoice, 'open');
	state.invoices.set(invoice.id, invoice);
	return invoice;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as Partial<T>;
}

/** Moves an invoice to another status and records the change (version, updatedDate). */
export function setInvoiceStatus(invoice: Invoice, status: InvoiceStatus, at: number = Date.now()): void {
	applyStatus(invoice, status);
	touch(invoice, at);
}

/**
 * Finalizing fixes the due date from the payment term (dueDate is read-only and derived, §4.2);
 * going back to draft clears it.
 */
function applyStatus(invoice: Invoice, status: InvoiceStatus): void {
	if (status === 'open' && invoice.voucherStatus === 'draft') {
		invoice.dueDate = berlinMidnightPlusDays(
			invoice.voucherDate,
			invoice.paymentConditions?.paymentTermDuration ?? DEFAULT_PAYMENT_TERM_DAYS,
		);
	}
	if (status === 'draft') invoice.dueDate = null;
	invoice.voucherStatus = status;
}

export function touch(invoice: Invoice, at: number = Date.now()): void {
	invoice.version += 1;
	invoice.updatedDate = lexofficeTimestamp(at);
}

export function invoiceActionResult(invoice: Invoice, host: string) {
	return {
		id: invoice.id,
		resourceUri: `http://${host}/v1/invoices/${invoice.id}`,
		createdDate: invoice.createdDate,
		updatedDate: invoice.updatedDate,
		version: invoice.version,
	};
}

const notFound = (path: string): ApiResponse => regularError(404, path, 'Not Found');

export const createInvoice: Handler = (ctx, request, _params, body) => {
	if (!isObject(body)) return regularValidationError(request.path, [notNull('body')]);
	if (request.query.precedingSalesVoucherId !== undefined) {
		// Pursuing quotations/order confirmations is outside this sandbox's model.
		return regularValidationError(request.path, [invalid('precedingSalesVoucherId', 'Vorgängerbeleg nicht gefunden')]);
	}
	const violations = validateInvoiceBody(body, ctx.state);
	if (violations.length > 0) return regularValidationError(request.path, violations);
	const finalize = request.query.finalize === 'true';
	const invoice = storeNewInvoice(ctx.state, body, finalize ? 'open' : 'draft');
	ctx.emit('invoice.created', invoice.id);
	const result = invoiceActionResult(invoice, String(request.headers.host));
	return json(201, result, { Location: result.resourceUri });
};

export const getInvoice: Handler = (ctx, request, [id]) => {
	const invoice = ctx.state.invoices.get(id);
	return invoice ? json(200, invoice) : notFound(request.path);
};

/**
 * §4.3 `GET /v1/invoices/{id}/file`: regular invoices are PDFs for `*\/*` and `application/pdf`,
 * 404 for `application/xml`, 406 for other media types; drafts → 409.
 */
export const getInvoiceFile: Handler = (ctx, request, [id]) => {
	const invoice = ctx.state.invoices.get(id);
	if (!invoice) return notFound(request.path);
	const accepted = (String(request.headers.accept ?? '*/*') || '*/*')
		.split(',')
		.map((entry) => entry.split(';')[0].trim().toLowerCase());
	if (!accepted.some((type) => ['*/*', 'application/*', 'application/pdf'].includes(type))) {
		return accepted.includes('application/xml')
			? notFound(request.path)
			: regularError(406, request.path, 'Not Acceptable');
	}
	if (invoice.voucherStatus === 'draft') {
		return regularError(409, request.path, 'The document of a draft invoice cannot be downloaded.');
	}
	const pdf = renderPdf([
		`Rechnung ${invoice.voucherNumber}`,
		invoice.address.name ?? '',
		`Rechnungsdatum: ${invoice.voucherDate.slice(0, 10)}`,
		`Gesamtbetrag: ${invoice.totalPrice.totalGrossAmount.toFixed(2)} EUR`,
	]);
	return {
		status: 200,
		bytes: pdf,
		headers: {
			'Content-Type': 'application/pdf',
			'Content-Disposition': `attachment; filename="${invoice.voucherNumber}.pdf"`,
		},
	};
};
