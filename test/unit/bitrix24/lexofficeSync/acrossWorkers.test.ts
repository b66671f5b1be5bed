/**
 * Sync Contacts on several n8n workers (issue #12): the per-process lock does not reach another
 * process, so each execution here runs on its own copy of the node (workers.ts, its own module
 * state) against one Bitrix24 sandbox, and the interleavings of the issue are forced with gates on
 * the requests, never with timing.
 */
import type { IDataObject } from 'n8n-workflow';

import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../../sandbox/bitrix24';
import { generateLexofficeContacts, type SeedContact } from '../../../sandbox/seed';
import { Gate, loadWorker, runOn } from '../workers';

const PARAMETERS = {
	resource: 'lexofficeSync',
	operation: 'syncContacts',
	contact: '={{ $json }}',
	responsibleUserId: '3',
};
const versionStamp = (version: number) => expect.stringMatching(new RegExp(`^${version}/[0-9a-f]{8}$`));
/** A request that writes a record's data (not a lookup, not only ORIGIN_VERSION). */
const writesData = (request: string) =>
	/crm\.(contact|company)\.(add|update)/.test(request) && /LAST_NAME|TITLE/.test(request);
/** Any request that changes a company or contact (a claim of ORIGIN_VERSION as well as a data write). */
const writesRecord = (request: string) => /crm\.(contact|company)\.(add|update)/.test(request);

