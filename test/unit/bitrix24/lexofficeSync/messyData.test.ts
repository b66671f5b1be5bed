/**
 * The messy-data catalogue (docs/data-quality.md): each case runs through Sync Contacts or Sync
 * Invoice against the Bitrix24 sandbox, which refuses what Bitrix24 refuses (invalid e-mails,
 * over-long texts, required fields), and asserts the exact outcome. Test names start with the case
 * number the table uses.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../../sandbox/bitrix24';
import { summarizeOutcomes } from '../../../../nodes/Bitrix24/actions/lexofficeSync/syncStatistics';
import { restCalls } from '../helpers';
import { addRecord, runBitrix24, writeRequests } from '../crm/helpers';

let counter = 0;
/** A LexOffice-shaped id (UUID), deterministic per test run. */
const newId = () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;

const personContact = (extra: IDataObject = {}): IDataObject => ({
	id: newId(),
	version: 1,
	roles: { customer: { number: 10000 + counter } },
	person: { salutation: 'Frau', firstName: 'Inge', lastName: 'Musterfrau' },
	emailAddresses: { business: [`inge${counter}@musterfrau.de`] },
	addresses: { billing: [{ street: 'Hauptstr. 1', zip: '10115', city: 'Berlin', countryCode: 'DE' }] },
	archived: false,
	...extra,
});

const companyContact = (extra: IDataObject = {}, company: IDataObject = {}): IDataObject => ({
	id: newId(),
	version: 1,
	roles: { customer: { number: 10000 + counter } },
	company: { name: `Testfirma ${counter} GmbH`, taxNumber: '12/345/67890', contactPersons: [], ...company },
	addresses: { billing: [{ street: 'Industriestr. 5', zip: '50667', city: 'Köln', countryCode: 'DE' }] },
	archived: false,
	...extra,
});

const person = (firstName: string, lastName: string, emailAddress?: string): IDataObject => ({
	firstName,
	lastName,
	...(emailAddress ? { emailAddress } : {}),
});

