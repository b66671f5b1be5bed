import type { IDataObject } from 'n8n-workflow';

import { joinCountryCode } from '../../shared/countryCodes';
import { NOTE_MAX, SALUTATION_MAX, newContactBody, type ContactAddress, type ContactChanges, type EmailKind, type PhoneKind } from './contacts';
import { EMAIL_ADDRESS, type InputCheck } from './input';

/**
 * A Bitrix24 contact or company, as crm.contact.get / crm.company.get return it
 * (bitrix24-api.md §4.2), turned into the body of a new LexOffice contact (lexoffice-api.md §3.3).
 * The inverse of nodes/Bitrix24/helpers/lexofficeContactMapping.ts: a Bitrix24 contact becomes a
 * LexOffice person, a company a LexOffice company; e-mails and phones keep their kind. Pure.
 *
 * LexOffice takes one entry per e-mail and phone kind on a write (§3.4), so WORK fills "business"
 * and then "office", and whatever finds no free kind is left out and reported, never sent.
 */

export type Bitrix24RecordType = 'contact' | 'company';

export interface MappedBitrix24Record {
	kind: 'person' | 'company';
	body: IDataObject;
	/** What LexOffice could not take, e.g. `EMAIL "b@x.de" (WORK): no free e-mail kind`. */
	leftOut: string[];
}

/** Bitrix24 VALUE_TYPE → the LexOffice kinds it may fill, in order (§4.2 multifields ↔ §3.3). */
const EMAIL_KINDS_BY_TYPE: Record<string, EmailKind[]> = {
	WORK: ['business', 'office'],
	HOME: ['private'],
	OTHER: ['other'],
	MAILING: ['other'],
};
const PHONE_KINDS_BY_TYPE: Record<string, PhoneKind[]> = {
	WORK: ['business', 'office'],
	MOBILE: ['mobile'],
	HOME: ['private'],
	FAX: ['fax'],
	OTHER: ['other'],
	PAGER: ['other'],
	MAILING: ['other'],
};

/** The lines nodes/Bitrix24/helpers/lexofficeContactMapping.ts adds to COMMENTS: not a note of this contact. */
const SYNC_NUMBER_LINE = /^LexOffice (Kundennummer|Lieferantennummer): \d+$/;
/** Bitrix24 comments may carry BB codes (§4.2); LexOffice notes are plain text. */
const BB_CODE = /\[\/?(b|i|u|s|p|url|color|size|font|list|\*|quote|code|img|table|tr|td|left|right|center|justify)(=[^\]]*)?\]/gi;

const text = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '');

interface MultifieldEntry {
	value: string;
	valueType: string;
}

/** `[{ID, VALUE_TYPE, VALUE, TYPE_ID}]` → trimmed, non-empty entries in Bitrix24's order. */
export function multifieldEntries(value: unknown): MultifieldEntry[] {
	if (!Array.isArray(value)) return [];
	return value
		.map((entry) => (typeof entry === 'object' && entry !== null ? (entry as IDataObject) : {}))
		.map((entry) => ({ value: text(entry.VALUE), valueType: text(entry.VALUE_TYPE).toUpperCase() || 'OTHER' }))
		.filter((entry) => entry.value !== '');
}

/** The record's e-mail addresses that LexOffice would accept, in Bitrix24's order, without duplicates. */
export function recordEmails(record: IDataObject): string[] {
	const seen = new Set<string>();
	return multifieldEntries(record.EMAIL)
		.map((entry) => entry.value)
		.filter((email) => EMAIL_ADDRESS.test(email) && !seen.has(email.toLowerCase()) && seen.add(email.toLowerCase()));
}

function assignKinds<Kind extends string>(
	entries: MultifieldEntry[],
	kindsByType: Record<string, Kind[]>,
	field: 'EMAIL' | 'PHONE',
	leftOut: string[],
): Partial<Record<Kind, string>> {
	const assigned: Partial<Record<Kind, string>> = {};
	const seen = new Set<string>();
	for (const { value, valueType } of entries) {
		const key = value.toLowerCase();
		if (seen.has(key)) continue;
		seen.add(key);
		if (field === 'EMAIL' && !EMAIL_ADDRESS.test(value)) {
			leftOut.push(`${field} "${value}" (${valueType}): not an e-mail address LexOffice accepts`);
			continue;
		}
		const free = (kindsByType[valueType] ?? kindsByType.OTHER).find((kind) => assigned[kind] === undefined);
		if (free === undefined) {
			leftOut.push(`${field} "${value}" (${valueType}): LexOffice keeps one entry per kind and that kind is taken`);
			continue;
		}
		assigned[free] = value;
	}
	return assigned;
}

