/**
 * How a LexOffice contact becomes Bitrix24 records — the one mapping the initial import and the
 * incremental sync share. Pure: no requests, no node parameters; table-tested.
 *
 * - A person becomes a Bitrix24 contact, a company a Bitrix24 company whose contact persons become
 *   contacts linked to it (COMPANY_ID).
 * - E-mails and phones keep their kind (business/office → WORK, private → HOME, …).
 * - Tax number and VAT ID go to the requisite (RQ_INN, RQ_VAT_ID, bitrix24-api.md §5), the first
 *   billing and shipping address to that requisite's addresses.
 * - Customer and vendor numbers go to the chosen fields, or as a line into the comments.
 */
import { z } from 'zod';

import { toAddressValues, type AddressValues, type CountryNameLanguage } from '../actions/address/addressValues';

const addressSchema = z
	.object({
		supplement: z.string().optional(),
		street: z.string().optional(),
		zip: z.string().optional(),
		city: z.string().optional(),
		countryCode: z.string().optional(),
	})
	.passthrough();

const stringList = z.array(z.string()).optional();

/** The parts of a LexOffice contact (lexoffice-api.md §3) the mapping reads; others pass through. */
export const lexofficeContactSchema = z
	.object({
		id: z.string().min(1),
		version: z.number().int().nonnegative(),
		roles: z
			.object({
				customer: z.object({ number: z.number().int().optional() }).passthrough().optional(),
				vendor: z.object({ number: z.number().int().optional() }).passthrough().optional(),
			})
			.passthrough()
			.optional(),
		person: z
			.object({ salutation: z.string().optional(), firstName: z.string().optional(), lastName: z.string().optional() })
			.passthrough()
			.optional(),
		company: z
			.object({
				name: z.string(),
				taxNumber: z.string().optional(),
				vatRegistrationId: z.string().optional(),
				contactPersons: z
					.array(
						z
							.object({
								salutation: z.string().optional(),
								firstName: z.string().optional(),
								lastName: z.string().optional(),
								primary: z.boolean().optional(),
								emailAddress: z.string().optional(),
								phoneNumber: z.string().optional(),
							})
							.passthrough(),
					)
					.optional(),
			})
			.passthrough()
			.optional(),
		addresses: z.object({ billing: z.array(addressSchema).optional(), shipping: z.array(addressSchema).optional() }).passthrough().optional(),
		emailAddresses: z
			.object({ business: stringList, office: stringList, private: stringList, other: stringList })
			.passthrough()
			.optional(),
		phoneNumbers: z
			.object({ business: stringList, office: stringList, mobile: stringList, private: stringList, fax: stringList, other: stringList })
			.passthrough()
			.optional(),
		note: z.string().optional(),
		archived: z.boolean().optional(),
	})
	.passthrough()
	.refine((contact) => Boolean(contact.person) !== Boolean(contact.company), {
		message: 'a LexOffice contact is either a person or a company',
	});

export type LexofficeContact = z.infer<typeof lexofficeContactSchema>;

export interface ContactMappingSettings {
	/** ASSIGNED_BY_ID of every record written; undefined leaves Bitrix24's default. */
	responsibleUserId?: number;
	/** Bitrix24 field for the customer number; empty: a line in the comments. */
	customerNumberField: string;
	/** Bitrix24 field for the vendor number; empty: a line in the comments. */
	vendorNumberField: string;
	countryNameLanguage: CountryNameLanguage;
}

export type Bitrix24Multifield = Array<{ VALUE: string; VALUE_TYPE: string }>;

export interface MappedRecord {
	entity: 'company' | 'contact';
	/** ORIGIN_ID: the LexOffice contact id, or `<company id>:person:<n>` for a contact person. */
	originId: string;
	/** Bitrix24 field values; EMAIL/PHONE as the complete desired lists. */
	fields: Record<string, string | number | Bitrix24Multifield>;
}

export interface MappedRequisite {
	/** RQ_* values, '' clears. */
	fields: Record<string, string>;
	billing: AddressValues | null;
	shipping: AddressValues | null;
}

export interface MappedContact {
	lexofficeId: string;
	version: string;
	kind: 'company' | 'person';
	name: string;
	archived: boolean;
	record: MappedRecord;
	contactPersons: MappedRecord[];
	requisite: MappedRequisite;
}

/** LexOffice list → Bitrix24 VALUE_TYPE (bitrix24-api.md §4.2 multifields). */
const EMAIL_TYPES: Record<string, string> = { business: 'WORK', office: 'WORK', private: 'HOME', other: 'OTHER' };
const PHONE_TYPES: Record<string, string> = {
	business: 'WORK',
	office: 'WORK',
	mobile: 'MOBILE',
	private: 'HOME',
	fax: 'FAX',
	other: 'OTHER',
};

