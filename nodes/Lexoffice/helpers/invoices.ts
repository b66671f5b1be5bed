import type { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

import { formatLexofficeDateTime } from '../transport';
import { contactDisplayName } from './contacts';
import type { InputCheck } from './input';

/** Invoices (lexoffice-api.md §4.2): the create body, built from checked input. */

export const TAX_TYPES = [
	'net',
	'gross',
	'vatfree',
	'intraCommunitySupply',
	'constructionService13b',
	'externalService13b',
	'thirdPartyCountryService',
	'thirdPartyCountryDelivery',
	'photovoltaicEquipment',
] as const;
export const SHIPPING_TYPES = ['service', 'serviceperiod', 'delivery', 'deliveryperiod', 'none'] as const;
/** The standard German rates (§9). */
export const TAX_RATES = [0, 7, 19] as const;

/** "Texts in sales vouchers" (§4.2). */
export const TEXT_LIMITS = {
	title: 25,
	introduction: 2000,
	remark: 2000,
	lineItemName: 255,
	lineItemDescription: 2000,
};
export const MAX_LINE_ITEMS = 300;
/** Quantities and unit prices take at most 4 decimals (§4.2, §9). */
export const AMOUNT_DECIMALS = 4;

export type TaxType = (typeof TAX_TYPES)[number];
export type ShippingType = (typeof SHIPPING_TYPES)[number];

export interface LineItem {
	type: 'custom' | 'text';
	name: string;
	description?: string;
	quantity?: number;
	unitName?: string;
	/** Net, or gross when the tax type is gross. */
	unitPrice?: number;
	taxRatePercentage?: number;
	discountPercentage?: number;
}

export type InvoiceAddress =
	| { contactId: string }
	| { name: string; countryCode: string; supplement?: string; street?: string; zip?: string; city?: string };

export interface Shipping {
	type: ShippingType;
	date?: DateTime;
	endDate?: DateTime;
}

export interface PaymentConditions {
	label: string;
	durationDays: number;
	discountPercentage?: number;
	discountDays?: number;
}

export interface InvoiceInput {
	voucherDate: DateTime;
	address: InvoiceAddress;
	lineItems: LineItem[];
	taxType: TaxType;
	shipping: Shipping;
	paymentConditions?: PaymentConditions;
	title?: string;
	introduction?: string;
	remark?: string;
	language?: 'de' | 'en';
}

/** `POST /v1/invoices` body: only writable fields (read-only ones are refused, §4.2). */
export function invoiceBody(input: InvoiceInput): IDataObject {
	const amountKey = input.taxType === 'gross' ? 'grossAmount' : 'netAmount';
	const body: IDataObject = {
		voucherDate: formatLexofficeDateTime(input.voucherDate),
		address: { ...input.address },
		lineItems: input.lineItems.map((item): IDataObject => {
			if (item.type === 'text')
				return withoutUndefined({ type: 'text', name: item.name, description: item.description });
			return withoutUndefined({
				type: 'custom',
				name: item.name,
				description: item.description,
				quantity: item.quantity,
				unitName: item.unitName,
				unitPrice: { currency: 'EUR', [amountKey]: item.unitPrice, taxRatePercentage: item.taxRatePercentage },
				discountPercentage: item.discountPercentage,
			});
		}),
		totalPrice: { currency: 'EUR' },
		taxConditions: { taxType: input.taxType },
		shippingConditions: withoutUndefined({
			shippingType: input.shipping.type,
			shippingDate: input.shipping.date && formatLexofficeDateTime(input.shipping.date),
			shippingEndDate: input.shipping.endDate && formatLexofficeDateTime(input.shipping.endDate),
		}),
	};
	if (input.paymentConditions) {
		const { label, durationDays, discountPercentage, discountDays } = input.paymentConditions;
		body.paymentConditions = {
			paymentTermLabel: label,
			paymentTermDuration: durationDays,
			...(discountPercentage !== undefined
				? { paymentDiscountConditions: { discountPercentage, discountRange: discountDays } }
				: {}),
		};
	}
	Object.assign(
		body,
		withoutUndefined({
			title: input.title,
			introduction: input.introduction,
			remark: input.remark,
			language: input.language,
		}),
	);
	return body;
}

/**
 * §4.2: a shipping date for service/serviceperiod/delivery/deliveryperiod, an end date for the
 * periods (not before the start).
 */
export function checkShipping(check: InputCheck, shipping: Shipping): Shipping {
	if (shipping.type === 'none') return { type: 'none' };
	if (!shipping.date) {
		check.fail(
			`"Shipping Date" is required for the shipping type "${shipping.type}"`,
			'Enter the date of the delivery or service, or choose the shipping type "None".',
		);
	}
	if (!shipping.type.endsWith('period')) return { type: shipping.type, date: shipping.date };
	if (!shipping.endDate) {
		check.fail(
			`"Shipping End Date" is required for the shipping type "${shipping.type}"`,
			'Enter the last day of the period.',
		);
	}
	if (shipping.endDate < shipping.date) {
		check.fail('"Shipping End Date" is before "Shipping Date"', 'The period must end on or after its start.');
	}
	return shipping;
}

/** §4.2: an invoice's contact must have the customer role. Checked before the invoice is created. */
export function checkIsCustomer(check: InputCheck, contact: IDataObject): void {
	const roles = (contact.roles ?? {}) as IDataObject;
	if (roles.customer) return;
	check.fail(
		`The contact "${contactDisplayName(contact)}" (${String(contact.id)}) is not a customer, so LexOffice cannot invoice it`,
		'Give the contact the customer role (Contact → Update → Roles), or invoice another contact.',
	);
}

function withoutUndefined(object: IDataObject): IDataObject {
	return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}
