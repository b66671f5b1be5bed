/**
 * How a LexOffice contact becomes Bitrix24 records — the one mapping the contacts workflow's import,
 * events and reconciliation share. Pure: no requests, no node parameters; table-tested.
 *
 * - A person becomes a Bitrix24 contact, a company a Bitrix24 company whose contact persons become
 *   contacts linked to it (COMPANY_ID).
 * - E-mails and phones keep their kind (business/office → WORK, private → HOME, …); every entry of
 *   every list is kept.
 * - Tax number and VAT ID go to the requisite (RQ_INN, RQ_VAT_ID, bitrix24-api.md §5), the first
 *   billing and shipping address to that requisite's addresses; further addresses become lines in
 *   the comments (a requisite holds one address per type).
 * - Customer and vendor numbers go to the chosen fields, or as a line into the comments.
 *
 * Messy data (docs/data-quality.md): LexOffice sends `null` for any list or optional field, so the
 * schema takes null wherever it takes nothing. What Bitrix24 would refuse is repaired and reported
 * in `warnings` (an e-mail it refuses, a text over its length limit); only what cannot become a
 * record at all (no name, a country code that is none) throws a MappingError naming field and fix.
 */
import { z } from 'zod';

import { splitCountryCode } from './countryCodes';
import { toAddressValues, type AddressValues, type CountryNameLanguage } from './addresses';
import { personOriginId } from './links';
import { MappingError } from './mappingError';
import { numberLine } from './numberLines';

export { MappingError };

const optionalText = z.string().nullish();
const stringList = z.array(z.string().nullish()).nullish();

const addressSchema = z
	.object({
		supplement: optionalText,
		street: optionalText,
		zip: optionalText,
		city: optionalText,
		countryCode: optionalText,
	})
	.passthrough();
const addressList = z.array(addressSchema.nullish()).nullish();
const roleSchema = z.object({ number: z.number().int().nullish() }).passthrough().nullish();

/** The parts of a LexOffice contact (lexoffice-api.md §3) the mapping reads; others pass through. */
export const lexofficeContactSchema = z
	.object({
		id: z.string().min(1),
		version: z.number().int().nonnegative(),
		roles: z.object({ customer: roleSchema, vendor: roleSchema }).passthrough().nullish(),
		person: z
			.object({ salutation: optionalText, firstName: optionalText, lastName: optionalText })
			.passthrough()
			.nullish(),
		company: z
			.object({
				name: optionalText,
				taxNumber: optionalText,
				vatRegistrationId: optionalText,
				contactPersons: z
					.array(
						z
							.object({
								salutation: optionalText,
								firstName: optionalText,
								lastName: optionalText,
								primary: z.boolean().nullish(),
								emailAddress: optionalText,
								phoneNumber: optionalText,
							})
							.passthrough()
							.nullish(),
					)
					.nullish(),
			})
			.passthrough()
			.nullish(),
		addresses: z.object({ billing: addressList, shipping: addressList }).passthrough().nullish(),
		emailAddresses: z
			.object({ business: stringList, office: stringList, private: stringList, other: stringList })
			.passthrough()
			.nullish(),
		phoneNumbers: z
			.object({
				business: stringList,
				office: stringList,
				mobile: stringList,
				private: stringList,
				fax: stringList,
				other: stringList,
			})
			.passthrough()
			.nullish(),
		note: optionalText,
		archived: z.boolean().nullish(),
	})
	.passthrough()
	.refine((contact) => Boolean(contact.person) !== Boolean(contact.company), {
		message: 'a LexOffice contact is either a person or a company',
		path: ['person'],
	});

export type LexofficeContact = z.infer<typeof lexofficeContactSchema>;

/**
 * Lengths Bitrix24 stores (characters). ASSUMPTION: bitrix24-api.md does not document them; these
 * are the column sizes of the CRM module's tables (b_crm_contact, b_crm_company, b_crm_addr,
 * b_crm_requisite). Longer values are cut here and reported, so Bitrix24 never refuses them.
 */
export const BITRIX24_TEXT_LIMITS: Record<string, number> = {
	NAME: 50,
	LAST_NAME: 50,
	TITLE: 255,
	RQ_FIRST_NAME: 50,
	RQ_LAST_NAME: 50,
	RQ_COMPANY_NAME: 255,
	RQ_INN: 15,
	RQ_VAT_ID: 20,
	ADDRESS_1: 1024,
	ADDRESS_2: 1024,
	CITY: 128,
	POSTAL_CODE: 16,
	PROVINCE: 128,
	/** A multifield value (b_crm_field_multi.VALUE). */
	MULTIFIELD: 250,
};

