import { randomUUID } from 'node:crypto';

import { NodeApiError, NodeOperationError, type IDataObject, type INode } from 'n8n-workflow';

import { mapLexofficeContact } from '../../../nodes/shared/contract/lexofficeToBitrix24';
import { contactFromBitrix24, detectRecordType, recordEmails } from '../../../nodes/Lexoffice/helpers/fromBitrix24';
import { InputCheck } from '../../../nodes/Lexoffice/helpers/input';
import { startLexofficeSandbox, type Contact, type LexofficeSandbox } from '../../sandbox/lexoffice';
import { operationError, runOperation } from './operations/helpers';

const node: INode = { id: 'n', name: 'LexOffice', type: 'lexoffice', typeVersion: 1, position: [0, 0], parameters: {} };
const check = () => new InputCheck(node, 0);

const email = (VALUE: string, VALUE_TYPE: string, ID = '1') => ({ ID, VALUE, VALUE_TYPE, TYPE_ID: 'EMAIL' });
const phone = (VALUE: string, VALUE_TYPE: string, ID = '1') => ({ ID, VALUE, VALUE_TYPE, TYPE_ID: 'PHONE' });

/** A Bitrix24 contact as crm.contact.get returns it (bitrix24-api.md §4.2). */
function bitrix24Contact(fields: IDataObject = {}): IDataObject {
	return {
		ID: '1042',
		HONORIFIC: 'HNR_DE_2',
		NAME: 'Inge',
		SECOND_NAME: '',
		LAST_NAME: 'Musterfrau',
		POST: 'Einkauf',
		COMMENTS: '',
		ORIGINATOR_ID: null,
		ORIGIN_ID: null,
		EMAIL: [email('inge@musterfrau.de', 'WORK')],
		PHONE: [phone('+49 30 1234567', 'MOBILE')],
		...fields,
	};
}

function bitrix24Company(fields: IDataObject = {}): IDataObject {
	return { ID: '77', TITLE: 'Testfirma GmbH', COMPANY_TYPE: 'CUSTOMER', COMMENTS: '', EMAIL: [], PHONE: [], ...fields };
}

