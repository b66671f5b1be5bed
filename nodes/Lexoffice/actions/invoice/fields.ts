import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { InputCheck } from '../../helpers/input';
import {
	AMOUNT_DECIMALS,
	checkShipping,
	MAX_LINE_ITEMS,
	SHIPPING_TYPES,
	TAX_RATES,
	TAX_TYPES,
	TEXT_LIMITS,
	type LineItem,
	type PaymentConditions,
	type Shipping,
	type ShippingType,
	type TaxType,
} from '../../helpers/invoices';

/** Invoice parameters shared by Create and Create Draft for Contact, and their reading. */

const TAX_TYPE_NAMES: Record<TaxType, string> = {
	net: 'Net (Prices Without VAT)',
	gross: 'Gross (Prices Include VAT)',
	vatfree: 'VAT-Free (Small Business)',
	intraCommunitySupply: 'Intra-Community Supply',
	constructionService13b: 'Construction Service (§13b UStG)',
	externalService13b: 'External Service (§13b UStG)',
	thirdPartyCountryService: 'Service to a Third Country',
	thirdPartyCountryDelivery: 'Delivery to a Third Country',
	photovoltaicEquipment: 'Photovoltaic Equipment (0 %)',
};
const SHIPPING_TYPE_NAMES: Record<ShippingType, string> = {
	service: 'Service (Date)',
	serviceperiod: 'Service Period',
	delivery: 'Delivery (Date)',
	deliveryperiod: 'Delivery Period',
	none: 'None',
};

const byName = (a: INodePropertyOptions, b: INodePropertyOptions) => a.name.localeCompare(b.name);

export const TAX_RATE_OPTIONS: INodePropertyOptions[] = TAX_RATES.map((rate) => ({ name: `${rate} %`, value: rate }));

// Named values: n8n's lint reads `options`, `default` and `values` literally unless they are identifiers.
const taxTypeOptions = TAX_TYPES.map((value) => ({ name: TAX_TYPE_NAMES[value], value })).sort(byName);
const defaultTaxType: TaxType = 'net';
const shippingTypeOptions = SHIPPING_TYPES.map((value) => ({ name: SHIPPING_TYPE_NAMES[value], value })).sort(byName);
const defaultShippingType: ShippingType = 'none';

export const taxTypeProperty: INodeProperties = {
	displayName: 'Tax Type',
	name: 'taxType',
	type: 'options',
	options: taxTypeOptions,
	default: defaultTaxType,
	description: 'How VAT applies; with Gross, unit prices include VAT',
};

export const voucherDateProperty: INodeProperties = {
	displayName: 'Voucher Date',
	name: 'voucherDate',
	type: 'dateTime',
	default: '',
	description: 'The invoice date; empty means now',
};

/** In the order one fills in a line, not alphabetically (hence a named value, see above). */
const lineItemValues: INodeProperties[] = [
	{
		displayName: 'Type',
		name: 'type',
		type: 'options',
		options: [
			{ name: 'Item', value: 'custom', description: 'A priced line' },
			{ name: 'Text', value: 'text', description: 'A line of text without a price' },
		],
		default: 'custom',
	},
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		description: 'At most 255 characters',
	},
	{
		displayName: 'Description',
		name: 'description',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		description: 'At most 2000 characters',
	},
	{
		displayName: 'Quantity',
		name: 'quantity',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 4 },
		default: 1,
		displayOptions: { show: { type: ['custom'] } },
	},
	{
		displayName: 'Unit Name',
		name: 'unitName',
		type: 'string',
		default: 'Stück',
		description: 'Such as Stück, Stunde or kg; LexOffice creates unknown units',
		displayOptions: { show: { type: ['custom'] } },
	},
	{
		displayName: 'Unit Price',
		name: 'unitPrice',
		type: 'number',
		typeOptions: { numberPrecision: 4 },
		default: 0,
		description: 'Price per unit in EUR: net, or gross when the tax type is Gross',
		displayOptions: { show: { type: ['custom'] } },
	},
	{
		displayName: 'Tax Rate',
		name: 'taxRatePercentage',
		type: 'options',
		options: TAX_RATE_OPTIONS,
		default: 19,
		displayOptions: { show: { type: ['custom'] } },
	},
	{
		displayName: 'Discount (%)',
		name: 'discountPercentage',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 100 },
		default: 0,
		displayOptions: { show: { type: ['custom'] } },
	},
];