function multifield(lists: { [kind: string]: unknown } | undefined, types: Record<string, string>): Bitrix24Multifield {
	const entries: Bitrix24Multifield = [];
	const seen = new Set<string>();
	for (const [kind, valueType] of Object.entries(types)) {
		const list = lists?.[kind];
		for (const raw of Array.isArray(list) ? list : []) {
			const value = String(raw).trim();
			const key = `${valueType} ${value.toLowerCase()}`;
			if (!value || seen.has(key)) continue;
			seen.add(key);
			entries.push({ VALUE: value, VALUE_TYPE: valueType });
		}
	}
	return entries;
}

const clean = (value: string | undefined) => (value ?? '').trim();

/** Comments: the LexOffice note, then the numbers that have no field of their own. */
function comments(contact: LexofficeContact, settings: ContactMappingSettings): string {
	const lines = [clean(contact.note)];
	const customer = contact.roles?.customer?.number;
	const vendor = contact.roles?.vendor?.number;
	if (customer !== undefined && !settings.customerNumberField) lines.push(`LexOffice Kundennummer: ${customer}`);
	if (vendor !== undefined && !settings.vendorNumberField) lines.push(`LexOffice Lieferantennummer: ${vendor}`);
	return lines.filter(Boolean).join('\n');
}

function commonFields(contact: LexofficeContact, settings: ContactMappingSettings): MappedRecord['fields'] {
	const fields: MappedRecord['fields'] = {
		EMAIL: multifield(contact.emailAddresses, EMAIL_TYPES),
		PHONE: multifield(contact.phoneNumbers, PHONE_TYPES),
		COMMENTS: comments(contact, settings),
	};
	const customer = contact.roles?.customer?.number;
	const vendor = contact.roles?.vendor?.number;
	if (settings.customerNumberField) fields[settings.customerNumberField] = customer === undefined ? '' : String(customer);
	if (settings.vendorNumberField) fields[settings.vendorNumberField] = vendor === undefined ? '' : String(vendor);
	if (settings.responsibleUserId !== undefined) fields.ASSIGNED_BY_ID = settings.responsibleUserId;
	return fields;
}

function firstAddress(list: Array<z.infer<typeof addressSchema>> | undefined, settings: ContactMappingSettings, label: string) {
	const first = list?.[0];
	return first
		? toAddressValues({ street: first.street, supplement: first.supplement, zip: first.zip, city: first.city, countryCode: first.countryCode }, settings.countryNameLanguage, label)
		: null;
}

/** A LexOffice contact as the Bitrix24 records it becomes. Throws on an invalid country code. */
export function mapLexofficeContact(contact: LexofficeContact, settings: ContactMappingSettings): MappedContact {
	const requisite: MappedRequisite = {
		fields: {},
		billing: firstAddress(contact.addresses?.billing, settings, 'Billing Address'),
		shipping: firstAddress(contact.addresses?.shipping, settings, 'Shipping Address'),
	};
	const base = { lexofficeId: contact.id, version: String(contact.version), archived: contact.archived === true, requisite };

	if (contact.company) {
		const company = contact.company;
		requisite.fields = {
			RQ_COMPANY_NAME: clean(company.name),
			RQ_INN: clean(company.taxNumber),
			RQ_VAT_ID: clean(company.vatRegistrationId),
		};
		const contactPersons = (company.contactPersons ?? []).map(
			(person, index): MappedRecord => ({
				entity: 'contact',
				originId: `${contact.id}:person:${index + 1}`,
				fields: {
					NAME: clean(person.firstName),
					LAST_NAME: clean(person.lastName),
					EMAIL: person.emailAddress?.trim() ? [{ VALUE: person.emailAddress.trim(), VALUE_TYPE: 'WORK' }] : [],
					PHONE: person.phoneNumber?.trim() ? [{ VALUE: person.phoneNumber.trim(), VALUE_TYPE: 'WORK' }] : [],
					...(settings.responsibleUserId !== undefined ? { ASSIGNED_BY_ID: settings.responsibleUserId } : {}),
				},
			}),
		);
		return {
			...base,
			kind: 'company',
			name: clean(company.name),
			record: { entity: 'company', originId: contact.id, fields: { TITLE: clean(company.name), ...commonFields(contact, settings) } },
			contactPersons,
		};
	}

	const person = contact.person ?? {};
	requisite.fields = { RQ_FIRST_NAME: clean(person.firstName), RQ_LAST_NAME: clean(person.lastName) };
	const name = [clean(person.firstName), clean(person.lastName)].filter(Boolean).join(' ');
	return {
		...base,
		kind: 'person',
		name,
		record: {
			entity: 'contact',
			originId: contact.id,
			fields: { NAME: clean(person.firstName), LAST_NAME: clean(person.lastName), ...commonFields(contact, settings) },
		},
		contactPersons: [],
	};
}
