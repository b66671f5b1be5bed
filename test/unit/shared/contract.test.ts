/**
 * The contract between the two nodes (nodes/shared/contract/): what the Bitrix24 side writes for a
 * LexOffice contact, the LexOffice side reads back as the same contact. A Bitrix24 record is built
 * from the mapping's output the way crm.contact.get / crm.company.get return it (bitrix24-api.md
 * §4.2: multifields with ID and TYPE_ID, the link fields, the address fields of the record).
 */
import type { IDataObject, INode } from 'n8n-workflow';

import { InputCheck } from '../../../nodes/Lexoffice/helpers/input';
import { contactFromBitrix24 } from '../../../nodes/Lexoffice/helpers/fromBitrix24';
import {
	lexofficeAddressOf,
	RECORD_ADDRESS_FIELDS,
	toAddressValues,
	type AddressValues,
} from '../../../nodes/shared/contract/addresses';
import {
	appendCommentsBlock,
	commentsToWrite,
	COMMENTS_BLOCK_END,
	COMMENTS_BLOCK_START,
	DEFAULT_KEEPS,
	type CommentsPolicy,
} from '../../../nodes/shared/contract/bitrix24Keeps';
import { lexofficeContactOf } from '../../../nodes/shared/contract/bitrix24ToLexoffice';
import {
	lexofficeVersionOf,
	linksTo,
	originVersion,
	parseOriginId,
	personOriginId,
	SYSTEM_CODE,
} from '../../../nodes/shared/contract/links';
import {
	mapLexofficeContact,
	type ContactMappingSettings,
	type LexofficeContact,
	type MappedRecord,
} from '../../../nodes/shared/contract/lexofficeToBitrix24';
import { numberLine, numbersInComments, parseNumberLine } from '../../../nodes/shared/contract/numberLines';

const settings: ContactMappingSettings = { customerNumberField: '', vendorNumberField: '', countryNameLanguage: 'de' };
const node: INode = { id: 'n', name: 'LexOffice', type: 'lexoffice', typeVersion: 1, position: [0, 0], parameters: {} };

/** Address values as the record's address fields (RECORD_ADDRESS_FIELDS). */
function recordAddress(values: AddressValues | null): IDataObject {
	const fields: IDataObject = {};
	for (const [name, value] of Object.entries(values ?? {}))
		fields[RECORD_ADDRESS_FIELDS[name as keyof AddressValues]] = value;
	return fields;
}

/** The Bitrix24 record as Bitrix24 answers after the sync wrote `record` (with its billing address). */
function storedRecord(record: MappedRecord, billing: AddressValues | null, id = '501'): IDataObject {
	const multifield = (entries: unknown, type: string) =>
		((entries as Array<{ VALUE: string; VALUE_TYPE: string }>) ?? []).map((entry, index) => ({
			ID: String(index + 1),
			TYPE_ID: type,
			...entry,
		}));
	return {
		ID: id,
		...record.fields,
		EMAIL: multifield(record.fields.EMAIL, 'EMAIL'),
		PHONE: multifield(record.fields.PHONE, 'PHONE'),
		ORIGINATOR_ID: SYSTEM_CODE,
		ORIGIN_ID: record.originId,
		...recordAddress(billing),
	};
}

const person: LexofficeContact = {
	id: 'be9475f4-ef80-442b-8ab9-3ab8b1a2aeb9',
	version: 4,
	roles: { customer: { number: 10042 }, vendor: { number: 70011 } },
	person: { salutation: 'Frau', firstName: 'Inge', lastName: 'Müller-Lüdenscheidt' },
	addresses: {
		billing: [
			{ street: 'Calle Mayor 3', supplement: 'Piso 2', zip: '35001', city: 'Las Palmas', countryCode: 'ES_CN' },
		],
	},
	emailAddresses: { business: ['inge@mueller.de'], private: ['inge.privat@example.org'], other: ['post@mueller.de'] },
	phoneNumbers: { business: ['+49 30 1234'], mobile: ['+49 171 5555'], private: ['+49 30 9999'], fax: ['+49 30 1235'] },
	note: 'Zahlt immer pünktlich.\nBitte nur per E-Mail.',
};

const company: LexofficeContact = {
	id: '3e1bd3d6-8f1b-4e2e-9c1a-0c5a1f0d7b21',
	version: 12,
	roles: { customer: { number: 10077 } },
	company: {
		name: 'Testfirma GmbH & Co. KG',
		taxNumber: '12/345/67890',
		vatRegistrationId: 'DE123456789',
		contactPersons: [
			{
				salutation: 'Herr',
				firstName: 'Max',
				lastName: 'Mustermann',
				primary: true,
				emailAddress: 'max@testfirma.de',
				phoneNumber: '+49 89 100',
			},
			{ firstName: 'Erika', lastName: 'Beispiel', emailAddress: 'erika@testfirma.de' },
		],
	},
	addresses: { billing: [{ street: 'Hauptstraße 5', zip: '80331', city: 'München', countryCode: 'DE' }] },
	emailAddresses: { business: ['info@testfirma.de'], office: ['buero@testfirma.de'] },
	phoneNumbers: { office: ['+49 89 200'] },
	note: '',
};