/**
 * E-mail addresses Bitrix24 takes. ASSUMPTION (not in bitrix24-api.md): Bitrix24 checks an EMAIL
 * value with its check_email(): one @, no blanks or brackets, a dot in the domain.
 */
export const BITRIX24_EMAIL = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:".]{2,}$/;

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
	/** ORIGIN_ID: the LexOffice contact id, or personOriginId (links.ts) for a contact person. */
	originId: string;
	/** Bitrix24 field values; EMAIL/PHONE as the complete desired lists. */
	fields: Record<string, string | number | Bitrix24Multifield>;
	/** Contact persons only: how the same person is recognised again (lower-case e-mail, name). */
	identity?: { email: string; name: string };
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
	/** What was repaired or left out on the way, for the output item and the statistics. */
	warnings: string[];
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

/** What one mapping collects besides the records: warnings, and lines for the comments. */
interface Notes {
	warnings: string[];
	commentLines: string[];
}

const clean = (value: string | null | undefined) => (value ?? '').trim();

/** The value cut to Bitrix24's length for `field`, with a warning naming the LexOffice field. */
function fit(value: string, field: string, source: string, notes: Notes): string {
	const limit = BITRIX24_TEXT_LIMITS[field];
	const chars = [...value];
	if (limit === undefined || chars.length <= limit) return value;
	notes.warnings.push(
		`${source} has ${chars.length} characters; Bitrix24 keeps ${limit} in ${field}, so it was cut. Shorten it in LexOffice to keep it whole.`,
	);
	return chars.slice(0, limit).join('');
}

/** A tax identifier is written whole or not at all: a cut one would be a wrong one. */
function whole(value: string, field: string, source: string, notes: Notes): string {
	const limit = BITRIX24_TEXT_LIMITS[field];
	if ([...value].length <= limit) return value;
	notes.warnings.push(
		`${source} "${value}" is longer than Bitrix24 keeps in ${field} (${limit}); it was not written. Check it in LexOffice.`,
	);
	return '';
}

function multifield(
	lists: { [kind: string]: unknown } | null | undefined,
	types: Record<string, string>,
	group: 'emailAddresses' | 'phoneNumbers',
	notes: Notes,
): Bitrix24Multifield {
	const entries: Bitrix24Multifield = [];
	const seen = new Set<string>();
	for (const [kind, valueType] of Object.entries(types)) {
		const list = lists?.[kind];
		for (const raw of Array.isArray(list) ? list : []) {
			const value = raw === null || raw === undefined ? '' : String(raw).trim();
			const key = `${valueType} ${value.toLowerCase()}`;
			if (!value || seen.has(key)) continue;
			seen.add(key);
			if (group === 'emailAddresses' && !BITRIX24_EMAIL.test(value)) {
				notes.warnings.push(
					`${group}.${kind} "${value}" is not an e-mail address Bitrix24 accepts; it was left out of EMAIL and noted in the comments. Correct it in LexOffice.`,
				);
				notes.commentLines.push(`Ungültige E-Mail-Adresse aus LexOffice: ${value}`);
				continue;
			}
			if ([...value].length > BITRIX24_TEXT_LIMITS.MULTIFIELD) {
				notes.warnings.push(
					`${group}.${kind} "${value.slice(0, 40)}…" is longer than Bitrix24 keeps (${BITRIX24_TEXT_LIMITS.MULTIFIELD}); it was left out. Correct it in LexOffice.`,
				);
				continue;
			}
			entries.push({ VALUE: value, VALUE_TYPE: valueType });
		}
	}
	return entries;
}

/**
 * A LexOffice note as plain text. LexOffice notes are plain text, but imported ones may carry HTML;
 * Bitrix24 would show the tags as they are (COMMENTS renders BB codes, §4.2), so tags are taken out,
 * line breaks kept and the common entities decoded.
 */
export function plainNote(note: string): string {
	const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
	if (!/<\/?[a-z][^>]*>/i.test(note)) return note.trim();
	return note
		.replace(/<\s*br\s*\/?>/gi, '\n')
		.replace(/<\/\s*(p|div|li|h[1-6])\s*>/gi, '\n')
		.replace(/<(script|style)[^>]*>[\s\S]*?<\/\1\s*>/gi, '')
		.replace(/<[^>]*>/g, '')
		.replace(/&(amp|lt|gt|quot|apos|nbsp);/g, (_match, name: string) => entities[name])
		.replace(/[ \t]+\n/g, '\n')
		.replace(/\n{3,}/g, '\n\n')
		.trim();
}

