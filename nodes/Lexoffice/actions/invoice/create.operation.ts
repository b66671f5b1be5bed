import { DateTime } from 'luxon';
import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { getContact } from '../../helpers/contactRequests';
import { checkIsCustomer, type InvoiceAddress } from '../../helpers/invoices';
import type { InputCheck } from '../../helpers/input';
import { contactLocator, inputCheck, locatorId } from '../common';
import type { OperationOption } from '../../../shared/operation';
import {
	invoiceTextOptions,
	lineItemsProperty,
	readInvoiceTexts,
	readLineItems,
	readShipping,
	readTaxType,
	shippingProperties,
	taxTypeProperty,
	voucherDateProperty,
} from './fields';
import { createInvoice } from './write';

/** POST /v1/invoices[?finalize=true] (lexoffice-api.md §4.1, §4.2). */

export const option: OperationOption = {
	name: 'Create',
	value: 'create',
	description: 'Create an invoice, as a draft or finalized',
	action: 'Create an invoice',
};

const addressSupplementOption: INodeProperties = {
	displayName: 'Address Supplement',
	name: 'supplement',
	type: 'string',
	default: '',
	description: 'Such as "Gebäude 10"; for a contact it replaces the contact\'s supplement on this invoice',
};

const showFor = (addressSource: string) => ({ displayOptions: { show: { addressSource: [addressSource] } } });

const displayOptions = { show: { resource: ['invoice'], operation: ['create'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [
	{
		displayName: 'Recipient',
		name: 'addressSource',
		type: 'options',
		options: [
			{ name: 'Existing Contact', value: 'contact', description: 'A LexOffice contact with the customer role' },
			{
				name: 'One-Time Address',
				value: 'oneTime',
				description: 'An address for this invoice only; no contact is created',
			},
		],
		default: 'contact',
	},
	{ ...contactLocator('The customer to invoice; its billing address is used'), ...showFor('contact') },
	{ displayName: 'Name', name: 'recipientName', type: 'string', default: '', required: true, ...showFor('oneTime') },
	{ displayName: 'Street', name: 'recipientStreet', type: 'string', default: '', ...showFor('oneTime') },
	{ displayName: 'ZIP Code', name: 'recipientZip', type: 'string', default: '', ...showFor('oneTime') },
	{ displayName: 'City', name: 'recipientCity', type: 'string', default: '', ...showFor('oneTime') },
	{
		displayName: 'Country Code',
		name: 'recipientCountryCode',
		type: 'string',
		default: 'DE',
		required: true,
		description: 'ISO 3166 alpha-2 code such as DE, AT or CH',
		...showFor('oneTime'),
	},
	lineItemsProperty,
	taxTypeProperty,
	...shippingProperties,
	voucherDateProperty,
	{
		displayName: 'Finalize',
		name: 'finalize',
		type: 'boolean',
		default: false,
		description:
			'Whether to finalize the invoice at once (status open; it can no longer be changed). Otherwise it stays a draft to review and finalize in LexOffice.',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [addressSupplementOption, ...invoiceTextOptions],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Return Full Invoice',
				name: 'returnFullInvoice',
				type: 'boolean',
				default: true,
				description:
					"Whether to read the invoice back after creating it (one more request), so the output has its number, totals and status. Otherwise the output is LexOffice's answer: ID, version and dates.",
			},
		],
	},
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const check = inputCheck.call(this, itemIndex);
	const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const fromContact = this.getNodeParameter('addressSource', itemIndex) === 'contact';
	const address = fromContact
		? { contactId: locatorId.call(this, itemIndex, 'contactId', 'Contact') }
		: oneTimeAddress.call(this, check, itemIndex);
	const supplement = check.text(fields.supplement, 'Address Supplement');
	const input = {
		voucherDate: check.dateTime(this.getNodeParameter('voucherDate', itemIndex, ''), 'Voucher Date') ?? DateTime.now(),
		address: { ...address, ...(supplement ? { supplement } : {}) } as InvoiceAddress,
		lineItems: readLineItems(check, this.getNodeParameter('lineItems', itemIndex, {})),
		taxType: readTaxType(check, this.getNodeParameter('taxType', itemIndex)),
		shipping: readShipping(check, {
			type: this.getNodeParameter('shippingType', itemIndex),
			date: this.getNodeParameter('shippingDate', itemIndex, ''),
			endDate: this.getNodeParameter('shippingEndDate', itemIndex, ''),
		}),
		...readInvoiceTexts(check, fields),
	};
	// §4.2: the contact must be a customer; LexOffice's own refusal would not say so plainly.
	if ('contactId' in address) checkIsCustomer(check, await getContact.call(this, address.contactId));

	const finalize = this.getNodeParameter('finalize', itemIndex, false) as boolean;
	const options = this.getNodeParameter('options', itemIndex, {}) as { returnFullInvoice?: boolean };
	const { result, invoice } = await createInvoice.call(this, input, {
		finalize,
		readBack: options.returnFullInvoice ?? true,
	});
	return [{ json: invoice ?? result }];
}

function oneTimeAddress(this: IExecuteFunctions, check: InputCheck, itemIndex: number): InvoiceAddress {
	const optional = (name: string, label: string) => check.text(this.getNodeParameter(name, itemIndex, ''), label);
	const parts = {
		street: optional('recipientStreet', 'Street'),
		zip: optional('recipientZip', 'ZIP Code'),
		city: optional('recipientCity', 'City'),
	};
	return {
		name: check.required(this.getNodeParameter('recipientName', itemIndex, ''), 'Name'),
		countryCode: check.countryCode(this.getNodeParameter('recipientCountryCode', itemIndex, ''), 'Country Code'),
		...Object.fromEntries(Object.entries(parts).filter(([, value]) => value !== undefined)),
	};
}