describe('contract: what the Bitrix24 side writes, the LexOffice side reads', () => {
	it('a person: names, every e-mail and phone in its kind, the note without number lines, the address with its extended country code', () => {
		const mapped = mapLexofficeContact(person, settings);
		const record = storedRecord(mapped.record, mapped.requisite.billing);

		const back = lexofficeContactOf(record, 'contact');

		expect(back.kind).toBe('person');
		expect(back.leftOut).toEqual([]);
		expect(back.draft).toEqual({
			roles: ['customer'],
			firstName: 'Inge',
			lastName: 'Müller-Lüdenscheidt',
			emails: { business: 'inge@mueller.de', private: 'inge.privat@example.org', other: 'post@mueller.de' },
			phones: { business: '+49 30 1234', mobile: '+49 171 5555', private: '+49 30 9999', fax: '+49 30 1235' },
			note: 'Zahlt immer pünktlich.\nBitte nur per E-Mail.',
			billingAddress: {
				street: 'Calle Mayor 3',
				supplement: 'Piso 2',
				zip: '35001',
				city: 'Las Palmas',
				countryCode: 'ES_CN',
			},
		});
	});

	it('a person: the LexOffice node builds the create body LexOffice keeps (lexoffice-api.md §3.3)', () => {
		const mapped = mapLexofficeContact(person, settings);
		const { body } = contactFromBitrix24(
			new InputCheck(node, 0),
			storedRecord(mapped.record, mapped.requisite.billing),
			'contact',
			{ salutation: 'Frau' },
		);

		expect(body).toMatchObject({
			person: { salutation: 'Frau', firstName: 'Inge', lastName: 'Müller-Lüdenscheidt' },
			emailAddresses: {
				business: ['inge@mueller.de'],
				private: ['inge.privat@example.org'],
				other: ['post@mueller.de'],
			},
			phoneNumbers: { business: ['+49 30 1234'], mobile: ['+49 171 5555'] },
			addresses: { billing: [{ countryCode: 'ES_CN', city: 'Las Palmas' }] },
			note: person.note,
		});
	});

	it('a company: its name, both WORK e-mails back in business and office, the address', () => {
		const mapped = mapLexofficeContact(company, settings);
		const back = lexofficeContactOf(storedRecord(mapped.record, mapped.requisite.billing), 'company');

		expect(back.kind).toBe('company');
		expect(back.draft).toMatchObject({
			companyName: 'Testfirma GmbH & Co. KG',
			emails: { business: 'info@testfirma.de', office: 'buero@testfirma.de' },
			phones: { business: '+49 89 200' },
			billingAddress: { street: 'Hauptstraße 5', zip: '80331', city: 'München', countryCode: 'DE' },
		});
		expect(back.draft.note).toBeUndefined();
	});

	it('contact persons: each link names the company and the position, counts as a link to the company, and reads back as the person', () => {
		const mapped = mapLexofficeContact(company, settings);

		expect(mapped.contactPersons.map((record) => parseOriginId(record.originId))).toEqual([
			{ contactId: company.id, person: 1 },
			{ contactId: company.id, person: 2 },
		]);
		for (const [index, record] of mapped.contactPersons.entries()) {
			const stored = storedRecord(record, null, String(600 + index));
			expect(linksTo(stored, company.id)).toBe(true);
			expect(linksTo(stored, person.id)).toBe(false);
			const lexofficePerson = company.company?.contactPersons?.[index];
			expect(lexofficeContactOf(stored, 'contact').draft).toMatchObject({
				firstName: lexofficePerson?.firstName,
				lastName: lexofficePerson?.lastName,
				emails: { business: lexofficePerson?.emailAddress },
			});
		}
	});

	it('links: the contact id is read from its own link, and another system code is no link', () => {
		const mapped = mapLexofficeContact(person, settings);
		const stored = storedRecord(mapped.record, null);

		expect(parseOriginId(mapped.record.originId)).toEqual({ contactId: person.id });
		expect(linksTo(stored, person.id)).toBe(true);
		expect(linksTo({ ...stored, ORIGINATOR_ID: 'other-system' }, person.id)).toBe(false);
		expect(parseOriginId(personOriginId('abc', 12))).toEqual({ contactId: 'abc', person: 12 });
		expect(parseOriginId('a b:c')).toBeUndefined();
	});

	it('ORIGIN_VERSION: the LexOffice version is read back from what is stored', () => {
		expect(lexofficeVersionOf(originVersion(person.version, '3f9a0c'))).toBe(4);
		expect(lexofficeVersionOf('')).toBeNaN();
	});

	it('customer and vendor numbers as lines in the comments are read back, and kept out of the LexOffice note', () => {
		const mapped = mapLexofficeContact(person, settings);
		const comments = String(mapped.record.fields.COMMENTS);

		expect(numbersInComments(comments)).toEqual({ customer: 10042, vendor: 70011 });
		expect(parseNumberLine(numberLine('vendor', 5))).toEqual({ role: 'vendor', number: 5 });
		expect(parseNumberLine('LexOffice Kundennummer: 12a')).toBeUndefined();
	});

	it('customer and vendor numbers in fields of their own are read back, and not in the comments', () => {
		const mapped = mapLexofficeContact(person, {
			...settings,
			customerNumberField: 'UF_CRM_CUSTOMER',
			vendorNumberField: 'UF_CRM_VENDOR',
		});

		expect(Number(mapped.record.fields.UF_CRM_CUSTOMER)).toBe(10042);
		expect(Number(mapped.record.fields.UF_CRM_VENDOR)).toBe(70011);
		expect(numbersInComments(String(mapped.record.fields.COMMENTS))).toEqual({});
	});

	it.each([
		['DE', 'de'],
		['AT', 'en'],
		['ES_CN', 'de'],
		['ES_CN', 'en'],
		['GR_69', 'de'],
		['GR_69', 'en'],
	] as const)(
		'an address with country code %s (country names in %s) comes back with the same code',
		(countryCode, language) => {
			const lexoffice = { street: 'Weg 1', supplement: 'Hinterhaus', zip: '12345', city: 'Ort', countryCode };
			const values = toAddressValues(lexoffice, language, 'billing');
			const leftOut: string[] = [];

			expect(lexofficeAddressOf(recordAddress(values), leftOut)).toEqual(lexoffice);
			expect(leftOut).toEqual([]);
		},
	);
});