/** Comments: the LexOffice note, then what has no field of its own (numbers, further addresses, refused e-mails). */
function comments(contact: LexofficeContact, settings: ContactMappingSettings, notes: Notes): string {
	const lines = [plainNote(clean(contact.note))];
	const customer = contact.roles?.customer?.number ?? undefined;
	const vendor = contact.roles?.vendor?.number ?? undefined;
	if (customer !== undefined && !settings.customerNumberField) lines.push(numberLine('customer', customer));
	if (vendor !== undefined && !settings.vendorNumberField) lines.push(numberLine('vendor', vendor));
	return [...lines, ...notes.commentLines].filter(Boolean).join('\n');
}

function commonFields(
	contact: LexofficeContact,
	settings: ContactMappingSettings,
	notes: Notes,
): MappedRecord['fields'] {
	const fields: MappedRecord['fields'] = {
		EMAIL: multifield(contact.emailAddresses, EMAIL_TYPES, 'emailAddresses', notes),
		PHONE: multifield(contact.phoneNumbers, PHONE_TYPES, 'phoneNumbers', notes),
	};
	fields.COMMENTS = comments(contact, settings, notes);
	const customer = contact.roles?.customer?.number ?? undefined;
	const vendor = contact.roles?.vendor?.number ?? undefined;
	if (settings.customerNumberField)
		fields[settings.customerNumberField] = customer === undefined ? '' : String(customer);
	if (settings.vendorNumberField) fields[settings.vendorNumberField] = vendor === undefined ? '' : String(vendor);
	if (settings.responsibleUserId !== undefined) fields.ASSIGNED_BY_ID = settings.responsibleUserId;
	return fields;
}

type LexofficeAddress = z.infer<typeof addressSchema>;

const ADDRESS_LABEL = { billing: 'Rechnungsadresse', shipping: 'Lieferadresse' } as const;

function oneLine(address: LexofficeAddress): string {
	const place = [clean(address.zip), clean(address.city)].filter(Boolean).join(' ');
	return [clean(address.supplement), clean(address.street), place, clean(address.countryCode)]
		.filter(Boolean)
		.join(', ');
}

/**
 * The first address of a kind, as Bitrix24 address values; the others become comment lines (a
 * requisite holds one address per type, §5), with a warning. The sync owns the whole address, so
 * PROVINCE is always written: the region of an extended country code, or empty.
 */
function firstAddress(
	contact: LexofficeContact,
	kind: 'billing' | 'shipping',
	settings: ContactMappingSettings,
	notes: Notes,
): AddressValues | null {
	const list = (contact.addresses?.[kind] ?? []).filter((entry): entry is LexofficeAddress => Boolean(entry));
	const [first, ...others] = list;
	for (const other of others) notes.commentLines.push(`Weitere ${ADDRESS_LABEL[kind]} (LexOffice): ${oneLine(other)}`);
	if (others.length > 0) {
		notes.warnings.push(
			`addresses.${kind} has ${list.length} entries; Bitrix24 keeps one ${kind} address per requisite, so the first was kept and the others were noted in the comments.`,
		);
	}
	if (!first) return null;
	const field = `addresses.${kind}[0].countryCode`;
	const code = clean(first.countryCode);
	if (code !== '' && !splitCountryCode(code, settings.countryNameLanguage)) {
		throw new MappingError(
			field,
			`${field} "${code}" is not a country code`,
			'Choose the country from the list in LexOffice (ISO code like DE, or an extended code like ES_CN).',
		);
	}
	const values = toAddressValues(
		{ street: first.street, supplement: first.supplement, zip: first.zip, city: first.city, countryCode: code },
		settings.countryNameLanguage,
		`addresses.${kind}[0]`,
	);
	if (!values) return null;
	values.PROVINCE ??= '';
	const source = (part: string) => `addresses.${kind}[0].${part}`;
	values.ADDRESS_1 = fit(values.ADDRESS_1, 'ADDRESS_1', source('street'), notes);
	values.ADDRESS_2 = fit(values.ADDRESS_2, 'ADDRESS_2', source('supplement'), notes);
	values.CITY = fit(values.CITY, 'CITY', source('city'), notes);
	values.POSTAL_CODE = fit(values.POSTAL_CODE, 'POSTAL_CODE', source('zip'), notes);
	return values;
}

type LexofficeContactPerson = NonNullable<
	NonNullable<NonNullable<LexofficeContact['company']>['contactPersons']>[number]
>;

/**
 * A contact person as a Bitrix24 contact. Without last name the first name is the name; without
 * any name the e-mail address or phone number is (so the person can be found in Bitrix24); a
 * person with none of these is left out with a warning.
 */
