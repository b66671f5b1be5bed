import {
	lexofficeContactSchema,
	mapLexofficeContact,
	type ContactMappingSettings,
	type LexofficeContact,
} from '../../../../nodes/shared/contract/lexofficeToBitrix24';

const settings: ContactMappingSettings = { customerNumberField: '', vendorNumberField: '', countryNameLanguage: 'de' };
const contact = (extra: Partial<LexofficeContact>): LexofficeContact =>
	({ id: 'c1', version: 3, ...extra }) as LexofficeContact;
const person = { person: { firstName: ' Anna ', lastName: 'Schmidt' } };

describe('LexOffice contact → Bitrix24 records', () => {
	it.each([
		[
			'business and office e-mails are WORK, private HOME, other OTHER',
			{ emailAddresses: { business: ['a@x.de'], office: ['b@x.de'], private: ['c@x.de'], other: ['d@x.de'] } },
			'EMAIL',
			[
				{ VALUE: 'a@x.de', VALUE_TYPE: 'WORK' },
				{ VALUE: 'b@x.de', VALUE_TYPE: 'WORK' },
				{ VALUE: 'c@x.de', VALUE_TYPE: 'HOME' },
				{ VALUE: 'd@x.de', VALUE_TYPE: 'OTHER' },
			],
		],
		[
			'phones keep their kind',
			{ phoneNumbers: { business: ['1'], mobile: ['2'], private: ['3'], fax: ['4'], other: ['5'], office: ['6'] } },
			'PHONE',
			[
				{ VALUE: '1', VALUE_TYPE: 'WORK' },
				{ VALUE: '6', VALUE_TYPE: 'WORK' },
				{ VALUE: '2', VALUE_TYPE: 'MOBILE' },
				{ VALUE: '3', VALUE_TYPE: 'HOME' },
				{ VALUE: '4', VALUE_TYPE: 'FAX' },
				{ VALUE: '5', VALUE_TYPE: 'OTHER' },
			],
		],
		[
			'the same address twice in one kind is written once',
			{ emailAddresses: { business: ['a@x.de', ' A@x.de '] } },
			'EMAIL',
			[{ VALUE: 'a@x.de', VALUE_TYPE: 'WORK' }],
		],
		["no e-mails is an explicit empty list (Bitrix24 holds exactly LexOffice's)", {}, 'EMAIL', []],
		[
			'the note and the numbers go into the comments',
			{ note: 'Zahlt pünktlich', roles: { customer: { number: 10001 }, vendor: { number: 70001 } } },
			'COMMENTS',
			'Zahlt pünktlich\nLexOffice Kundennummer: 10001\nLexOffice Lieferantennummer: 70001',
		],
		['no note, no numbers: empty comments (clears an old note)', { roles: { customer: {} } }, 'COMMENTS', ''],
	])('%s', (_title, extra, field, expected) => {
		expect(
			mapLexofficeContact(contact({ ...person, ...extra } as Partial<LexofficeContact>), settings).record.fields[field],
		).toEqual(expected);
	});

	it('puts numbers into chosen fields instead of the comments', () => {
		const mapped = mapLexofficeContact(contact({ ...person, roles: { customer: { number: 10001 } } }), {
			...settings,
			customerNumberField: 'UF_CRM_KUNDENNUMMER',
			vendorNumberField: 'UF_CRM_LIEFERANT',
		});
		expect(mapped.record.fields).toMatchObject({ UF_CRM_KUNDENNUMMER: '10001', UF_CRM_LIEFERANT: '', COMMENTS: '' });
	});

	it('maps a person to a contact with the person template fields and the first addresses', () => {
		const mapped = mapLexofficeContact(
			contact({
				...person,
				archived: true,
				addresses: {
					billing: [
						{ street: 'Hauptstr. 1', supplement: 'c/o Buchhaltung', zip: '10115', city: 'Berlin', countryCode: 'DE' },
						{ street: 'Zweite 2' },
					],
					shipping: [{ street: 'Lager 5', zip: '1010', city: 'Wien', countryCode: 'AT' }],
				},
			}),
			{ ...settings, responsibleUserId: 7 },
		);
		expect(mapped).toMatchObject({
			kind: 'person',
			name: 'Anna Schmidt',
			version: '3',
			archived: true,
			contactPersons: [],
		});
		expect(mapped.record).toMatchObject({
			entity: 'contact',
			originId: 'c1',
			fields: { NAME: 'Anna', LAST_NAME: 'Schmidt', ASSIGNED_BY_ID: 7 },
		});
		expect(mapped.requisite).toEqual({
			fields: { RQ_FIRST_NAME: 'Anna', RQ_LAST_NAME: 'Schmidt' },
			billing: {
				ADDRESS_1: 'Hauptstr. 1',
				ADDRESS_2: 'c/o Buchhaltung',
				POSTAL_CODE: '10115',
				CITY: 'Berlin',
				COUNTRY: 'Deutschland',
				COUNTRY_CODE: 'DE',
				PROVINCE: '',
			},
			shipping: {
				ADDRESS_1: 'Lager 5',
				ADDRESS_2: '',
				POSTAL_CODE: '1010',
				CITY: 'Wien',
				COUNTRY: 'Österreich',
				COUNTRY_CODE: 'AT',
				PROVINCE: '',
			},
		});
	});

	it('maps a company with tax number, VAT ID and contact persons, each with the e-mail and name it is recognised by', () => {
		const mapped = mapLexofficeContact(
			contact({
				company: {
					name: 'Müller & Söhne GmbH & Co. KG',
					taxNumber: '12/345/67890',
					vatRegistrationId: 'DE123456789',
					contactPersons: [
						{
							firstName: 'Jan',
							lastName: 'Müller',
							emailAddress: 'jan@mueller.de',
							phoneNumber: '030 1234',
							primary: true,
						},
						{ lastName: 'Schulz' },
					],
				},
			}),
			settings,
		);
		expect(mapped).toMatchObject({ kind: 'company', name: 'Müller & Söhne GmbH & Co. KG' });
		expect(mapped.record).toMatchObject({ entity: 'company', fields: { TITLE: 'Müller & Söhne GmbH & Co. KG' } });
		expect(mapped.requisite.fields).toEqual({
			RQ_COMPANY_NAME: 'Müller & Söhne GmbH & Co. KG',
			RQ_INN: '12/345/67890',
			RQ_VAT_ID: 'DE123456789',
		});
		expect(mapped.contactPersons).toEqual([
			{
				entity: 'contact',
				originId: 'c1:person:1',
				identity: { email: 'jan@mueller.de', name: 'jan müller' },
				fields: {
					NAME: 'Jan',
					LAST_NAME: 'Müller',
					EMAIL: [{ VALUE: 'jan@mueller.de', VALUE_TYPE: 'WORK' }],
					PHONE: [{ VALUE: '030 1234', VALUE_TYPE: 'WORK' }],
				},
			},
			{
				entity: 'contact',
				originId: 'c1:person:2',
				identity: { email: '', name: 'schulz' },
				fields: { NAME: '', LAST_NAME: 'Schulz', EMAIL: [], PHONE: [] },
			},
		]);
		expect(mapped.requisite.billing).toBeNull();
	});

	it('refuses an address whose country is not a country code, naming the field', () => {
		expect(() =>
			mapLexofficeContact(contact({ ...person, addresses: { billing: [{ countryCode: 'Deutschland' }] } }), settings),
		).toThrow('addresses.billing[0].countryCode "Deutschland" is not a country code');
	});

	it.each([
		['no id', { version: 1, person: {} }, 'id'],
		['a version that is not a number', { id: 'x', version: '1', person: {} }, 'version'],
		['neither person nor company', { id: 'x', version: 1 }, 'either a person or a company'],
		[
			'both person and company',
			{ id: 'x', version: 1, person: {}, company: { name: 'A' } },
			'either a person or a company',
		],
	])('the schema refuses %s', (_title, value, problem) => {
		const result = lexofficeContactSchema.safeParse(value);
		expect(result.success).toBe(false);
		expect(JSON.stringify(result.error?.issues)).toContain(problem);
	});
});
