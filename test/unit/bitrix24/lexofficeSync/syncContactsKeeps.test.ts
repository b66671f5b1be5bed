/**
 * What a Bitrix24 record that exists keeps when Sync Contacts writes to it (issue #13 item 3),
 * against the Bitrix24 sandbox: a record adopted by e-mail keeps its responsible user, e-mails,
 * phones and comments under the defaults; "Replace" / "Overwrite" / "On Create and Update" make it
 * equal LexOffice; appended comments stay one block however often the sync runs; Dry Run lists the
 * fields with old → new values and writes nothing; changing an option rewrites every contact once.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../../sandbox/bitrix24';
import { addRecord, runBitrix24, writeRequests } from '../crm/helpers';
import { forgetSettled } from '../../../../nodes/Bitrix24/actions/lexofficeSync/contactVersions';

const LEXOFFICE_ID = '11111111-2222-4333-8444-555555555555';
/** A LexOffice person as LexOffice → Contact → Get Many gives it. */
const lexofficePerson = (version = 1, note = 'Zahlt pünktlich.'): IDataObject => ({
	id: LEXOFFICE_ID,
	version,
	roles: { customer: { number: 10001 } },
	person: { firstName: 'Inge', lastName: 'Muster' },
	emailAddresses: { business: ['inge@muster.de'], private: ['INGE.privat@example.org'] },
	phoneNumbers: { business: ['+49 30 1234'] },
	note,
	archived: false,
});
/** What the sales team has in Bitrix24 for Inge, before any sync. */
const SALES_RECORD = {
	NAME: 'Inge',
	LAST_NAME: 'Muster',
	ASSIGNED_BY_ID: 2,
	COMMENTS: 'Kunde seit 2009, bitte duzen',
	EMAIL: [
		{ VALUE: 'inge.privat@example.org', VALUE_TYPE: 'HOME' },
		{ VALUE: 'i.muster@alte-firma.de', VALUE_TYPE: 'WORK' },
	],
	PHONE: [
		{ VALUE: '+49 (30) 12-34', VALUE_TYPE: 'WORK' },
		{ VALUE: '+49 171 5550000', VALUE_TYPE: 'MOBILE' },
	],
};
const LEXOFFICE_COMMENTS = 'Zahlt pünktlich.\nLexOffice Kundennummer: 10001';

const entries = (record: IDataObject, field: string) =>
	((record[field] as Array<{ VALUE: string }> | undefined) ?? []).map((entry) => entry.VALUE).sort();