/** COMMENTS as a plain note: BB codes and the sync's number lines removed, cut to LexOffice's limit. */
function noteOf(comments: unknown, leftOut: string[]): string | undefined {
	const lines = text(comments)
		.replace(BB_CODE, '')
		.split(/\r?\n/)
		.filter((line) => !SYNC_NUMBER_LINE.test(line.trim()));
	const note = lines.join('\n').trim();
	if (note === '') return undefined;
	if (note.length <= NOTE_MAX) return note;
	leftOut.push(`COMMENTS: cut to the ${NOTE_MAX} characters LexOffice allows in a note (was ${note.length})`);
	return `${note.slice(0, NOTE_MAX - 1)}…`;
}

/**
 * The record's address as a LexOffice billing address, from the address fields crm.contact.get and
 * crm.company.get still return (bitrix24-api.md §4.2, "only for compatibility"): COUNTRY_CODE is
 * the ISO country, and a region LexOffice has an extended code for (PROVINCE "Kanarische Inseln"
 * → `ES_CN`, lexoffice-api.md §3.3, §9) becomes that code, so LexOffice accepts it and taxes right.
 */
function addressOf(record: IDataObject, leftOut: string[]): ContactAddress | undefined {
	const parts = { street: text(record.ADDRESS), supplement: text(record.ADDRESS_2), zip: text(record.ADDRESS_POSTAL_CODE), city: text(record.ADDRESS_CITY) };
	const iso = text(record.ADDRESS_COUNTRY_CODE).toUpperCase();
	const hasAddress = Object.values(parts).some(Boolean);
	if (!/^[A-Z]{2}$/.test(iso)) {
		if (hasAddress || text(record.ADDRESS_COUNTRY)) leftOut.push(`ADDRESS: no two-letter country code (ADDRESS_COUNTRY_CODE "${iso}"), which LexOffice needs for an address`);
		return undefined;
	}
	const address: ContactAddress = { countryCode: joinCountryCode(iso, text(record.ADDRESS_PROVINCE)) };
	for (const [key, value] of Object.entries(parts) as Array<[keyof typeof parts, string]>) if (value) address[key] = value;
	return address;
}

/**
 * 'contact' or 'company' for a record of unknown type: companies have TITLE, contacts NAME or
 * LAST_NAME (crm.company.fields / crm.contact.fields). Undefined when the record shows neither.
 */
export function detectRecordType(record: IDataObject): Bitrix24RecordType | undefined {
	const isCompany = 'TITLE' in record || 'COMPANY_TYPE' in record;
	const isContact = 'LAST_NAME' in record || 'NAME' in record;
	if (isCompany === isContact) return undefined;
	return isCompany ? 'company' : 'contact';
}

function personNames(check: InputCheck, record: IDataObject): Pick<ContactChanges, 'firstName' | 'lastName'> {
	const given = [text(record.NAME), text(record.SECOND_NAME)].filter(Boolean).join(' ');
	const last = text(record.LAST_NAME);
	if (last) return { lastName: last, ...(given ? { firstName: given } : {}) };
	// LexOffice needs a last name (§3.3); a contact known only by one name keeps it there.
	if (given) return { lastName: given };
	return check.fail(
		`The Bitrix24 contact ${text(record.ID)} has no name (NAME and LAST_NAME are empty)`,
		'LexOffice needs at least a last name for a person. Enter the name in Bitrix24 and click again.',
	);
}

/**
 * The LexOffice create body for a Bitrix24 record, with the customer role. Throws (naming the
 * Bitrix24 field) when LexOffice would refuse the contact, e.g. a company without TITLE.
 */
export function contactFromBitrix24(
	check: InputCheck,
	record: IDataObject,
	type: Bitrix24RecordType,
	{ salutation }: { salutation?: string } = {},
): MappedBitrix24Record {
	const leftOut: string[] = [];
	const changes: ContactChanges = {
		roles: ['customer'],
		emails: assignKinds(multifieldEntries(record.EMAIL), EMAIL_KINDS_BY_TYPE, 'EMAIL', leftOut),
		phones: assignKinds(multifieldEntries(record.PHONE), PHONE_KINDS_BY_TYPE, 'PHONE', leftOut),
		note: noteOf(record.COMMENTS, leftOut),
		billingAddress: addressOf(record, leftOut),
	};
	if (type === 'company') {
		const name = text(record.TITLE);
		if (!name) {
			check.fail(
				`The Bitrix24 company ${text(record.ID)} has no name (TITLE is empty)`,
				'LexOffice needs a company name. Enter it in Bitrix24 and click again.',
			);
		}
		changes.companyName = name;
	} else {
		Object.assign(changes, personNames(check, record));
		const checkedSalutation = check.text(salutation, 'Salutation', { max: SALUTATION_MAX });
		if (checkedSalutation) changes.salutation = checkedSalutation;
	}
	const kind = type === 'company' ? 'company' : 'person';
	return { kind, body: newContactBody(check, kind, changes), leftOut };
}