describe('Sync Contacts on two workers (issue #12)', () => {
	let sb: Bitrix24Sandbox;
	const contacts = generateLexofficeContacts(40, 12).filter((contact) => !contact.archived);
	const person = contacts.find((contact) => contact.person) as SeedContact;
	const company = contacts.find((contact) => (contact.company?.contactPersons?.length ?? 0) > 0) as SeedContact;

	beforeAll(async () => (sb = await startBitrix24Sandbox({ limits: 'off' })));
	afterAll(async () => await sb.close());
	beforeEach(() => sb.reset());

	const sync = async (contact: SeedContact, gates: Gate[] = []) =>
		(
			await runOn(loadWorker(), sb, {
				parameters: PARAMETERS,
				items: [{ json: structuredClone(contact) as unknown as IDataObject }],
				gates,
			})
		)[0];
	const byOrigin = (list: Array<Record<string, unknown>>, originId: string) =>
		list.filter((record) => record.ORIGIN_ID === originId);
	const requisitesOf = (lexofficeId: string) => sb.state.requisites.filter((row) => row.XML_ID === lexofficeId);
	const addressesOf = (requisiteId: unknown) => sb.state.addresses.filter((row) => row.ENTITY_ID === requisiteId);
	const version = (contact: SeedContact, number: number, lastName: string) => {
		const copy = structuredClone(contact);
		copy.version = number;
		if (copy.person) copy.person.lastName = lastName;
		return copy;
	};

	it('adds one record when both workers miss the lookup of a new contact (created + changed together)', async () => {
		// Worker 1 has looked the contact up (nothing found) and is about to add it …
		const beforeAdd = new Gate(writesData);
		const first = sync(version(person, 1, 'Erst'), [beforeAdd]);
		await beforeAdd.reached;
		// … while worker 2 syncs the changed version completely.
		const second = await sync(version(person, 2, 'Geändert'));
		beforeAdd.release();
		const firstOutcome = await first;

		const records = byOrigin(sb.state.contacts, person.id);
		expect(records).toHaveLength(1);
		expect(records[0]).toMatchObject({ ID: second.id, LAST_NAME: 'Geändert', ORIGIN_VERSION: versionStamp(2) });
		expect(second).toMatchObject({ action: 'created' });
		const requisites = requisitesOf(person.id);
		expect(requisites).toHaveLength(1);
		expect(requisites[0].ENTITY_ID).toBe(second.id);
		expect(firstOutcome).toMatchObject({
			action: 'skipped',
			reason: expect.stringContaining('newer than this input'),
			duplicatesRemoved: [expect.any(Number)],
		});
		expect(firstOutcome.duplicatesRemoved).not.toContain(second.id);
	});

	it('keeps the lowest company and deletes the other with its contact persons, requisite and addresses', async () => {
		const beforeAdd = [new Gate(writesData), new Gate(writesData)];
		const runs = [sync(company, [beforeAdd[0]]), sync(company, [beforeAdd[1]])];
		await Promise.all(beforeAdd.map((gate) => gate.reached)); // both looked up, nothing found
		beforeAdd[0].release();
		beforeAdd[1].release();
		const outcomes = await Promise.all(runs);

		const companies = byOrigin(sb.state.companies, company.id);
		expect(companies).toHaveLength(1);
		expect(companies[0]).toMatchObject({ ORIGIN_VERSION: versionStamp(company.version) });
		const persons = sb.state.contacts.filter((row) => String(row.ORIGIN_ID).startsWith(`${company.id}:person:`));
		expect(persons.map((row) => row.COMPANY_ID)).toEqual(
			(company.company?.contactPersons ?? []).map(() => companies[0].ID),
		);
		const requisites = requisitesOf(company.id);
		expect(requisites.map((row) => row.ENTITY_ID)).toEqual([companies[0].ID]);
		expect(sb.state.addresses.filter((row) => !sb.state.requisites.some((rq) => rq.ID === row.ENTITY_ID))).toEqual([]);
		expect(addressesOf(requisites[0].ID).length).toBeGreaterThan(0);
		expect(outcomes.map((outcome) => outcome.id)).toEqual([companies[0].ID, companies[0].ID]);
		expect(outcomes.map((outcome) => outcome.action).sort()).toEqual(['created', 'unchanged']);
		const loser = outcomes.find((outcome) => outcome.action === 'unchanged') as IDataObject;
		expect(loser.duplicatesRemoved).toEqual([expect.any(Number)]);
		expect(loser.duplicatesRemoved).not.toContain(companies[0].ID);
	});

	it('ends with the newer data when B writes newer data, A writes older data, A stamps, B stamps', async () => {
		await sync(version(person, 1, 'Anfang'));
		// A (version 2) has looked up and waits before its data write; B (version 3) writes and waits right after.
		const aBeforeWrite = new Gate(writesData);
		const bAfterWrite = new Gate((_request, sentBefore) => sentBefore.some(writesData));
		const runA = sync(version(person, 2, 'Älter'), [aBeforeWrite]);
		await aBeforeWrite.reached;
		const runB = sync(version(person, 3, 'Neuer'), [bAfterWrite]);
		await bAfterWrite.reached;
		aBeforeWrite.release(); // A writes its older data over B's, and stamps
		const outcomeA = await runA;
		bAfterWrite.release(); // then B goes on to its stamp
		const outcomeB = await runB;

		const records = byOrigin(sb.state.contacts, person.id);
		expect(records).toHaveLength(1);
		expect(records[0]).toMatchObject({ LAST_NAME: 'Neuer', ORIGIN_VERSION: versionStamp(3) });
		expect(requisitesOf(person.id)).toHaveLength(1);
		expect(outcomeA).toMatchObject({ action: 'updated' });
		expect(outcomeB).toMatchObject({ action: 'updated', concurrentWrite: expect.any(String) });
	});

	it('never writes an older version that another worker stamped a newer one over since its lookup', async () => {
		await sync(version(person, 1, 'Anfang'));
		// A (version 2) has looked up and waits before it writes anything; B syncs version 3 completely.
		const aBeforeWrite = new Gate(writesRecord);
		const runA = sync(version(person, 2, 'Älter'), [aBeforeWrite]);
		await aBeforeWrite.reached;
		const outcomeB = await sync(version(person, 3, 'Neuer'));
		aBeforeWrite.release();
		const outcomeA = await runA;

		const records = byOrigin(sb.state.contacts, person.id);
		expect(records).toHaveLength(1);
		expect(records[0]).toMatchObject({ LAST_NAME: 'Neuer', ORIGIN_VERSION: versionStamp(3) });
		expect(outcomeB).toMatchObject({ action: 'updated' });
		expect(outcomeA).toMatchObject({ action: 'skipped', reason: expect.stringContaining('newer than this input') });
	});

	it('does not stamp a record it added when another worker wrote a newer version onto it since', async () => {
		// A has added the new contact (version 1) and waits before anything else …
		const aAfterAdd = new Gate((_request, sentBefore) => sentBefore.some(writesData));
		const runA = sync(version(person, 1, 'Erst'), [aAfterAdd]);
		await aAfterAdd.reached;
		// … while B finds that record (not yet stamped) and syncs version 2 onto it.
		const outcomeB = await sync(version(person, 2, 'Geändert'));
		aAfterAdd.release();
		const outcomeA = await runA;

		const records = byOrigin(sb.state.contacts, person.id);
		expect(records).toHaveLength(1);
		expect(records[0]).toMatchObject({ LAST_NAME: 'Geändert', ORIGIN_VERSION: versionStamp(2) });
		expect(outcomeB).toMatchObject({ action: 'updated', id: records[0].ID });
		expect(outcomeA).toMatchObject({ action: 'created', id: records[0].ID, concurrentWrite: expect.any(String) });
	});
});