describe('Sync Contacts: what an existing Bitrix24 record keeps', () => {
	let sb: Bitrix24Sandbox;
	beforeAll(async () => (sb = await startBitrix24Sandbox({ limits: 'off' })));
	afterAll(async () => await sb.close());
	beforeEach(() => {
		sb.reset();
		forgetSettled();
	});

	const sync = async (contacts: IDataObject[], options: IDataObject = {}) => {
		sb.requests.clear();
		const parameters: INodeParameters = {
			resource: 'lexofficeSync',
			operation: 'syncContacts',
			contact: '={{ $json }}',
			responsibleUserId: '3',
			options: options as INodeParameters,
		};
		const { json } = await runBitrix24(sb, {
			parameters,
			items: contacts.map((contact) => ({ json: structuredClone(contact) })),
		});
		return json;
	};
	const record = (id: number) => sb.state.contacts.find((row) => Number(row.ID) === id) as IDataObject;

	it('under the defaults, a record adopted by e-mail keeps its responsible user, e-mails, phones and comments; LexOffice adds what it lacks', async () => {
		const id = await addRecord(sb, 'crm.contact.add', SALES_RECORD);
		const [out] = await sync([lexofficePerson()]);
		expect(out).toMatchObject({ action: 'updated', id, matchedBy: 'email' });
		expect(sb.state.contacts).toHaveLength(1);
		const adopted = record(id);
		expect(adopted).toMatchObject({ ORIGIN_ID: LEXOFFICE_ID, ASSIGNED_BY_ID: 2, COMMENTS: SALES_RECORD.COMMENTS });
		// The address Bitrix24 holds in other letters and the phone in another format are not added twice.
		expect(entries(adopted, 'EMAIL')).toEqual(['i.muster@alte-firma.de', 'inge.privat@example.org', 'inge@muster.de']);
		expect(entries(adopted, 'PHONE')).toEqual(['+49 (30) 12-34', '+49 171 5550000']);
		// A record the sync creates gets everything.
		const [created] = await sync([{ ...lexofficePerson(), id: '99999999-2222-4333-8444-555555555555' }]);
		expect(record(Number(created.id))).toMatchObject({ ASSIGNED_BY_ID: 3, COMMENTS: LEXOFFICE_COMMENTS });
	});

	it('Replace, Overwrite and On Create and Update make the record equal LexOffice', async () => {
		const id = await addRecord(sb, 'crm.contact.add', SALES_RECORD);
		const [out] = await sync([lexofficePerson()], {
			emailsAndPhones: 'replace',
			comments: 'overwrite',
			responsibleUserOn: 'always',
		});
		expect(out).toMatchObject({ action: 'updated', id, responsibleUserId: 3 });
		const adopted = record(id);
		expect(adopted).toMatchObject({ ASSIGNED_BY_ID: 3, COMMENTS: LEXOFFICE_COMMENTS });
		expect(entries(adopted, 'EMAIL')).toEqual(['INGE.privat@example.org', 'inge@muster.de']);
		expect(entries(adopted, 'PHONE')).toEqual(['+49 30 1234']);
	});

	it('appended comments stay one block: a changed note replaces it, a rerun after a settings change adds nothing', async () => {
		const id = await addRecord(sb, 'crm.contact.add', SALES_RECORD);
		const append = { comments: 'append' };
		await sync([lexofficePerson(1)], append);
		const block = (note: string) => `--- LexOffice ---\n${note}\nLexOffice Kundennummer: 10001\n--- /LexOffice ---`;
		expect(record(id).COMMENTS).toBe(`${SALES_RECORD.COMMENTS}\n\n${block('Zahlt pünktlich.')}`);

		await sync([lexofficePerson(2, 'Zahlt nur per Überweisung.')], append);
		expect(record(id).COMMENTS).toBe(`${SALES_RECORD.COMMENTS}\n\n${block('Zahlt nur per Überweisung.')}`);

		// Another option changes the settings hash: the contact is written again, the block is not repeated.
		const [again] = await sync([lexofficePerson(2, 'Zahlt nur per Überweisung.')], {
			...append,
			responsibleUserOn: 'always',
		});
		expect(again).toMatchObject({ action: 'updated' });
		expect(record(id).COMMENTS).toBe(`${SALES_RECORD.COMMENTS}\n\n${block('Zahlt nur per Überweisung.')}`);
	});

	it('every option is part of the settings hash: changing one rewrites each contact once', async () => {
		await sync([lexofficePerson()]);
		const stamp = () => String(sb.state.contacts[0].ORIGIN_VERSION);
		const stamps = new Set([stamp()]);
		for (const options of [
			{ comments: 'overwrite' },
			{ comments: 'append' },
			{ emailsAndPhones: 'replace' },
			{ responsibleUserOn: 'always' },
		]) {
			forgetSettled();
			expect((await sync([lexofficePerson()], options))[0]).toMatchObject({ action: 'updated' });
			stamps.add(stamp());
			expect((await sync([lexofficePerson()], options))[0]).toMatchObject({ action: 'unchanged' });
		}
		expect(stamps.size).toBe(5);
	});

	it('Dry Run lists per record the fields with old → new values, says which contacts would not change, writes nothing', async () => {
		const id = await addRecord(sb, 'crm.contact.add', { ...SALES_RECORD, NAME: 'Ingeborg' });
		const unchanged = {
			...lexofficePerson(),
			id: '99999999-2222-4333-8444-555555555555',
			emailAddresses: { business: ['anderer@example.de'] },
		};
		await sync([unchanged], { emailsAndPhones: 'replace' });
		const before = structuredClone(sb.state.contacts);
		const json = await sync([lexofficePerson(), unchanged], { dryRun: true, emailsAndPhones: 'replace' });
		expect(writeRequests(sb)).toHaveLength(0);
		expect(sb.state.contacts).toEqual(before);
		expect(json[0]).toMatchObject({ dryRun: true, action: 'updated', id, matchedBy: 'email', wouldChange: true });
		const [contact, requisite, address] = json[0].changes as IDataObject[];
		expect(contact).toEqual({
			record: 'contact',
			id,
			action: 'update',
			fields: {
				NAME: { old: 'Ingeborg', new: 'Inge' },
				EMAIL: {
					old: ['inge.privat@example.org (HOME)', 'i.muster@alte-firma.de (WORK)'],
					new: ['INGE.privat@example.org (HOME)', 'inge@muster.de (WORK)'],
					added: ['INGE.privat@example.org (HOME)', 'inge@muster.de (WORK)'],
					removed: ['inge.privat@example.org (HOME)', 'i.muster@alte-firma.de (WORK)'],
				},
				PHONE: {
					old: ['+49 (30) 12-34 (WORK)', '+49 171 5550000 (MOBILE)'],
					new: ['+49 30 1234 (WORK)'],
					added: ['+49 30 1234 (WORK)'],
					removed: ['+49 (30) 12-34 (WORK)', '+49 171 5550000 (MOBILE)'],
				},
				ORIGINATOR_ID: { old: null, new: 'lexoffice' },
				ORIGIN_ID: { old: null, new: LEXOFFICE_ID },
				ORIGIN_VERSION: { old: null, new: expect.stringMatching(/^1\/[0-9a-f]{8}$/) },
			},
		});
		expect(requisite).toMatchObject({ record: 'requisite', id: null, action: 'create' });
		expect(address).toBeUndefined();
		expect(json[1]).toMatchObject({ dryRun: true, action: 'unchanged', wouldChange: false, changes: [] });

		// Under other settings the same contact would be rewritten once; its fields already match, so only the stamp would change.
		const [otherSettings] = await sync([unchanged], { dryRun: true });
		expect(otherSettings.changes).toEqual([
			{
				record: 'contact',
				id: otherSettings.id,
				action: 'update',
				fields: { ORIGIN_VERSION: { old: expect.stringMatching(/^1\//), new: expect.stringMatching(/^1\//) } },
			},
		]);
	});
});
