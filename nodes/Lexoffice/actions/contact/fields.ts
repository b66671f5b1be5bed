import type { IDataObject, INodeProperties } from 'n8n-workflow';

import {
	NOTE_MAX,
	SALUTATION_MAX,
	type ContactAddress,
	type ContactChanges,
	type ContactPerson,
	type ContactRole,
	type EmailKind,
	type PhoneKind,
} from '../../helpers/contacts';
import type { InputCheck } from '../../helpers/input';

/**
 * The contact fields of Create and Update, as node parameters, and their reading into
 * ContactChanges. One entry per list (§3.4): one billing and one shipping address, one contact
 * person, one address or number per email and phone kind.
 */

/** Parameter name and label of each email and phone kind (§3.3). */
const EMAIL_FIELDS: Record<EmailKind, { name: string; label: string }> = {
	business: { name: 'businessEmail', label: 'Business Email' },
	office: { name: 'officeEmail', label: 'Office Email' },
	private: { name: 'privateEmail', label: 'Private Email' },
	other: { name: 'otherEmail', label: 'Other Email' },
};
const PHONE_FIELDS: Record<PhoneKind, { name: string; label: string }> = {
	business: { name: 'businessPhone', label: 'Business Phone' },
	office: { name: 'officePhone', label: 'Office Phone' },
	mobile: { name: 'mobilePhone', label: 'Mobile Phone' },
	private: { name: 'privatePhone', label: 'Private Phone' },
	fax: { name: 'faxNumber', label: 'Fax Number' },
	other: { name: 'otherPhone', label: 'Other Phone' },
};

export const ROLE_OPTIONS = [
	{ name: 'Customer', value: 'customer' },
	{ name: 'Vendor', value: 'vendor' },
];

function addressCollection(displayName: string, name: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'fixedCollection',
		default: {},
		placeholder: `Add ${displayName}`,
		options: [
			{
				displayName: 'Address',
				name: 'address',
				values: [
					{ displayName: 'City', name: 'city', type: 'string', default: '' },
					{
						displayName: 'Country Code',
						name: 'countryCode',
						type: 'string',
						default: 'DE',
						required: true,
						description: 'ISO 3166 alpha-2 code such as DE, AT or CH',
					},
					{
						displayName: 'Street',
						name: 'street',
						type: 'string',
						default: '',
						description: 'Street and house number',
					},
					{
						displayName: 'Supplement',
						name: 'supplement',
						type: 'string',
						default: '',
						description: 'Such as "Gebäude 10"',
					},
					{ displayName: 'ZIP Code', name: 'zip', type: 'string', default: '' },
				],
			},
		],
	};
}

const contactPersonCollection: INodeProperties = {
	displayName: 'Contact Person',
	name: 'contactPerson',
	type: 'fixedCollection',
	default: {},
	placeholder: 'Add Contact Person',
	description: 'The person at the company (LexOffice keeps one when contacts are written through the API)',
	options: [
		{
			displayName: 'Person',
			name: 'person',
			values: [
				{ displayName: 'Email', name: 'emailAddress', type: 'string', placeholder: 'name@email.com', default: '' },
				{ displayName: 'First Name', name: 'firstName', type: 'string', default: '' },
				{ displayName: 'Last Name', name: 'lastName', type: 'string', default: '', required: true },
				{ displayName: 'Phone', name: 'phoneNumber', type: 'string', default: '' },
				{
					displayName: 'Primary',
					name: 'primary',
					type: 'boolean',
					default: false,
					description: 'Whether LexOffice shows this person on vouchers',
				},
				{
					displayName: 'Salutation',
					name: 'salutation',
					type: 'string',
					default: '',
					description: 'At most 25 characters',
				},
			],
		},
	],
};

const text = (displayName: string, name: string, extra: Partial<INodeProperties> = {}): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: '',
	...extra,
});

/**
 * The optional fields, alphabetically. For Create, company and person fields show only for that
 * kind of contact; for Update the kind is only known once the contact is read.
 */