describe('Messy data: Sync Contacts and Sync Invoice hold up', () => {
	let sb: Bitrix24Sandbox;

	beforeAll(async () => (sb = await startBitrix24Sandbox({ limits: 'off' })));
	afterAll(async () => await sb.close());
	beforeEach(() => {
		sb.reset();
		sb.setLimits('off');
	});

	const sync = async (contacts: IDataObject[], extra: INodeParameters = {}) => {
		sb.requests.clear();
		const { json } = await runBitrix24(sb, {
			parameters: {
				resource: 'lexofficeSync',
				operation: 'syncContacts',
				contact: '={{ $json }}',
				responsibleUserId: '3',
				...extra,
			},
			items: contacts.map((contact) => ({ json: structuredClone(contact) })),
		});
		return json;
	};
	const syncInvoices = async (invoices: IDataObject[]) => {
		sb.requests.clear();
		const { json } = await runBitrix24(sb, {
			parameters: { resource: 'lexofficeSync', operation: 'syncInvoice', invoice: '={{ $json }}' },
			items: invoices.map((invoice) => ({ json: structuredClone(invoice) })),
		});
		return json;
	};
	const recordOf = (id: unknown) =>
		[...sb.state.companies, ...sb.state.contacts].filter((record) => record.ORIGIN_ID === id);
	const one = (id: unknown) => {
		const records = recordOf(id);
		expect(records).toHaveLength(1);
		return records[0];
	};
	const requisiteOf = (id: unknown) => sb.state.requisites.find((requisite) => requisite.XML_ID === id);
	const addressesOf = (id: unknown) =>
		sb.state.addresses.filter((address) => address.ENTITY_ID === requisiteOf(id)?.ID);
	const personsOf = (companyId: unknown) =>
		sb.state.contacts.filter((contact) => String(contact.ORIGIN_ID).startsWith(`${String(companyId)}:person:`));
	const emails = (record: Record<string, unknown> | undefined) =>
		((record?.EMAIL as Array<{ VALUE: string; VALUE_TYPE: string }> | undefined) ?? []).map(
			(entry) => `${entry.VALUE_TYPE} ${entry.VALUE}`,
		);
	const phones = (record: Record<string, unknown> | undefined) =>
		((record?.PHONE as Array<{ VALUE: string; VALUE_TYPE: string }> | undefined) ?? []).map(
			(entry) => `${entry.VALUE_TYPE} ${entry.VALUE}`,
		);

	describe('country codes', () => {
		it('C01 ES_CN: the address gets Spain and keeps "Kanarische Inseln" in PROVINCE', async () => {
			const contact = personContact({
				addresses: { billing: [{ street: 'Calle Mayor 3', zip: '35001', city: 'Las Palmas', countryCode: 'ES_CN' }] },
			});
			const [out] = await sync([contact]);
			expect(out).toMatchObject({ action: 'created', requisite: 'created' });
			expect(addressesOf(contact.id)).toEqual([
				expect.objectContaining({
					TYPE_ID: 6,
					ADDRESS_1: 'Calle Mayor 3',
					CITY: 'Las Palmas',
					COUNTRY: 'Spanien',
					COUNTRY_CODE: 'ES',
					PROVINCE: 'Kanarische Inseln',
				}),
			]);
		});

		it('C02 GR_69: Greece with "Berg Athos" in PROVINCE (English names with Country Name Language English)', async () => {
			const contact = companyContact({
				addresses: { shipping: [{ city: 'Karyes', zip: '63086', countryCode: 'GR_69' }] },
			});
			await sync([contact], { options: { countryNameLanguage: 'en' } });
			expect(addressesOf(contact.id)).toEqual([
				expect.objectContaining({ TYPE_ID: 11, COUNTRY: 'Greece', COUNTRY_CODE: 'GR', PROVINCE: 'Mount Athos' }),
			]);
		});

		it('C03 an extended code is stable: a rerun writes nothing; a move to mainland Spain clears the region', async () => {
			const contact = personContact({ addresses: { billing: [{ city: 'Las Palmas', countryCode: 'ES_CN' }] } });
			await sync([contact]);
			expect(await sync([contact])).toEqual([expect.objectContaining({ action: 'unchanged' })]);
			expect(writeRequests(sb)).toHaveLength(0);
			await sync([{ ...contact, version: 2, addresses: { billing: [{ city: 'Madrid', countryCode: 'ES' }] } }]);
			expect(addressesOf(contact.id)).toEqual([
				expect.objectContaining({ CITY: 'Madrid', COUNTRY_CODE: 'ES', PROVINCE: '' }),
			]);
		});

		it('C04 a country name where the code belongs fails that contact alone, naming id, field and fix', async () => {
			const bad = personContact({ addresses: { billing: [{ city: 'Berlin', countryCode: 'Deutschland' }] } });
			const good = personContact();
			const out = await sync([bad, good]);
			expect(out.map((row) => row.action)).toEqual(['failed', 'created']);
			expect(out[0]).toMatchObject({
				lexofficeId: bad.id,
				error: `LexOffice contact ${String(bad.id)}: addresses.billing[0].countryCode "Deutschland" is not a country code`,
				errorDescription: expect.stringContaining('Choose the country from the list in LexOffice'),
			});
			expect(recordOf(bad.id)).toHaveLength(0);
		});
	});

	describe('nulls where LexOffice sends them', () => {
		it('C05 a person with null in every list and optional field is created', async () => {
			const contact = {
				id: newId(),
				version: 1,
				roles: { customer: { number: null }, vendor: null },
				person: { salutation: null, firstName: null, lastName: 'Nullmann' },
				addresses: { billing: null, shipping: null },
				emailAddresses: { business: null, office: null, private: null, other: null },
				phoneNumbers: { business: null, office: null, mobile: null, private: null, fax: null, other: null },
				note: null,
				archived: null,
			};
			const [out] = await sync([contact]);
			expect(out).toMatchObject({ action: 'created' });
			expect([one(contact.id).NAME ?? '', one(contact.id).LAST_NAME]).toEqual(['', 'Nullmann']);
			expect(one(contact.id).COMMENTS ?? '').toBe('');
		});

		it('C06 a company with null lists, null tax ids, a null contact-person list and a null address entry', async () => {
			const contact = companyContact(
				{ addresses: { billing: [null], shipping: null }, emailAddresses: null, phoneNumbers: null },
				{ taxNumber: null, vatRegistrationId: null, contactPersons: null },
			);
			const [out] = await sync([contact]);
			expect(out).toMatchObject({ action: 'created', contactPersons: [] });
			expect([requisiteOf(contact.id)?.RQ_INN ?? '', requisiteOf(contact.id)?.RQ_VAT_ID ?? '']).toEqual(['', '']);
			expect(addressesOf(contact.id)).toEqual([]);
		});

		it('C07 null inside lists and in a contact person (e-mail, phone, first name) is skipped, the rest kept', async () => {
			const contact = companyContact(
				{ emailAddresses: { business: [null, 'info@firma.de'], private: [null] } },
				{
					contactPersons: [
						{
							firstName: null,
							lastName: 'Ohnevorname',
							emailAddress: null,
							phoneNumber: null,
							salutation: null,
							primary: null,
						},
					],
				},
			);
			await sync([contact]);
			expect(emails(one(contact.id))).toEqual(['WORK info@firma.de']);
			expect(personsOf(contact.id).map((row) => [row.NAME ?? '', row.LAST_NAME])).toEqual([['', 'Ohnevorname']]);
		});
	});

	describe('names', () => {
		it('C08 a company with a blank name fails alone and is counted; the run goes on', async () => {
			const blank = companyContact({}, { name: '   ' });
			const good = companyContact();
			const out = await sync([blank, good]);
			expect(out.map((row) => row.action)).toEqual(['failed', 'created']);
			expect(out[0]).toMatchObject({
				error: `LexOffice contact ${String(blank.id)}: company.name is empty`,
				errorDescription: expect.stringContaining('Enter the company name in LexOffice'),
			});
			const stats = summarizeOutcomes(out);
			expect([stats.companies.failed, stats.companies.created, stats.contacts.failed]).toEqual([1, 1, 0]);
			expect(stats.failures).toEqual([
				{ lexofficeId: blank.id, name: null, error: `LexOffice contact ${String(blank.id)}: company.name is empty` },
			]);
			expect(stats.message).toContain(
				`Fehler bei ${String(blank.id)}: LexOffice contact ${String(blank.id)}: company.name is empty`,
			);
		});

		it('C09 a person with neither first nor last name fails alone, naming the fields', async () => {
			const nameless = personContact({ person: { firstName: ' ', lastName: '' } });
			const [out] = await sync([nameless]);
			expect(out).toMatchObject({
				action: 'failed',
				error: `LexOffice contact ${String(nameless.id)}: person.firstName and person.lastName are empty`,
			});
			expect(restCalls(sb).filter((call) => call.path.endsWith('.add'))).toHaveLength(0);
		});

		it('C10 a contact person without last name becomes a contact with the first name only', async () => {
			const contact = companyContact({}, { contactPersons: [{ firstName: 'Jana' }] });
			await sync([contact]);
			expect(personsOf(contact.id).map((row) => [row.NAME, row.LAST_NAME ?? ''])).toEqual([['Jana', '']]);
		});

		it('C11 a contact person without any name is named by the e-mail address; one with nothing at all is left out with a warning', async () => {
			const contact = companyContact(
				{},
				{ contactPersons: [{ emailAddress: 'buchhaltung@firma.de' }, { salutation: 'Herr' }] },
			);
			const [out] = await sync([contact]);
			expect(personsOf(contact.id).map((row) => [row.NAME ?? '', row.LAST_NAME, emails(row)])).toEqual([
				['', 'buchhaltung@firma.de', ['WORK buchhaltung@firma.de']],
			]);
			expect(out.warnings).toEqual([
				'company.contactPersons[1] has no name, e-mail address or phone number; it was left out. Complete or remove it in LexOffice.',
			]);
		});
	});

	describe('several entries of one kind', () => {
		it('C12 two billing addresses: the first is the billing address, the second is noted in the comments with a warning', async () => {
			const contact = personContact({
				addresses: {
					billing: [
						{ street: 'Hauptstr. 1', zip: '10115', city: 'Berlin', countryCode: 'DE' },
						{ supplement: 'Filiale', street: 'Ring 2', zip: '80331', city: 'München', countryCode: 'DE' },
					],
				},
			});
			const [out] = await sync([contact]);
			expect(addressesOf(contact.id)).toEqual([expect.objectContaining({ TYPE_ID: 6, ADDRESS_1: 'Hauptstr. 1' })]);
			expect(String(one(contact.id).COMMENTS)).toContain(
				'Weitere Rechnungsadresse (LexOffice): Filiale, Ring 2, 80331 München, DE',
			);
			expect(out.warnings).toEqual([expect.stringContaining('addresses.billing has 2 entries')]);
		});

		it('C13 three business e-mails and two mobile numbers are all kept, each with its kind', async () => {
			const contact = personContact({
				emailAddresses: { business: ['a@firma.de', 'b@firma.de', 'c@firma.de'] },
				phoneNumbers: { mobile: ['0170 1', '0171 2'], business: ['030 3'] },
			});
			await sync([contact]);
			expect(emails(one(contact.id))).toEqual(['WORK a@firma.de', 'WORK b@firma.de', 'WORK c@firma.de']);
			expect(phones(one(contact.id))).toEqual(['WORK 030 3', 'MOBILE 0170 1', 'MOBILE 0171 2']);
		});

		it('C14 the same e-mail twice in one kind is written once', async () => {
			const contact = personContact({ emailAddresses: { business: ['info@firma.de', ' INFO@firma.de '] } });
			await sync([contact]);
			expect(emails(one(contact.id))).toEqual(['WORK info@firma.de']);
		});
	});

	describe('values Bitrix24 refuses', () => {
		it('C15 an e-mail Bitrix24 refuses is left out and noted; the contact and its other e-mails are written', async () => {
			// The sandbox refuses it, as Bitrix24 does: sent as it is, the contact would fail.
			await expect(
				addRecord(sb, 'crm.contact.add', { NAME: 'X', EMAIL: [{ VALUE: 'max.mustermann@', VALUE_TYPE: 'WORK' }] }),
			).rejects.toThrow('incorrect');
			const contact = personContact({ emailAddresses: { business: ['max.mustermann@'], private: ['max@privat.de'] } });
			const [out] = await sync([contact]);
			expect(out).toMatchObject({ action: 'created' });
			expect(emails(one(contact.id))).toEqual(['HOME max@privat.de']);
			expect(String(one(contact.id).COMMENTS)).toContain('Ungültige E-Mail-Adresse aus LexOffice: max.mustermann@');
			expect(out.warnings).toEqual([
				expect.stringContaining('emailAddresses.business "max.mustermann@" is not an e-mail address Bitrix24 accepts'),
			]);
		});

		it('C16 a company name over 255 characters is cut to 255, with a warning', async () => {
			const name = `${'Sehr lange Firmenbezeichnung '.repeat(11)}GmbH`;
			const contact = companyContact({}, { name });
			const [out] = await sync([contact]);
			expect(out).toMatchObject({ action: 'created' });
			expect(one(contact.id).TITLE).toBe(name.slice(0, 255));
			expect(requisiteOf(contact.id)?.RQ_COMPANY_NAME).toBe(name.slice(0, 255));
			expect(out.warnings).toEqual([
				expect.stringContaining(`company.name has ${name.length} characters; Bitrix24 keeps 255 in TITLE`),
			]);
		});

		it('C17 a last name over 50 characters is cut to 50 (counted in characters, emoji included)', async () => {
			const lastName = `${'Müller-'.repeat(8)}😀Ende`;
			const contact = personContact({ person: { firstName: 'Anna', lastName } });
			await sync([contact]);
			expect(one(contact.id).LAST_NAME).toBe([...lastName].slice(0, 50).join(''));
		});

		it("C18 a ZIP code over 16 characters is cut, a tax number over Bitrix24's length is left out, never cut", async () => {
			const contact = companyContact(
				{ addresses: { billing: [{ zip: '12345-6789-0000-XYZ', city: 'Köln', countryCode: 'DE' }] } },
				{ taxNumber: '12/345/67890 (alt: 98/765/43210)' },
			);
			const [out] = await sync([contact]);
			expect(addressesOf(contact.id)[0].POSTAL_CODE).toBe('12345-6789-0000-');
			expect(requisiteOf(contact.id)?.RQ_INN ?? '').toBe('');
			expect(out.warnings).toEqual([
				expect.stringContaining('addresses.billing[0].zip has 19 characters'),
				expect.stringContaining(
					'company.taxNumber "12/345/67890 (alt: 98/765/43210)" is longer than Bitrix24 keeps in RQ_INN (15); it was not written',
				),
			]);
		});
	});

	describe('characters', () => {
		it('C19 emoji, umlauts and ß arrive unchanged', async () => {
			const contact = companyContact({ note: 'Liefert nur dienstags 🚚' }, { name: '🍕 Pizzeria Größenwahn & Söhne' });
			await sync([contact]);
			expect(one(contact.id)).toMatchObject({ TITLE: '🍕 Pizzeria Größenwahn & Söhne' });
			expect(String(one(contact.id).COMMENTS)).toContain('Liefert nur dienstags 🚚');
		});

		it('C20 right-to-left names (Arabic, Hebrew) arrive unchanged', async () => {
			const contact = personContact({ person: { firstName: 'محمد', lastName: 'כהן' } });
			await sync([contact]);
			expect(one(contact.id)).toMatchObject({ NAME: 'محمد', LAST_NAME: 'כהן' });
		});

		it('C21 leading and trailing whitespace is trimmed from names, e-mails, phones and addresses', async () => {
			const contact = personContact({
				person: { firstName: '  Inge ', lastName: '\tMusterfrau  ' },
				emailAddresses: { business: ['  inge@x.de '] },
				phoneNumbers: { business: [' 030 123 '] },
				addresses: { billing: [{ street: ' Hauptstr. 1 ', zip: ' 10115', city: 'Berlin ', countryCode: ' de ' }] },
			});
			await sync([contact]);
			expect(one(contact.id)).toMatchObject({ NAME: 'Inge', LAST_NAME: 'Musterfrau' });
			expect([emails(one(contact.id)), phones(one(contact.id))]).toEqual([['WORK inge@x.de'], ['WORK 030 123']]);
			expect(addressesOf(contact.id)[0]).toMatchObject({
				ADDRESS_1: 'Hauptstr. 1',
				POSTAL_CODE: '10115',
				CITY: 'Berlin',
				COUNTRY_CODE: 'DE',
			});
		});

		it('C22 HTML in the note becomes plain text: tags and scripts out, line breaks and entities kept', async () => {
			const note =
				'<p>Zahlt <b>nur</b> per Überweisung</p><script>alert(1)</script>Skonto&nbsp;2&nbsp;% &amp; 14 Tage<br>Ansprechpartner: Frau Ö';
			const contact = personContact({ note, roles: { customer: {} } });
			await sync([contact]);
			expect(one(contact.id).COMMENTS).toBe('Zahlt nur per Überweisung\nSkonto 2 % & 14 Tage\nAnsprechpartner: Frau Ö');
		});

		it('C23 a plain note with angle brackets that are no HTML stays as it is', async () => {
			const contact = personContact({ note: 'Rabatt > 5 % nur bei Abnahme < 100 Stück', roles: { customer: {} } });
			await sync([contact]);
			expect(one(contact.id).COMMENTS).toBe('Rabatt > 5 % nur bei Abnahme < 100 Stück');
		});
	});

	describe('duplicates and roles', () => {
		it('C24 the same e-mail on two LexOffice contacts in one run: two Bitrix24 records, each linked to its own contact', async () => {
			const first = personContact({ emailAddresses: { business: ['info@familie.de'] } });
			const second = personContact({
				person: { firstName: 'Otto', lastName: 'Musterfrau' },
				emailAddresses: { business: ['info@familie.de'] },
			});
			const out = await sync([first, second]);
			expect(out.map((row) => row.action)).toEqual(['created', 'created']);
			expect([one(first.id).NAME, one(second.id).NAME]).toEqual(['Inge', 'Otto']);
		});

		it("C25 the same e-mail on a second LexOffice contact in a later run does not take over the first one's record", async () => {
			const first = personContact({ emailAddresses: { business: ['info@familie.de'] } });
			await sync([first]);
			const second = personContact({
				person: { firstName: 'Otto', lastName: 'Musterfrau' },
				emailAddresses: { business: ['info@familie.de'] },
			});
			const [out] = await sync([second]);
			expect(out).toMatchObject({ action: 'created' });
			expect(out.matchedBy).toBeUndefined();
			expect(one(first.id).NAME).toBe('Inge');
		});

		it('C26 a contact that is customer and vendor: both numbers in the comments (or in the chosen fields)', async () => {
			const contact = companyContact({ roles: { customer: { number: 10007 }, vendor: { number: 70003 } } });
			await sync([contact]);
			expect(one(contact.id).COMMENTS).toBe('LexOffice Kundennummer: 10007\nLexOffice Lieferantennummer: 70003');
		});

		it('C27 an archived contact is skipped and counted; with Skip Archived Contacts off it is written', async () => {
			const archived = personContact({ archived: true });
			const out = await sync([archived]);
			expect(out[0]).toMatchObject({ action: 'skipped', reason: 'archived in LexOffice' });
			expect(summarizeOutcomes(out).skippedArchived).toBe(1);
			expect(recordOf(archived.id)).toHaveLength(0);
			expect((await sync([archived], { options: { skipArchived: false } }))[0]).toMatchObject({ action: 'created' });
		});
	});

	describe('contact persons', () => {
		const thirty = Array.from({ length: 30 }, (_, index) =>
			person(`Vorname${index + 1}`, `Nachname${index + 1}`, `p${index + 1}@grossfirma.de`),
		);

		it('C28 a company with 30 contact persons: 30 linked contacts, and a rerun writes nothing', async () => {
			const contact = companyContact({}, { name: 'Großfirma AG', contactPersons: thirty });
			const [out] = await sync([contact]);
			expect(out).toMatchObject({ action: 'created' });
			expect(out.contactPersons).toHaveLength(30);
			const company = one(contact.id);
			expect(personsOf(contact.id)).toHaveLength(30);
			expect(personsOf(contact.id).every((row) => row.COMPANY_ID === company.ID)).toBe(true);
			expect((await sync([contact]))[0]).toMatchObject({ action: 'unchanged' });
			expect(writeRequests(sb)).toHaveLength(0);
		});

		it('C29 contact persons reordered: every Bitrix24 contact keeps its person (matched by e-mail), nothing new', async () => {
			const contact = companyContact(
				{},
				{
					contactPersons: [
						person('Anna', 'Alt', 'anna@f.de'),
						person('Bernd', 'Bau', 'bernd@f.de'),
						person('Clara', 'Chef', 'clara@f.de'),
					],
				},
			);
			await sync([contact]);
			const idOf = (email: string) => personsOf(contact.id).find((row) => emails(row).includes(`WORK ${email}`))?.ID;
			const before = ['anna@f.de', 'bernd@f.de', 'clara@f.de'].map(idOf);
			const company = contact.company as IDataObject;
			const reordered = {
				...contact,
				version: 2,
				company: { ...company, contactPersons: [...(company.contactPersons as IDataObject[])].reverse() },
			};
			await sync([reordered]);
			expect(personsOf(contact.id)).toHaveLength(3);
			expect(['anna@f.de', 'bernd@f.de', 'clara@f.de'].map(idOf)).toEqual(before);
			expect(sb.state.contacts.find((row) => row.ID === before[0])).toMatchObject({ NAME: 'Anna', LAST_NAME: 'Alt' });
		});

		it('C30 a contact person added in the middle is created; the others keep their records', async () => {
			const contact = companyContact(
				{},
				{ contactPersons: [person('Anna', 'Alt', 'anna@f.de'), person('Clara', 'Chef', 'clara@f.de')] },
			);
			await sync([contact]);
			const ids = () => Object.fromEntries(personsOf(contact.id).map((row) => [String(row.LAST_NAME), row.ID]));
			const before = ids();
			const company = contact.company as IDataObject;
			const [out] = await sync([
				{
					...contact,
					version: 2,
					company: {
						...company,
						contactPersons: [
							person('Anna', 'Alt', 'anna@f.de'),
							person('Bernd', 'Bau', 'bernd@f.de'),
							person('Clara', 'Chef', 'clara@f.de'),
						],
					},
				},
			]);
			expect((out.contactPersons as IDataObject[]).map((row) => row.action)).toEqual(['updated', 'created', 'updated']);
			expect(ids()).toEqual({ ...before, Bau: expect.any(Number) });
		});

		it('C31 a contact person removed in LexOffice: its Bitrix24 contact stays, is reported, and is never taken by a new person', async () => {
			const contact = companyContact(
				{},
				{ contactPersons: [person('Anna', 'Alt', 'anna@f.de'), person('Bernd', 'Bau', 'bernd@f.de')] },
			);
			await sync([contact]);
			const bernd = personsOf(contact.id).find((row) => row.LAST_NAME === 'Bau');
			const company = contact.company as IDataObject;
			const [out] = await sync([
				{ ...contact, version: 2, company: { ...company, contactPersons: [person('Anna', 'Alt', 'anna@f.de')] } },
			]);
			expect(out.contactPersonsRemovedInLexoffice).toEqual([bernd?.ID]);
			expect(sb.state.contacts.find((row) => row.ID === bernd?.ID)).toMatchObject({ LAST_NAME: 'Bau' });
			await sync([
				{
					...contact,
					version: 3,
					company: {
						...company,
						contactPersons: [person('Anna', 'Alt', 'anna@f.de'), person('Dora', 'Dach', 'dora@f.de')],
					},
				},
			]);
			expect(sb.state.contacts.find((row) => row.ID === bernd?.ID)).toMatchObject({ LAST_NAME: 'Bau' });
			expect(
				personsOf(contact.id)
					.map((row) => row.LAST_NAME)
					.sort(),
			).toEqual(['Alt', 'Bau', 'Dach']);
		});

		it.each([
			// E-Mails and Phones "Add Missing" (the default) never removes an address; "Replace" makes Bitrix24 equal LexOffice.
			['addMissing', ['WORK anna@alt.de', 'WORK anna@neu.de']],
			['replace', ['WORK anna@neu.de']],
		])(
			'C32 a contact person whose e-mail changed is recognised by name and gets the new address (E-Mails and Phones: %s)',
			async (emailsAndPhones, expected) => {
				const contact = companyContact({}, { contactPersons: [person('Anna', 'Alt', 'anna@alt.de')] });
				const options = { options: { emailsAndPhones } };
				await sync([contact], options);
				const [before] = personsOf(contact.id);
				const company = contact.company as IDataObject;
				await sync(
					[{ ...contact, version: 2, company: { ...company, contactPersons: [person('Anna', 'Alt', 'anna@neu.de')] } }],
					options,
				);
				expect(personsOf(contact.id)).toEqual([expect.objectContaining({ ID: before.ID })]);
				expect(emails(personsOf(contact.id)[0]).sort()).toEqual(expected);
			},
		);
	});

	describe('what users did in Bitrix24', () => {
		it('C33 a record deleted in Bitrix24 between runs is created again on the next run', async () => {
			const contact = companyContact();
			await sync([contact]);
			const deleted = one(contact.id);
			// As a user deletes it: through the API, which takes its requisite and addresses along.
			const answer = await fetch(`${sb.webhookUrl}crm.company.delete`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ id: deleted.ID }),
			});
			expect(await answer.json()).toMatchObject({ result: true });
			expect(recordOf(contact.id)).toHaveLength(0);
			const [out] = await sync([contact]);
			expect(out).toMatchObject({ action: 'created', requisite: 'created' });
			expect(one(contact.id).ID).not.toBe(deleted.ID);
		});

		it('C34 a record whose ORIGIN_ID a user edited is left alone; the LexOffice contact gets a new record', async () => {
			const contact = personContact();
			await sync([contact]);
			const edited = one(contact.id);
			edited.ORIGIN_ID = 'von Hand geändert';
			edited.NAME = 'Handarbeit';
			const [out] = await sync([contact]);
			expect(out).toMatchObject({ action: 'created' });
			expect(sb.state.contacts.find((row) => row.ID === edited.ID)).toMatchObject({
				ORIGIN_ID: 'von Hand geändert',
				NAME: 'Handarbeit',
			});
			expect(one(contact.id).ID).not.toBe(edited.ID);
		});

		it('C35 a portal with a required custom field: each contact fails with the field and the fix; filled through Extra Contact Fields they are written', async () => {
			sb.state.userFields.push({
				ID: 950,
				ENTITY_ID: 'CRM_CONTACT',
				FIELD_NAME: 'UF_CRM_KUNDENGRUPPE',
				USER_TYPE_ID: 'string',
				MULTIPLE: 'N',
				MANDATORY: 'Y',
				LABEL: 'Kundengruppe',
				XML_ID: null,
			});
			const contacts = [personContact(), personContact()];
			const companyOnly = companyContact();
			const out = await sync([...contacts, companyOnly]);
			expect(out.map((row) => row.action)).toEqual(['failed', 'failed', 'created']);
			expect(out[0]).toMatchObject({
				error: expect.stringMatching(
					new RegExp(
						`^LexOffice contact ${String(contacts[0].id)}: crm\\.contact\\.add: The field "UF_CRM_KUNDENGRUPPE" is required`,
					),
				),
				errorDescription: expect.stringContaining('Extra Company Fields / Extra Contact Fields'),
			});
			expect(summarizeOutcomes(out).contacts.failed).toBe(2);
			const filled = await sync(contacts, {
				contactFields: { mappingMode: 'defineBelow', value: { UF_CRM_KUNDENGRUPPE: 'LexOffice' } },
			});
			expect(filled.map((row) => row.action)).toEqual(['created', 'created']);
		});

		it('C36 a deactivated responsible user stops the node before anything is written, naming the user and the fix', async () => {
			const inactive = sb.state.users.find((user) => !user.ACTIVE);
			expect(inactive).toBeDefined();
			await expect(sync([personContact()], { responsibleUserId: String(inactive?.ID) })).rejects.toThrow(
				`Responsible User ${String(inactive?.ID)} is deactivated in Bitrix24`,
			);
			expect(writeRequests(sb)).toHaveLength(0);
			await expect(sync([personContact()], { responsibleUserId: '99999' })).rejects.toThrow(
				'Responsible User 99999 does not exist in Bitrix24',
			);
		});
	});

	describe('events', () => {
		it('C37 events out of order (changed before created): the older version never overwrites the newer one', async () => {
			const v1 = personContact({ person: { firstName: 'Inge', lastName: 'Alt' } });
			const v2 = { ...v1, version: 2, person: { firstName: 'Inge', lastName: 'Neu' } };
			await sync([v2]);
			const [late] = await sync([v1]);
			expect(late).toMatchObject({
				action: 'skipped',
				reason: expect.stringContaining('Bitrix24 already holds LexOffice version 2'),
			});
			expect(one(v1.id).LAST_NAME).toBe('Neu');
			expect(writeRequests(sb)).toHaveLength(0);
		});

		it('C38 a duplicated event: in one input the contact is written once; delivered again later it writes nothing', async () => {
			const contact = personContact();
			const out = await sync([contact, contact]);
			expect(out.map((row) => row.action)).toEqual(['skipped', 'created']);
			expect(recordOf(contact.id)).toHaveLength(1);
			expect((await sync([contact]))[0]).toMatchObject({ action: 'unchanged' });
			expect(writeRequests(sb)).toHaveLength(0);
		});

		it('C39 a contact that is not a LexOffice contact at all (e.g. an event without resource) fails alone', async () => {
			const out = await sync([{ eventType: 'contact.changed', resourceId: 'x' }, personContact()]);
			expect(out.map((row) => row.action)).toEqual(['failed', 'created']);
			expect(String(out[0].error)).toMatch(/^"LexOffice Contact" is not a LexOffice contact as expected: id: Required/);
		});
	});

	describe('invoices', () => {
		const lexofficeInvoice = (contactId: string | undefined, extra: IDataObject = {}): IDataObject => ({
			id: newId(),
			voucherStatus: 'open',
			voucherNumber: `RE-${counter}`,
			voucherDate: '2026-11-02T00:00:00.000+01:00',
			dueDate: '2026-12-30T00:00:00.000+01:00',
			address: contactId
				? { contactId, name: 'Kunde', countryCode: 'DE' }
				: { name: 'Laufkundschaft', countryCode: 'DE' },
			totalPrice: { currency: 'EUR', totalGrossAmount: 119 },
			...extra,
		});

		it('C40 an invoice for a contact that was never synced: the smart invoice is created without client and says so; once the contact is synced the next sync links it', async () => {
			const contact = companyContact();
			const invoice = lexofficeInvoice(String(contact.id));
			const [first] = await syncInvoices([invoice]);
			expect(first).toMatchObject({
				action: 'created',
				clientId: null,
				warning: expect.stringContaining(`LexOffice contact ${String(contact.id)} is not in Bitrix24`),
			});
			await sync([contact]);
			const [second] = await syncInvoices([invoice]);
			expect(second).toMatchObject({
				action: 'updated',
				clientType: 'company',
				clientId: one(contact.id).ID,
				changedFields: ['companyId'],
			});
			expect(sb.state.items.filter((item) => item.XML_ID === invoice.id)).toHaveLength(1);
		});

		it('C41 an invoice deleted in LexOffice (the LexOffice node answered 404): that item fails with the reason, nothing is written, the other invoices are synced', async () => {
			const contact = companyContact();
			await sync([contact]);
			const out = await syncInvoices([
				{ error: 'The resource you are requesting could not be found' },
				lexofficeInvoice(String(contact.id)),
			]);
			expect(out.map((row) => row.action)).toEqual(['failed', 'created']);
			expect(out[0]).toMatchObject({
				error: 'The invoice could not be read from LexOffice: The resource you are requesting could not be found',
			});
			expect(sb.state.items).toHaveLength(1);
		});

		it('C42 an invoice Bitrix24 refuses (a required smart-invoice field) fails alone, naming the invoice and the fix', async () => {
			sb.state.userFields.push({
				ID: 951,
				ENTITY_ID: 'CRM_SMART_INVOICE',
				FIELD_NAME: 'UF_CRM_SMART_INVOICE_KOSTENSTELLE',
				USER_TYPE_ID: 'string',
				MULTIPLE: 'N',
				MANDATORY: 'Y',
				LABEL: 'Kostenstelle',
				XML_ID: null,
			});
			const invoice = lexofficeInvoice(undefined);
			const [out] = await syncInvoices([invoice]);
			expect(out).toMatchObject({
				action: 'failed',
				lexofficeInvoiceId: invoice.id,
				error: expect.stringMatching(
					new RegExp(
						`^LexOffice invoice ${String(invoice.id)}: Bitrix24 refused the smart invoice: Field "UF_CRM_SMART_INVOICE_KOSTENSTELLE" is required`,
					),
				),
			});
		});
	});
});