export const lineItemsProperty: INodeProperties = {
	displayName: 'Line Items',
	name: 'lineItems',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true, sortable: true },
	placeholder: 'Add Line Item',
	default: {},
	required: true,
	options: [
		{
			displayName: 'Line Item',
			name: 'item',
			values: lineItemValues,
		},
	],
};

export const shippingProperties: INodeProperties[] = [
	{
		displayName: 'Shipping Type',
		name: 'shippingType',
		type: 'options',
		options: shippingTypeOptions,
		default: defaultShippingType,
		description: 'When the goods were delivered or the service performed (Lieferdatum / Leistungsdatum)',
	},
	{
		displayName: 'Shipping Date',
		name: 'shippingDate',
		type: 'dateTime',
		default: '',
		required: true,
		description: 'The day of the delivery or service, or the first day of the period',
		displayOptions: { show: { shippingType: ['service', 'serviceperiod', 'delivery', 'deliveryperiod'] } },
	},
	{
		displayName: 'Shipping End Date',
		name: 'shippingEndDate',
		type: 'dateTime',
		default: '',
		required: true,
		description: 'The last day of the period',
		displayOptions: { show: { shippingType: ['serviceperiod', 'deliveryperiod'] } },
	},
];

/** Title, texts, language and payment conditions, alphabetically. */
export const invoiceTextOptions: INodeProperties[] = [
	{
		displayName: 'Introduction',
		name: 'introduction',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		description: 'Text above the line items, at most 2000 characters',
	},
	{
		displayName: 'Language',
		name: 'language',
		type: 'options',
		options: [
			{ name: 'English', value: 'en' },
			{ name: 'German', value: 'de' },
		],
		default: 'de',
		description: "Language of the invoice document (English needs LexOffice's INVOICING_PRO feature)",
	},
	{
		displayName: 'Payment Conditions',
		name: 'paymentConditions',
		type: 'fixedCollection',
		default: {},
		placeholder: 'Add Payment Conditions',
		description: "Without them LexOffice uses the contact's or the organisation's default",
		options: [
			{
				displayName: 'Conditions',
				name: 'conditions',
				values: [
					{
						displayName: 'Cash Discount (%)',
						name: 'discountPercentage',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: 100 },
						default: 0,
						description: 'Skonto; 0 for none',
					},
					{
						displayName: 'Cash Discount Days',
						name: 'discountRange',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 0,
						description: 'Days within which the cash discount applies',
					},
					{
						displayName: 'Label',
						name: 'paymentTermLabel',
						type: 'string',
						default: '',
						required: true,
						placeholder: 'Zahlbar innerhalb von 14 Tagen ohne Abzug',
						description: 'The payment terms as printed on the invoice',
					},
					{
						displayName: 'Payment Term (Days)',
						name: 'paymentTermDuration',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 14,
						description: 'Days until the invoice is due',
					},
				],
			},
		],
	},
	{
		displayName: 'Remark',
		name: 'remark',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		description: 'Closing text below the line items, at most 2000 characters',
	},
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		default: '',
		description: 'Document title, at most 25 characters',
	},
];

export function readTaxType(check: InputCheck, value: unknown): TaxType {
	if (!TAX_TYPES.includes(value as TaxType))
		check.fail(`"Tax Type" is unknown: "${String(value)}"`, `Use one of ${TAX_TYPES.join(', ')}.`);
	return value as TaxType;
}

export function readLineItems(check: InputCheck, value: unknown): LineItem[] {
	const entries = ((value as { item?: IDataObject[] } | undefined)?.item ?? []) as IDataObject[];
	if (entries.length === 0) check.fail('The invoice has no line items', 'Add at least one line item.');
	if (entries.length > MAX_LINE_ITEMS) {
		check.fail(
			`The invoice has ${entries.length} line items; LexOffice allows at most ${MAX_LINE_ITEMS}`,
			'Split it into several invoices.',
		);
	}
	return entries.map((entry, index) => readLineItem(check, entry, `Line Item ${index + 1}`));
}

