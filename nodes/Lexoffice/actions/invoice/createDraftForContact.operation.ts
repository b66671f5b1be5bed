import { DateTime } from 'luxon';
import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { getContact } from '../../helpers/contactRequests';
import { contactDisplayName } from '../../helpers/contacts';
import { checkIsCustomer } from '../../helpers/invoices';
import { contactLocator, inputCheck, locatorId } from '../common';
import type { OperationOption } from '../../../shared/operation';
import { readInvoiceTexts, readLineItem, readTaxType, TAX_RATE_OPTIONS, taxTypeProperty } from './fields';
import { getInvoice, invoicePermalinks } from './read';
import { createInvoice } from './write';

/**
 * "Create an invoice for this contact": LexOffice has no link that opens a new invoice for a
 * contact, so the documented way is a draft created through the API, opened with its edit
 * permalink (lexoffice-api.md §4.4). The draft gets one line the user edits in LexOffice.
 */

export const option: OperationOption = {
	name: 'Create Draft for Contact',
	value: 'createDraftForContact',
	description: 'Create a draft invoice for a customer and get the link that opens it for editing in LexOffice',
	action: 'Create a draft invoice for a contact',
};

const displayOptions = { show: { resource: ['invoice'], operation: ['createDraftForContact'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [
	contactLocator('The customer to invoice'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Introduction',
				name: 'introduction',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
				description: 'Text above the line items, at most 2000 characters',
			},
			{
				displayName: 'Line Item Name',
				name: 'lineItemName',
				type: 'string',
				default: 'Leistung',
				description: 'Name of the line the draft starts with (German for "service" by default)',
			},
			{
				displayName: 'Quantity',
				name: 'quantity',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 4 },
				default: 1,
			},
			taxTypeProperty,
			{
				displayName: 'Tax Rate',
				name: 'taxRatePercentage',
				type: 'options',
				options: TAX_RATE_OPTIONS,
				default: 19,
			},
			{
				displayName: 'Title',
				name: 'title',
				type: 'string',
				default: '',
				description: 'Document title, at most 25 characters',
			},
			{ displayName: 'Unit Name', name: 'unitName', type: 'string', default: 'Stück' },
			{
				displayName: 'Unit Price',
				name: 'unitPrice',
				type: 'number',
				typeOptions: { numberPrecision: 4 },
				default: 0,
				description: 'Price per unit in EUR (net; gross when the tax type is Gross)',
			},
			{
				displayName: 'Voucher Date',
				name: 'voucherDate',
				type: 'dateTime',
				default: '',
				description: 'The invoice date; empty means now',
			},
		],
	},
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const check = inputCheck.call(this, itemIndex);
	const contactId = locatorId.call(this, itemIndex, 'contactId', 'Contact');
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const lineItem = readLineItem(
		check,
		{
			type: 'custom',
			name: options.lineItemName ?? 'Leistung',
			quantity: options.quantity,
			unitName: options.unitName,
			unitPrice: options.unitPrice,
			taxRatePercentage: options.taxRatePercentage,
		},
		'Line Item',
	);
	const input = {
		voucherDate: check.dateTime(options.voucherDate, 'Voucher Date') ?? DateTime.now(),
		address: { contactId },
		lineItems: [lineItem],
		taxType: readTaxType(check, options.taxType ?? 'net'),
		shipping: { type: 'none' as const },
		...readInvoiceTexts(check, { title: options.title, introduction: options.introduction }),
	};

	const contact = await getContact.call(this, contactId);
	checkIsCustomer(check, contact);
	const { result } = await createInvoice.call(this, input, { finalize: false, readBack: false });
	// Drafts may already carry their number (§4.2 sample), worth showing; but the draft exists now,
	// and its links matter more than the number, so a failed read only leaves the number out.
	const invoice = await getInvoice.call(this, result.id).catch(() => undefined);
	const voucherNumber = typeof invoice?.voucherNumber === 'string' ? invoice.voucherNumber : undefined;
	return [
		{
			json: {
				id: result.id,
				...(voucherNumber ? { voucherNumber } : {}),
				voucherStatus: invoice?.voucherStatus ?? 'draft',
				contactId,
				contactName: contactDisplayName(contact),
				...(await invoicePermalinks.call(this, result.id)),
			},
		},
	];
}