function contactPersonRecord(
	contactId: string,
	person: LexofficeContactPerson,
	position: number,
	settings: ContactMappingSettings,
	notes: Notes,
): MappedRecord | undefined {
	const source = `company.contactPersons[${position - 1}]`;
	const personNotes: Notes = { warnings: [], commentLines: [] };
	const email = multifield({ business: [person.emailAddress] }, { business: 'WORK' }, 'emailAddresses', personNotes);
	notes.warnings.push(...personNotes.warnings.map((warning) => `${source}: ${warning}`));
	const phone = clean(person.phoneNumber);
	let firstName = clean(person.firstName);
	let lastName = clean(person.lastName);
	if (!firstName && !lastName) {
		lastName = email[0]?.VALUE ?? phone;
		if (!lastName) {
			notes.warnings.push(
				`${source} has no name, e-mail address or phone number; it was left out. Complete or remove it in LexOffice.`,
			);
			return undefined;
		}
	}
	firstName = fit(firstName, 'NAME', `${source}.firstName`, notes);
	lastName = fit(lastName, 'LAST_NAME', `${source}.lastName`, notes);
	return {
		entity: 'contact',
		originId: personOriginId(contactId, position),
		identity: { email: (email[0]?.VALUE ?? '').toLowerCase(), name: `${firstName} ${lastName}`.trim().toLowerCase() },
		fields: {
			NAME: firstName,
			LAST_NAME: lastName,
			EMAIL: email,
			PHONE:
				phone && [...phone].length <= BITRIX24_TEXT_LIMITS.MULTIFIELD ? [{ VALUE: phone, VALUE_TYPE: 'WORK' }] : [],
			...(personNotes.commentLines.length ? { COMMENTS: personNotes.commentLines.join('\n') } : {}),
			...(settings.responsibleUserId !== undefined ? { ASSIGNED_BY_ID: settings.responsibleUserId } : {}),
		},
	};
}

/**
 * A LexOffice contact as the Bitrix24 records it becomes. Throws a MappingError when it cannot
 * become one (no name, a country code that is none).
 */
export function mapLexofficeContact(contact: LexofficeContact, settings: ContactMappingSettings): MappedContact {
	const notes: Notes = { warnings: [], commentLines: [] };
	const requisite: MappedRequisite = {
		fields: {},
		billing: firstAddress(contact, 'billing', settings, notes),
		shipping: firstAddress(contact, 'shipping', settings, notes),
	};
	const base = {
		lexofficeId: contact.id,
		version: String(contact.version),
		archived: contact.archived === true,
		requisite,
		warnings: notes.warnings,
	};

	if (contact.company) {
		const company = contact.company;
		const name = clean(company.name);
		if (!name)
			throw new MappingError(
				'company.name',
				'company.name is empty',
				'Enter the company name in LexOffice; Bitrix24 needs a name for a company.',
			);
		const title = fit(name, 'TITLE', 'company.name', notes);
		requisite.fields = {
			RQ_COMPANY_NAME: fit(name, 'RQ_COMPANY_NAME', 'company.name', { warnings: [], commentLines: [] }),
			RQ_INN: whole(clean(company.taxNumber), 'RQ_INN', 'company.taxNumber', notes),
			RQ_VAT_ID: whole(clean(company.vatRegistrationId), 'RQ_VAT_ID', 'company.vatRegistrationId', notes),
		};
		const contactPersons = (company.contactPersons ?? []).flatMap((person, index) => {
			const record = person ? contactPersonRecord(contact.id, person, index + 1, settings, notes) : undefined;
			return record ? [record] : [];
		});
		const fields = { TITLE: title, ...commonFields(contact, settings, notes) };
		return {
			...base,
			kind: 'company',
			name,
			record: { entity: 'company', originId: contact.id, fields },
			contactPersons,
		};
	}

	const person = contact.person ?? {};
	const firstName = clean(person.firstName);
	const lastName = clean(person.lastName);
	if (!firstName && !lastName) {
		throw new MappingError(
			'person.lastName',
			'person.firstName and person.lastName are empty',
			'Enter the name in LexOffice; a Bitrix24 contact without a name cannot be found again.',
		);
	}
	const quiet: Notes = { warnings: [], commentLines: [] };
	requisite.fields = {
		RQ_FIRST_NAME: fit(firstName, 'RQ_FIRST_NAME', 'person.firstName', quiet),
		RQ_LAST_NAME: fit(lastName, 'RQ_LAST_NAME', 'person.lastName', quiet),
	};
	const name = [firstName, lastName].filter(Boolean).join(' ');
	const fields = {
		NAME: fit(firstName, 'NAME', 'person.firstName', notes),
		LAST_NAME: fit(lastName, 'LAST_NAME', 'person.lastName', notes),
		...commonFields(contact, settings, notes),
	};
	return {
		...base,
		kind: 'person',
		name,
		record: { entity: 'contact', originId: contact.id, fields },
		contactPersons: [],
	};
}
