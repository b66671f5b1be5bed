import type { IDataObject } from 'n8n-workflow';

import { lexofficeAddressOf, type LexofficeAddress } from './addresses';
import { EMAIL_ADDRESS, NOTE_MAX, type EmailKind, type PhoneKind } from './lexofficeFields';
import { MappingError } from './mappingError';
import { isCommentsBlockMark } from './bitrix24Keeps';
import { parseNumberLine } from './numberLines';

/**
 * A Bitrix24 contact or company, as crm.contact.get / crm.company.get return it
 * (bitrix24-api.md §4.2), turned into what a new LexOffice contact holds (lexoffice-api.md §3.3);
 * the LexOffice node builds the request body from it (nodes/Lexoffice/helpers/fromBitrix24.ts).
 * The inverse of lexofficeToBitrix24.ts: a Bitrix24 contact becomes a LexOffice person, a company
 * a LexOffice company; e-mails and phones keep their kind. Pure.
 *
 * LexOffice takes one entry per e-mail and phone kind on a write (§3.4), so WORK fills "business"
 * and then "office", and whatever finds no free kind is left out and reported, never sent.
 */

export type Bitrix24RecordType = 'contact' | 'company';

/** The LexOffice contact a Bitrix24 record becomes (the fields of nodes/Lexoffice/helpers/contacts.ts ContactChanges). */
export interface LexofficeContactDraft {
	roles: Array<'customer'>;
	companyName?: string;
	firstName?: string;
	lastName?: string;
	emails: Partial<Record<EmailKind, string>>;
	phones: Partial<Record<PhoneKind, string>>;
	note?: string;
	billingAddress?: LexofficeAddress;
}

export interface MappedBitrix24Record {
	kind: 'person' | 'company';
	draft: LexofficeContactDraft;
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

/** Bitrix24 comments may carry BB codes (§4.2); LexOffice notes are plain text. */
const BB_CODE =
	/\[\/?(b|i|u|s|p|url|color|size|font|list|\*|quote|code|img|table|tr|td|left|right|center|justify)(=[^\]]*)?\]/gi;

const text = (value: unknown): string =>
	typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';

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

/** COMMENTS as a plain note: BB codes, the sync's number lines and block marks removed, cut to LexOffice's limit. */
function noteOf(comments: unknown, leftOut: string[]): string | undefined {
	const lines = text(comments)
		.replace(BB_CODE, '')
		.split(/\r?\n/)
		.filter((line) => !parseNumberLine(line) && !isCommentsBlockMark(line));
	const note = lines.join('\n').trim();
	if (note === '') return undefined;
	if (note.length <= NOTE_MAX) return note;
	leftOut.push(`COMMENTS: cut to the ${NOTE_MAX} characters LexOffice allows in a note (was ${note.length})`);
	return `${note.slice(0, NOTE_MAX - 1)}…`;
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

function personNames(record: IDataObject): Pick<LexofficeContactDraft, 'firstName' | 'lastName'> {
	const given = [text(record.NAME), text(record.SECOND_NAME)].filter(Boolean).join(' ');
	const last = text(record.LAST_NAME);
	if (last) return { lastName: last, ...(given ? { firstName: given } : {}) };
	// LexOffice needs a last name (§3.3); a contact known only by one name keeps it there.
	if (given) return { lastName: given };
	throw new MappingError(
		'LAST_NAME',
		`The Bitrix24 contact ${text(record.ID)} has no name (NAME and LAST_NAME are empty)`,
		'LexOffice needs at least a last name for a person. Enter the name in Bitrix24 and click again.',
	);
}

/**
 * The LexOffice contact for a Bitrix24 record, with the customer role. Throws a MappingError (naming
 * the Bitrix24 field) when LexOffice would refuse the contact, e.g. a company without TITLE.
 */
export function lexofficeContactOf(record: IDataObject, type: Bitrix24RecordType): MappedBitrix24Record {
	const leftOut: string[] = [];
	const draft: LexofficeContactDraft = {
		roles: ['customer'],
		emails: assignKinds(multifieldEntries(record.EMAIL), EMAIL_KINDS_BY_TYPE, 'EMAIL', leftOut),
		phones: assignKinds(multifieldEntries(record.PHONE), PHONE_KINDS_BY_TYPE, 'PHONE', leftOut),
		note: noteOf(record.COMMENTS, leftOut),
		billingAddress: lexofficeAddressOf(record, leftOut),
	};
	if (type === 'company') {
		const name = text(record.TITLE);
		if (!name) {
			throw new MappingError(
				'TITLE',
				`The Bitrix24 company ${text(record.ID)} has no name (TITLE is empty)`,
				'LexOffice needs a company name. Enter it in Bitrix24 and click again.',
			);
		}
		draft.companyName = name;
	} else {
		Object.assign(draft, personNames(record));
	}
	return { kind: type === 'company' ? 'company' : 'person', draft, leftOut };
}