describe('contract: what an existing Bitrix24 record keeps of its comments (Sync Contacts → Options → Comments)', () => {
	const lexoffice = 'Zahlt immer pünktlich.\nLexOffice Kundennummer: 10001';
	const block = `${COMMENTS_BLOCK_START}\n${lexoffice}\n${COMMENTS_BLOCK_END}`;

	it.each([
		// policy, Bitrix24 holds (undefined: the record is created), expected COMMENTS to send (undefined: left alone)
		['keep', undefined, lexoffice],
		['keep', 'Kunde seit 2009, bitte duzen', undefined],
		['keep', '', undefined],
		['overwrite', undefined, lexoffice],
		['overwrite', 'Kunde seit 2009, bitte duzen', lexoffice],
		['append', undefined, block],
		['append', 'Kunde seit 2009, bitte duzen', `Kunde seit 2009, bitte duzen\n\n${block}`],
		['append', '', block],
		// Appended before: nothing to send, whatever the blank lines around it.
		['append', `Kunde seit 2009\n\n${block}`, undefined],
		['append', `Kunde seit 2009\n\n${block}\n`, undefined],
		// A user wrote below the block: the block moves to the end, once.
		[
			'append',
			`Kunde seit 2009\n\n${block}\n\nRuft nur vormittags an`,
			`Kunde seit 2009\n\nRuft nur vormittags an\n\n${block}`,
		],
	] as Array<[CommentsPolicy, string | undefined, string | undefined]>)(
		'%s, Bitrix24 holding %j: sends %j',
		(policy, current, expected) => {
			expect(commentsToWrite(policy, lexoffice, current)).toBe(expected);
		},
	);

	it('append replaces the block of an earlier run with the new note, and takes it out when LexOffice has none', () => {
		const first = appendCommentsBlock('Eigene Notiz', 'Alte Notiz');
		const second = appendCommentsBlock(first, 'Neue Notiz');
		expect(second).toBe(`Eigene Notiz\n\n${COMMENTS_BLOCK_START}\nNeue Notiz\n${COMMENTS_BLOCK_END}`);
		expect(appendCommentsBlock(second, 'Neue Notiz')).toBe(second);
		expect(appendCommentsBlock(second, '')).toBe('Eigene Notiz');
		// A lone mark (the user deleted the other one) is the user's text now: kept, never cut.
		expect(appendCommentsBlock(`Eigene Notiz\n${COMMENTS_BLOCK_START}\nRest`, 'Neu')).toBe(
			`Eigene Notiz\n${COMMENTS_BLOCK_START}\nRest\n\n${COMMENTS_BLOCK_START}\nNeu\n${COMMENTS_BLOCK_END}`,
		);
	});

	it('the way back to LexOffice reads the note without the marks', () => {
		const mapped = mapLexofficeContact(person, settings);
		const record = storedRecord(mapped.record, mapped.requisite.billing);
		record.COMMENTS = appendCommentsBlock('Kunde seit 2009', String(mapped.record.fields.COMMENTS));
		expect(lexofficeContactOf(record, 'contact').draft.note).toBe(
			'Kunde seit 2009\n\nZahlt immer pünktlich.\nBitte nur per E-Mail.',
		);
	});

	it('the defaults keep everything an existing record holds', () => {
		expect(DEFAULT_KEEPS).toEqual({ responsibleUser: 'onCreate', emailsAndPhones: 'addMissing', comments: 'keep' });
	});
});
