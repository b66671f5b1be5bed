/**
 * Sync Contacts on several n8n workers (issue #12, item 4): the per-process lock does not reach
 * another process, so these run each execution on its own copy of the node (workers.ts) and force
 * the interleavings of the issue with gates on the requests.
 */
import type { IDataObject } from 'n8n-workflow';

import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../../sandbox/bitrix24';
import { generateLexofficeContacts, type SeedContact } from '../../../sandbox/seed';
import { Gate, loadWorker, runOn } from '../workers';

const PARAMETERS = { resource: 'lexofficeSync', operation: 'syncContacts', contact: '={{ $json }}', responsibleUserId: '3' };
const versionStamp = (version: number) => expect.stringMatching(new RegExp(`^${version}/[0-9a-f]{8}$`));
/** A request that writes a record's data (not a lookup, not only the version stamp). */
const writesData = (body: string) => /crm\.(contact|company)\.(add|update)/.test(body) && /LAST_NAME|TITLE/.test(body);

describe('Sync Contacts on two workers (issue #12)', () => {
	let sb: Bitrix24Sandbox;
	const contacts = generateLexofficeContacts(40, 12).filter((contact) => !contact.archived);

	beforeAll(async () => (sb = await startBitrix24Sandbox({ limits: 'off' })));
	afterAll(async () => await sb.close());
	beforeEach(() => sb.reset());

	const sync = (worker: ReturnType<typeof loadWorker>, contact: SeedContact, gates: Gate[] = []) =>
		runOn(worker, sb, { parameters: PARAMETERS, items: [{ json: structuredClone(contact) as unknown as IDataObject }], gates });
	const byOrigin = (list: Array<Record<string, unknown>>, originId: string) => list.filter((record) => record.ORIGIN_ID === originId);
	const version = (contact: SeedContact, number: number, lastName: string) => {
		const copy = structuredClone(contact);
		copy.version = number;
		if (copy.person) copy.person.lastName = lastName;
		return copy;
	};

	it('creates one record when both workers miss the lookup of a new contact (created + changed together)', async () => {
		const person = contacts.find((contact) => contact.person) as SeedContact;
		const [one, two] = [loadWorker(), loadWorker()];
		// Worker 1 has looked the contact up (nothing found) and is about to add it …
		const beforeAdd = new Gate(writesData);
		const first = sync(one, version(person, 1, 'Erst'), [beforeAdd]);
		await beforeAdd.reached;
		// … while worker 2 syncs the changed version completely.
		const second = await sync(two, version(person, 2, 'Geändert'));
		beforeAdd.release();
		const firstOutcome = (await first)[0];

		expect(second[0]).toMatchObject({ action: 'created' });
		const records = byOrigin(sb.state.contacts, person.id);
		expect(records).toHaveLength(1);
		expect(records[0]).toMatchObject({ ID: second[0].id, LAST_NAME: 'Geändert', ORIGIN_VERSION: versionStamp(2) });
		expect(sb.state.requisites.filter((row) => row.XML_ID === person.id)).toHaveLength(1);
		expect(firstOutcome).toMatchObject({ action: 'skipped', reason: expect.stringContaining('newer than this input') });
	});

	it('keeps the lowest record and deletes the other, its contact persons and requisite, when both add a company', async () => {
		const company = contacts.find((contact) => (contact.company?.contactPersons?.length ?? 0) > 0) as SeedContact;
		const [one, two] = [loadWorker(), loadWorker()];
		const beforeAdd = [new Gate(writesData), new Gate(writesData)];
		const runs = [sync(one, company, [beforeAdd[0]]), sync(two, company, [beforeAdd[1]])];
		await Promise.all(beforeAdd.map((gate) => gate.reached)); // both looked up, nothing found
		beforeAdd[0].release();
		beforeAdd[1].release();
		const outcomes = (await Promise.all(runs)).map((json) => json[0]);

		const companies = byOrigin(sb.state.companies, company.id);
		expect(companies).toHaveLength(1);
		expect(companies[0]).toMatchObject({ ORIGIN_VERSION: versionStamp(company.version) });
		const persons = sb.state.contacts.filter((row) => String(row.ORIGIN_ID).startsWith(`${company.id}:person:`));
		expect(persons.map((row) => row.COMPANY_ID)).toEqual((company.company?.contactPersons ?? []).map(() => companies[0].ID));
		expect(sb.state.requisites.filter((row) => row.XML_ID === company.id)).toHaveLength(1);
		expect(outcomes.map((outcome) => outcome.id)).toEqual([companies[0].ID, companies[0].ID]);
		expect(outcomes.filter((outcome) => outcome.action === 'created')).toHaveLength(1);
	});

	it('ends with the newer data when B writes newer data, A writes older data, A stamps, B stamps', async () => {
		const person = contacts.find((contact) => contact.person) as SeedContact;
		await sync(loadWorker(), version(person, 1, 'Anfang'));
		const [a, b] = [loadWorker(), loadWorker()];
		// A (version 2) has looked up and waits before its write; B (version 3) writes and waits right after.
		const aBeforeWrite = new Gate(writesData);
		const bAfterWrite = new Gate((_body, sentBefore) => sentBefore.some(writesData));
		const runA = sync(a, version(person, 2, 'Älter'), [aBeforeWrite]);
		await aBeforeWrite.reached;
		const runB = sync(b, version(person, 3, 'Neuer'), [bAfterWrite]);
		await bAfterWrite.reached;
		aBeforeWrite.release(); // A writes its older data over B's, and stamps
		const outcomeA = (await runA)[0];
		bAfterWrite.release(); // then B goes on to its stamp
		const outcomeB = (await runB)[0];

		const [record] = byOrigin(sb.state.contacts, person.id);
		expect(byOrigin(sb.state.contacts, person.id)).toHaveLength(1);
		expect(record).toMatchObject({ LAST_NAME: 'Neuer', ORIGIN_VERSION: versionStamp(3) });
		expect(outcomeA).toMatchObject({ action: 'updated' });
		expect(outcomeB).toMatchObject({ action: 'updated' });
	});

	it('never stamps older data with a newer version when the older input is written after the newer one was stamped', async () => {
		const person = contacts.find((contact) => contact.person) as SeedContact;
		await sync(loadWorker(), version(person, 1, 'Anfang'));
		const [a, b] = [loadWorker(), loadWorker()];
		const aBeforeWrite = new Gate(writesData);
		const runA = sync(a, version(person, 2, 'Älter'), [aBeforeWrite]);
		await aBeforeWrite.reached;
		await sync(b, version(person, 3, 'Neuer'));
		aBeforeWrite.release();
		const outcomeA = (await runA)[0];

		// The newer data is lost until the next sync of the contact, but the stamp says so: it is the version the record holds.
		const [record] = byOrigin(sb.state.contacts, person.id);
		expect(record).toMatchObject({ LAST_NAME: 'Älter', ORIGIN_VERSION: versionStamp(2) });
		expect(outcomeA).toMatchObject({ action: 'updated', warnings: [expect.stringContaining('received LexOffice version 3')] });
	});
});