describe('fromBitrix24: a Bitrix24 record as a new LexOffice contact', () => {
	test.each([
		{
			case: 'contact: names, first WORK e-mail is business, second office; phones by type',
			record: bitrix24Contact({
				SECOND_NAME: 'Maria',
				EMAIL: [email('a@x.de', 'WORK'), email('b@x.de', 'WORK'), email('c@x.de', 'HOME'), email('d@x.de', 'OTHER')],
				PHONE: [
					phone('030 1', 'WORK'),
					phone('030 2', 'WORK'),
					phone('0170 3', 'MOBILE'),
					phone('030 4', 'HOME'),
					phone('030 5', 'FAX'),
					phone('030 6', 'PAGER'),
				],
			}),
			type: 'contact' as const,
			body: {
				version: 0,
				roles: { customer: {} },
				person: { firstName: 'Inge Maria', lastName: 'Musterfrau' },
				emailAddresses: { business: ['a@x.de'], office: ['b@x.de'], private: ['c@x.de'], other: ['d@x.de'] },
				phoneNumbers: {
					business: ['030 1'],
					office: ['030 2'],
					mobile: ['0170 3'],
					private: ['030 4'],
					fax: ['030 5'],
					other: ['030 6'],
				},
			},
			leftOut: [],
		},
		{
			case: 'contact known by one name only: LexOffice needs it as the last name',
			record: bitrix24Contact({ NAME: 'Jürgen', LAST_NAME: '', EMAIL: [], PHONE: [] }),
			type: 'contact' as const,
			body: { version: 0, roles: { customer: {} }, person: { lastName: 'Jürgen' } },
			leftOut: [],
		},
		{
			case: 'company: TITLE is the name; a third WORK e-mail, a duplicate and a broken address are left out',
			record: bitrix24Company({
				EMAIL: [
					email('info@testfirma.de', 'WORK'),
					email('INFO@testfirma.de', 'WORK'),
					email('buchhaltung@testfirma.de', 'WORK'),
					email('vertrieb@testfirma.de', 'WORK'),
					email('kein-at-zeichen', 'OTHER'),
					email('privat@testfirma.de', 'MAILING'),
				],
				PHONE: [phone('', 'WORK'), phone('0800 1', 'WORK')],
				COMMENTS: '[B]Wichtig:[/B] nur per Lastschrift\nLexOffice Kundennummer: 10042',
			}),
			type: 'company' as const,
			body: {
				version: 0,
				roles: { customer: {} },
				company: { name: 'Testfirma GmbH' },
				emailAddresses: {
					business: ['info@testfirma.de'],
					office: ['buchhaltung@testfirma.de'],
					other: ['privat@testfirma.de'],
				},
				phoneNumbers: { business: ['0800 1'] },
				note: 'Wichtig: nur per Lastschrift',
			},
			leftOut: [
				'EMAIL "vertrieb@testfirma.de" (WORK): LexOffice keeps one entry per kind and that kind is taken',
				'EMAIL "kein-at-zeichen" (OTHER): not an e-mail address LexOffice accepts',
			],
		},
	])('$case', ({ record, type, body, leftOut }) => {
		const mapped = contactFromBitrix24(check(), record, type);
		expect(mapped.body).toEqual(body);
		expect(mapped.leftOut).toEqual(leftOut);
		expect(mapped.kind).toBe(type === 'company' ? 'company' : 'person');
	});

	test("a salutation is written for persons and checked against LexOffice's 25 characters", () => {
		expect(contactFromBitrix24(check(), bitrix24Contact(), 'contact', { salutation: 'Frau' }).body.person).toEqual({
			salutation: 'Frau',
			firstName: 'Inge',
			lastName: 'Musterfrau',
		});
		expect(() => contactFromBitrix24(check(), bitrix24Contact(), 'contact', { salutation: 'x'.repeat(26) })).toThrow(
			'"Salutation" is 26 characters long',
		);
	});

	test('a note longer than LexOffice allows is cut to 1000 characters and reported', () => {
		const mapped = contactFromBitrix24(check(), bitrix24Contact({ COMMENTS: 'a'.repeat(1500) }), 'contact');
		expect(String(mapped.body.note)).toHaveLength(1000);
		expect(mapped.leftOut).toEqual(['COMMENTS: cut to the 1000 characters LexOffice allows in a note (was 1500)']);
	});

	test.each([
		{ record: bitrix24Contact({ NAME: ' ', LAST_NAME: '' }), type: 'contact' as const, field: 'NAME and LAST_NAME' },
		{ record: bitrix24Company({ TITLE: '' }), type: 'company' as const, field: 'TITLE' },
	])('a record without a name is refused, naming $field', ({ record, type, field }) => {
		expect(() => contactFromBitrix24(check(), record, type)).toThrow(NodeOperationError);
		expect(() => contactFromBitrix24(check(), record, type)).toThrow(field);
	});

	test('detects the record type from its fields', () => {
		expect(detectRecordType(bitrix24Contact())).toBe('contact');
		expect(detectRecordType(bitrix24Company())).toBe('company');
		expect(detectRecordType({ ID: '1' })).toBeUndefined();
	});

	test('recordEmails: usable addresses in Bitrix24 order, once each', () => {
		const record = bitrix24Contact({
			EMAIL: [email('b@x.de', 'HOME'), email('broken', 'WORK'), email('B@x.de', 'WORK'), email('a@x.de', 'WORK')],
		});
		expect(recordEmails(record)).toEqual(['b@x.de', 'a@x.de']);
	});

	test('is the inverse of the LexOffice → Bitrix24 mapping for e-mails, phones and names', () => {
		const lexoffice = {
			id: randomUUID(),
			version: 3,
			roles: { customer: { number: 10001 } },
			person: { firstName: 'Inge', lastName: 'Musterfrau' },
			emailAddresses: { business: ['a@x.de'], office: ['b@x.de'], private: ['c@x.de'], other: ['d@x.de'] },
			phoneNumbers: { business: ['1'], office: ['2'], mobile: ['3'], private: ['4'], fax: ['5'], other: ['6'] },
			note: 'Stammkunde',
		};
		const { record } = mapLexofficeContact(lexoffice, {
			customerNumberField: '',
			vendorNumberField: '',
			countryNameLanguage: 'de',
		});
		const back = contactFromBitrix24(check(), record.fields as IDataObject, 'contact').body;
		expect(back).toEqual({
			version: 0,
			roles: { customer: {} },
			person: lexoffice.person,
			emailAddresses: lexoffice.emailAddresses,
			phoneNumbers: lexoffice.phoneNumbers,
			// The customer-number line the sync adds to the comments is not part of the note.
			note: 'Stammkunde',
		});
	});
});