export function readLineItem(check: InputCheck, entry: IDataObject, label: string): LineItem {
	const type = entry.type === 'text' ? 'text' : 'custom';
	const name = check.required(entry.name, `${label}: Name`, { max: TEXT_LIMITS.lineItemName });
	const description = check.text(entry.description, `${label}: Description`, { max: TEXT_LIMITS.lineItemDescription });
	if (type === 'text') return { type, name, ...(description ? { description } : {}) };
	const taxRatePercentage = check.number(entry.taxRatePercentage ?? 19, `${label}: Tax Rate`);
	if (!(TAX_RATES as readonly number[]).includes(taxRatePercentage)) {
		check.fail(
			`"${label}: Tax Rate" is ${taxRatePercentage} %; use 0, 7 or 19`,
			'Choose one of the standard German VAT rates.',
		);
	}
	const discount = check.number(entry.discountPercentage ?? 0, `${label}: Discount (%)`, { min: 0, max: 100 });
	return {
		type,
		name,
		...(description ? { description } : {}),
		quantity: check.number(entry.quantity ?? 1, `${label}: Quantity`, { min: 0, decimals: AMOUNT_DECIMALS }),
		unitName: check.text(entry.unitName, `${label}: Unit Name`) ?? 'Stück',
		unitPrice: check.number(entry.unitPrice ?? 0, `${label}: Unit Price`, { decimals: AMOUNT_DECIMALS }),
		taxRatePercentage,
		...(discount > 0 ? { discountPercentage: discount } : {}),
	};
}

export function readShipping(
	check: InputCheck,
	parameters: { type: unknown; date: unknown; endDate: unknown },
): Shipping {
	const type = parameters.type as ShippingType;
	if (!SHIPPING_TYPES.includes(type))
		check.fail(`"Shipping Type" is unknown: "${String(type)}"`, `Use one of ${SHIPPING_TYPES.join(', ')}.`);
	return checkShipping(check, {
		type,
		date: check.dateTime(parameters.date, 'Shipping Date'),
		endDate: check.dateTime(parameters.endDate, 'Shipping End Date'),
	});
}

export interface InvoiceTexts {
	title?: string;
	introduction?: string;
	remark?: string;
	language?: 'de' | 'en';
	paymentConditions?: PaymentConditions;
}

export function readInvoiceTexts(check: InputCheck, fields: IDataObject): InvoiceTexts {
	const texts: InvoiceTexts = {
		title: check.text(fields.title, 'Title', { max: TEXT_LIMITS.title }),
		introduction: check.text(fields.introduction, 'Introduction', { max: TEXT_LIMITS.introduction }),
		remark: check.text(fields.remark, 'Remark', { max: TEXT_LIMITS.remark }),
	};
	if (fields.language !== undefined) {
		if (fields.language !== 'de' && fields.language !== 'en')
			check.fail(`"Language" must be de or en, not "${String(fields.language)}"`, 'Choose German or English.');
		texts.language = fields.language;
	}
	const conditions = (fields.paymentConditions as { conditions?: IDataObject } | undefined)?.conditions;
	if (conditions) {
		const discountPercentage = check.number(conditions.discountPercentage ?? 0, 'Cash Discount (%)', {
			min: 0,
			max: 100,
		});
		texts.paymentConditions = {
			label: check.required(conditions.paymentTermLabel, 'Payment Conditions: Label'),
			durationDays: check.number(conditions.paymentTermDuration ?? 0, 'Payment Term (Days)', { min: 0, decimals: 0 }),
			...(discountPercentage > 0
				? {
						discountPercentage,
						discountDays: check.number(conditions.discountRange ?? 0, 'Cash Discount Days', { min: 0, decimals: 0 }),
					}
				: {}),
		};
	}
	return texts;
}