export function contactFieldOptions(mode: 'create' | 'update'): INodeProperties[] {
	const forKind = (kind: 'company' | 'person') =>
		mode === 'create' ? { displayOptions: { show: { '/contactType': [kind] } } } : {};
	const emails = Object.values(EMAIL_FIELDS).map(({ name, label }) =>
		text(label, name, { placeholder: 'name@email.com' }),
	);
	const phones = Object.values(PHONE_FIELDS).map(({ name, label }) => text(label, name));
	const updateOnly: INodeProperties[] =
		mode === 'update'
			? [
					text('Company Name', 'companyName', { description: 'For company contacts' }),
					text('First Name', 'firstName', { description: 'For person contacts' }),
					text('Last Name', 'lastName', { description: 'For person contacts' }),
					{
						displayName: 'Roles',
						name: 'roles',
						type: 'multiOptions',
						options: ROLE_OPTIONS,
						default: [],
						description: 'The roles the contact has afterwards; existing roles keep their number',
					},
				]
			: [];
	const options: INodeProperties[] = [
		{
			displayName: 'Allow Tax-Free Invoices',
			name: 'allowTaxFreeInvoices',
			type: 'boolean',
			default: false,
			description: 'Whether invoices to this company may be tax-free',
			...forKind('company'),
		},
		addressCollection('Billing Address', 'billingAddress'),
		{ ...contactPersonCollection, ...forKind('company') },
		text('Note', 'note', { typeOptions: { rows: 3 }, description: 'At most 1000 characters' }),
		text('Salutation', 'salutation', {
			description: 'Such as Frau or Herr; at most 25 characters',
			...forKind('person'),
		}),
		addressCollection('Shipping Address', 'shippingAddress'),
		text('Tax Number', 'taxNumber', { description: 'Steuernummer', ...forKind('company') }),
		text('VAT Registration ID', 'vatRegistrationId', {
			description: 'Umsatzsteuer-ID such as DE123456789',
			...forKind('company'),
		}),
		text('XRechnung Buyer Reference', 'xRechnungBuyerReference', {
			description: 'Leitweg-ID; needs "XRechnung Vendor Number at Customer" too',
		}),
		text('XRechnung Vendor Number at Customer', 'xRechnungVendorNumber', {
			description: 'Your vendor number at the customer; needs "XRechnung Buyer Reference" too',
		}),
		...emails,
		...phones,
		...updateOnly,
	];
	return options.sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/**
 * Reads the fields into ContactChanges, checking each before any request. For Update, a field
 * that was added but left empty means "remove it from the contact".
 */
export function readContactChanges(check: InputCheck, fields: IDataObject, mode: 'create' | 'update'): ContactChanges {
	const clearable = (key: string, read: (value: unknown) => string | undefined): string | null | undefined => {
		if (!(key in fields)) return undefined;
		const value = read(fields[key]);
		if (value !== undefined) return value;
		return mode === 'update' ? null : undefined;
	};
	const optionalText = (key: string, label: string, max?: number) =>
		clearable(key, (value) => check.text(value, label, { max }));
	const requiredIfGiven = (key: string, label: string) =>
		key in fields ? check.required(fields[key], label) : undefined;

	const changes: ContactChanges = {
		companyName: requiredIfGiven('companyName', 'Company Name'),
		lastName: requiredIfGiven('lastName', 'Last Name'),
		firstName: optionalText('firstName', 'First Name'),
		salutation: optionalText('salutation', 'Salutation', SALUTATION_MAX),
		taxNumber: optionalText('taxNumber', 'Tax Number'),
		vatRegistrationId: optionalText('vatRegistrationId', 'VAT Registration ID'),
		allowTaxFreeInvoices: typeof fields.allowTaxFreeInvoices === 'boolean' ? fields.allowTaxFreeInvoices : undefined,
		note: optionalText('note', 'Note', NOTE_MAX),
		xRechnungBuyerReference: optionalText('xRechnungBuyerReference', 'XRechnung Buyer Reference'),
		xRechnungVendorNumber: optionalText('xRechnungVendorNumber', 'XRechnung Vendor Number at Customer'),
		billingAddress: readAddress(check, fields.billingAddress, 'Billing Address'),
		shippingAddress: readAddress(check, fields.shippingAddress, 'Shipping Address'),
		contactPerson: readContactPerson(check, fields.contactPerson),
	};
	if ('roles' in fields) changes.roles = readRoles(check, fields.roles);
	const emails: ContactChanges['emails'] = {};
	for (const [kind, { name, label }] of Object.entries(EMAIL_FIELDS) as Array<
		[EmailKind, { name: string; label: string }]
	>) {
		emails[kind] = clearable(name, (value) => check.email(value, label));
	}
	const phones: ContactChanges['phones'] = {};
	for (const [kind, { name, label }] of Object.entries(PHONE_FIELDS) as Array<
		[PhoneKind, { name: string; label: string }]
	>) {
		phones[kind] = optionalText(name, label);
	}
	changes.emails = emails;
	changes.phones = phones;
	return changes;
}

export function readRoles(check: InputCheck, value: unknown): ContactRole[] {
	const roles = (Array.isArray(value) ? value : [value]).filter((role) => role !== undefined && role !== '');
	const unknown = roles.find((role) => role !== 'customer' && role !== 'vendor');
	if (unknown !== undefined)
		check.fail(`"Roles" has an unknown role "${String(unknown)}"`, 'Use customer, vendor or both.');
	if (roles.length === 0)
		check.fail('"Roles" needs at least one role', 'Choose Customer, Vendor or both (every contact has a role).');
	return roles as ContactRole[];
}

function readAddress(check: InputCheck, value: unknown, label: string): ContactAddress | undefined {
	const address = (value as { address?: IDataObject } | undefined)?.address;
	if (!address) return undefined;
	const result: ContactAddress = { countryCode: check.countryCode(address.countryCode, `${label}: Country Code`) };
	const parts = { supplement: 'Supplement', street: 'Street', zip: 'ZIP Code', city: 'City' } as const;
	for (const [key, partLabel] of Object.entries(parts) as Array<[keyof typeof parts, string]>) {
		const part = check.text(address[key], `${label}: ${partLabel}`);
		if (part !== undefined) result[key] = part;
	}
	return result;
}

function readContactPerson(check: InputCheck, value: unknown): ContactPerson | undefined {
	const person = (value as { person?: IDataObject } | undefined)?.person;
	if (!person) return undefined;
	const lastName = check.required(person.lastName, 'Contact Person: Last Name');
	const salutation = check.text(person.salutation, 'Contact Person: Salutation', { max: SALUTATION_MAX });
	const firstName = check.text(person.firstName, 'Contact Person: First Name');
	const emailAddress = check.email(person.emailAddress, 'Contact Person: Email');
	const phoneNumber = check.text(person.phoneNumber, 'Contact Person: Phone');
	return {
		...(salutation ? { salutation } : {}),
		...(firstName ? { firstName } : {}),
		lastName,
		primary: person.primary === true,
		...(emailAddress ? { emailAddress } : {}),
		...(phoneNumber ? { phoneNumber } : {}),
	};
}