describe('LexOffice node: Contact → Find or Create for Bitrix24 Record', () => {
	let sb: LexofficeSandbox;
	beforeAll(async () => {
		sb = await startLexofficeSandbox();
	});
	afterAll(async () => await sb.close());
	beforeEach(() => sb.reset(false));

	const person = (lastName: string, emails: string[] = [], roles: Contact['roles'] = { customer: {} }) =>
		sb.simulate.createContact({ roles, person: { firstName: 'Inge', lastName }, emailAddresses: { business: emails } });
	const company = (name: string, contactPersonEmail?: string) =>
		sb.simulate.createContact({
			roles: { customer: {} },
			company: {
				name,
				...(contactPersonEmail ? { contactPersons: [{ lastName: 'Person', emailAddress: contactPersonEmail }] } : {}),
			},
		});
	const linked = (id: string): IDataObject => ({ ORIGINATOR_ID: 'lexoffice', ORIGIN_ID: id });

	const run = async (record: IDataObject, parameters: Record<string, unknown> = {}) => {
		const [item] = await runOperation(
			sb,
			{ resource: 'contact', operation: 'findOrCreateForBitrix24', ...parameters },
			{ items: [{ json: record }] },
		);
		return item.json;
	};
	const posts = () => sb.requests.filter({ method: 'POST' });

	test('an address on the Canary Islands (ES + PROVINCE) is created in LexOffice with the extended code ES_CN', async () => {
		const record = bitrix24Contact({
			ADDRESS: 'Calle Mayor 3',
			ADDRESS_POSTAL_CODE: '35001',
			ADDRESS_CITY: 'Las Palmas',
			ADDRESS_PROVINCE: 'Kanarische Inseln',
			ADDRESS_COUNTRY: 'Spanien',
			ADDRESS_COUNTRY_CODE: 'ES',
		});
		const output = await run(record);
		expect(output).toMatchObject({ created: true });
		expect(sb.state.contacts.get(String(output.id))?.addresses?.billing).toEqual([
			{ street: 'Calle Mayor 3', zip: '35001', city: 'Las Palmas', countryCode: 'ES_CN' },
		]);
		// An ordinary German address keeps its ISO code; a province LexOffice has no code for changes nothing.
		const berlin = await run(
			bitrix24Contact({
				ID: '1043',
				LAST_NAME: 'Berliner',
				EMAIL: [],
				ADDRESS: 'Unter den Linden 1',
				ADDRESS_CITY: 'Berlin',
				ADDRESS_PROVINCE: 'Berlin',
				ADDRESS_COUNTRY_CODE: 'de',
			}),
		);
		expect(sb.state.contacts.get(String(berlin.id))?.addresses?.billing?.[0].countryCode).toBe('DE');
	});

	test('the linked contact is used as it is: no search, no write, no link to write', async () => {
		const existing = person('Musterfrau', ['inge@musterfrau.de']);
		const output = await run(bitrix24Contact(linked(existing.id)));
		expect(output).toMatchObject({
			id: existing.id,
			name: 'Inge Musterfrau',
			matchedBy: 'linkedId',
			created: false,
			linkMustBeWritten: false,
			bitrix24: { type: 'contact', id: '1042' },
		});
		expect((output.contact as IDataObject).id).toBe(existing.id);
		expect(sb.requests.count()).toBe(1);
	});

	test("a contact person's link (<company>:person:<n>) leads to the company and is left as it is", async () => {
		const firm = company('Testfirma GmbH');
		const output = await run(bitrix24Contact(linked(`${firm.id}:person:2`)));
		expect(output).toMatchObject({ id: firm.id, matchedBy: 'linkedId', linkMustBeWritten: false });
	});

	test('a linked contact LexOffice no longer has falls through to the e-mail, and the new link must be written', async () => {
		const byEmail = person('Musterfrau', ['inge@musterfrau.de']);
		const output = await run(bitrix24Contact(linked(randomUUID())));
		expect(output).toMatchObject({ id: byEmail.id, matchedBy: 'email', created: false, linkMustBeWritten: true });
		expect(posts()).toHaveLength(0);
	});

	test("e-mails are tried in Bitrix24's order; a company whose contact person has the address does not count for a contact", async () => {
		company('Andere GmbH', 'inge@musterfrau.de');
		const second = person('Musterfrau', ['inge.privat@example.de']);
		const output = await run(
			bitrix24Contact({ EMAIL: [email('inge@musterfrau.de', 'WORK'), email('inge.privat@example.de', 'HOME')] }),
		);
		expect(output).toMatchObject({ id: second.id, matchedBy: 'email', linkMustBeWritten: true });
	});

	test('several contacts with the e-mail: a readable failure listing them, or the first with "Use First"', async () => {
		const a = person('Alpha', ['inge@musterfrau.de']);
		person('Beta', ['inge@musterfrau.de']);
		const error = await operationError(
			sb,
			{ resource: 'contact', operation: 'findOrCreateForBitrix24' },
			{ items: [{ json: bitrix24Contact() }] },
		);
		expect(error.message).toMatch(/^2 contacts have the e-mail inge@musterfrau\.de: Inge Alpha \(.+\), Inge Beta/);
		expect(posts()).toHaveLength(0);
		const output = await run(bitrix24Contact(), { options: { severalMatches: 'first' } });
		expect(output.id).toBe(a.id);
	});

	test('the customer number is the third rule; one belonging to a company is refused for a contact', async () => {
		const customer = person('Nummer', []);
		const number = customer.roles.customer?.number;
		expect(typeof number).toBe('number');
		const output = await run(bitrix24Contact({ EMAIL: [] }), { customerNumber: String(number) });
		expect(output).toMatchObject({
			id: customer.id,
			matchedBy: 'customerNumber',
			customerNumber: number,
			linkMustBeWritten: true,
		});

		const firm = company('Nummernfirma GmbH');
		const error = await operationError(
			sb,
			{
				resource: 'contact',
				operation: 'findOrCreateForBitrix24',
				customerNumber: String(firm.roles.customer?.number),
			},
			{ items: [{ json: bitrix24Contact({ EMAIL: [] }) }] },
		);
		expect(error.message).toContain('"Customer Number"');
		expect(error.message).toContain('Nummernfirma GmbH');
	});

	test('nothing found: the contact is created as a customer from the record, and found by its link next time', async () => {
		const record = bitrix24Contact({ COMMENTS: 'Kommt aus Bitrix24' });
		const output = await run(record);
		expect(output).toMatchObject({
			matchedBy: 'created',
			created: true,
			linkMustBeWritten: true,
			name: 'Inge Musterfrau',
		});
		const stored = sb.state.contacts.get(String(output.id));
		expect(stored).toMatchObject({
			person: { firstName: 'Inge', lastName: 'Musterfrau' },
			emailAddresses: { business: ['inge@musterfrau.de'] },
			phoneNumbers: { mobile: ['+49 30 1234567'] },
			note: 'Kommt aus Bitrix24',
		});
		expect(output.customerNumber).toBe(stored?.roles.customer?.number);
		expect(posts()).toHaveLength(1);

		const again = await run({ ...record, ...linked(String(output.id)) });
		expect(again).toMatchObject({ id: output.id, matchedBy: 'linkedId', linkMustBeWritten: false });
		expect(posts()).toHaveLength(1);
	});

	test('a Bitrix24 company becomes a LexOffice company; with creation off nothing is written', async () => {
		const none = await run(bitrix24Company(), { options: { createIfNotFound: false } });
		expect(none).toMatchObject({
			id: null,
			matchedBy: 'none',
			created: false,
			linkMustBeWritten: false,
			bitrix24: { type: 'company', id: '77' },
		});
		expect(posts()).toHaveLength(0);
		const created = await run(bitrix24Company());
		expect(sb.state.contacts.get(String(created.id))?.company?.name).toBe('Testfirma GmbH');
	});

	test('bad input is refused before any request, naming the field', async () => {
		const badLink = await operationError(
			sb,
			{ resource: 'contact', operation: 'findOrCreateForBitrix24' },
			{ items: [{ json: bitrix24Contact(linked('10042')) }] },
		);
		expect(badLink).toBeInstanceOf(NodeOperationError);
		expect(badLink.message).toContain('"Linked LexOffice ID"');
		const badNumber = await operationError(
			sb,
			{ resource: 'contact', operation: 'findOrCreateForBitrix24', customerNumber: 'K-17' },
			{ items: [{ json: bitrix24Contact() }] },
		);
		expect(badNumber.message).toContain('"Customer Number" must be a number');
		const notARecord = await operationError(
			sb,
			{ resource: 'contact', operation: 'findOrCreateForBitrix24' },
			{ items: [{ json: { ID: '5' } }] },
		);
		expect(notARecord.message).toContain('not a Bitrix24 contact or company');
		expect(sb.requests.count()).toBe(0);
	});

	test('a create whose answer was lost is looked up again before another create: found, it is used', async () => {
		sb.setFaults({ failNext: [{ method: 'POST', pathIncludes: '/v1/contacts', status: 504, afterProcessing: true }] });
		const output = await run(bitrix24Contact());
		expect(output).toMatchObject({
			matchedBy: 'created',
			created: true,
			settledByReadBack: true,
			name: 'Inge Musterfrau',
		});
		expect(posts()).toHaveLength(1);
		expect([...sb.state.contacts.values()].map((contact) => contact.id)).toEqual([output.id]);
	});

	test('a create whose answer was lost and that LexOffice does not have is created once more, once', async () => {
		sb.setFaults({ failNext: [{ method: 'POST', pathIncludes: '/v1/contacts', dropConnection: true }] });
		const output = await run(bitrix24Company());
		expect(output).toMatchObject({ matchedBy: 'created', created: true, name: 'Testfirma GmbH' });
		expect(posts()).toHaveLength(2);
		expect(sb.state.contacts.size).toBe(1);

		sb.reset(false);
		sb.setFaults({ failNext: [{ method: 'POST', pathIncludes: '/v1/contacts', dropConnection: true, times: 2 }] });
		const error = await operationError(
			sb,
			{ resource: 'contact', operation: 'findOrCreateForBitrix24' },
			{ items: [{ json: bitrix24Company() }] },
		);
		expect(error.message).toMatch(/may have been processed/);
		expect(posts()).toHaveLength(2);
	});

	test('LexOffice refusing the new contact fails with its message; with Continue On Fail the item carries it', async () => {
		sb.setFaults({
			failNext: [
				{
					method: 'POST',
					pathIncludes: '/v1/contacts',
					status: 406,
					body: { message: 'Die Kontaktdaten sind ungültig' },
					times: 2,
				},
			],
		});
		const error = await operationError(
			sb,
			{ resource: 'contact', operation: 'findOrCreateForBitrix24' },
			{ items: [{ json: bitrix24Contact() }] },
		);
		expect(error).toBeInstanceOf(NodeApiError);
		const [item] = await runOperation(
			sb,
			{ resource: 'contact', operation: 'findOrCreateForBitrix24' },
			{ items: [{ json: bitrix24Contact() }], continueOnFail: true },
		);
		expect(String(item.json.error)).toBe(error.message);
		expect(sb.state.contacts.size).toBe(0);
	});
});
