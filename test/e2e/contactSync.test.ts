/**
 * The bundled contacts workflow (import, events and nightly reconciliation through its one Sync
 * Contacts node), imported unchanged into a real n8n 2.41.1 with the packed package: the import
 * works through LexOffice page by page (one Get LexOffice contacts and one Sync Contacts run per
 * page, statistics adding up every page and saying how long it took); the Bitrix24 sandbox ends up
 * holding exactly the LexOffice sandbox's contacts; a second run writes nothing; a run killed
 * halfway (n8n SIGKILLed) and run again ends in the same state as an uninterrupted one; events keep
 * Bitrix24 current, a forged event changes nothing, and a deletion is noted, not executed.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import axios from 'axios';
import type { IDataObject } from 'n8n-workflow';

import {
	bundledWorkflow,
	createSandboxCredentials,
	executionError,
	nodeOutputJson,
	nodeRunsOutputJson,
	pollUntil,
	startN8n,
	type N8nInstance,
} from '../harness';
import { lexofficeContactSchema, mapLexofficeContact } from '../../nodes/shared/contract/lexofficeToBitrix24';
import { startBitrix24Sandbox } from '../sandbox/bitrix24';
import { crmSnapshot, sortedEntries } from '../sandbox/bitrix24/crmSnapshot';
import { startLexofficeSandbox } from '../sandbox/lexoffice';

type LexofficeSandbox = Awaited<ReturnType<typeof startLexofficeSandbox>>;
type Bitrix24Sandbox = Awaited<ReturnType<typeof startBitrix24Sandbox>>;
type Row = Record<string, unknown>;

const CONTACTS = 320;
/** LexOffice's page size for contacts, which Get Next Page reads (lexoffice-api.md §3.2). */
const PAGE_SIZE = 250;
/** The contacts workflow; its file keeps the name it had as the incremental sync. */
const WORKFLOW = 'lexoffice-bitrix24-incremental-sync';
jest.setTimeout(600_000);

/** Bitrix24's content keyed by LexOffice identity, without ids that differ between runs. */
const snapshot = (sb: Bitrix24Sandbox) => crmSnapshot(sb.state);

describe('bundled contact workflows in a real n8n', () => {
	let n8n: N8nInstance | undefined;
	let lexoffice: LexofficeSandbox | undefined;
	let bitrix24: Bitrix24Sandbox | undefined;
	let userFolder = '';
	let apiKey = '';
	let workflowId = '';
	let uninterrupted: ReturnType<typeof snapshot> | undefined;

	const api = (): N8nInstance => {
		if (!n8n) throw new Error('n8n did not start (see beforeAll)');
		return n8n;
	};
	const lx = (): LexofficeSandbox => lexoffice as LexofficeSandbox;
	const bx = (): Bitrix24Sandbox => bitrix24 as Bitrix24Sandbox;

	const runImport = async () => {
		const executionId = await api().runManually(workflowId, 'Start import');
		const execution = await api().waitForExecution(workflowId, (candidate) => candidate.id === executionId, {
			timeoutMs: 180_000,
		});
		expect([execution.status, executionError(execution)]).toEqual(['success', undefined]);
		return execution;
	};
	type Run = Awaited<ReturnType<typeof runImport>>;
	const statisticsOf = (execution: Run) => nodeOutputJson(execution, 'Import statistics')[0];
	/** How many items each run of a node put out, run by run. */
	const itemsPerRun = (execution: Run, node: string) => nodeRunsOutputJson(execution, node).map((run) => run.length);
	/** LexOffice's pages of all its contacts (archived ones included: the template reads them, Sync skips them). */
	const pageSizes = () => {
		const total = lx().state.contacts.size;
		return Array.from({ length: Math.ceil(total / PAGE_SIZE) }, (_, page) =>
			Math.min(PAGE_SIZE, total - page * PAGE_SIZE),
		);
	};
	/** The page loop as it ran: one Get LexOffice contacts and one Sync Contacts run per page, Statistics adding up. */
	const expectPageLoop = (execution: Run) => {
		const pages = pageSizes();
		expect(pages.length).toBeGreaterThan(1);
		expect(itemsPerRun(execution, 'Get LexOffice contacts')).toEqual(pages);
		expect(itemsPerRun(execution, 'Sync Contacts')).toEqual(pages);
		const running = nodeRunsOutputJson(execution, 'Statistics').map(([statistics]) => [
			statistics.total,
			statistics.runs,
		]);
		expect(running).toEqual(pages.map((_, page) => [pages.slice(0, page + 1).reduce((a, b) => a + b, 0), page + 1]));
	};

	beforeAll(async () => {
		lexoffice = await startLexofficeSandbox({ limits: 'off', timeScale: 0.001, seed: { contacts: CONTACTS, seed: 5 } });
		bitrix24 = await startBitrix24Sandbox({ limits: 'off' });
		userFolder = await mkdtemp(path.join(os.tmpdir(), 'n8n-e2e-contact-sync-'));
		n8n = await startN8n({ userFolder, readinessTimeoutMs: 300_000 });
		({ apiKey } = await createSandboxCredentials(n8n, lexoffice, bitrix24));
		workflowId = (await n8n.importWorkflow(bundledWorkflow(WORKFLOW))).id;
	}, 10 * 60_000);

	afterAll(async () => {
		await n8n?.stop();
		await lexoffice?.close();
		await bitrix24?.close();
		if (userFolder) await rm(userFolder, { recursive: true, force: true });
	});

	it('imports every LexOffice contact into Bitrix24 and reports it', async () => {
		const contacts = [...lx().state.contacts.values()];
		const live = contacts.filter((contact) => !contact.archived);
		const companies = live.filter((contact) => contact.company);
		const contactPersons = companies.flatMap((contact) => contact.company?.contactPersons ?? []);
		const persons = live.filter((contact) => contact.person);

		const execution = await runImport();
		expect(execution.data?.resultData.lastNodeExecuted).toBe('Import statistics');
		expectPageLoop(execution);
		expect(statisticsOf(execution)).toMatchObject({
			dryRun: false,
			total: contacts.length,
			runs: pageSizes().length,
			startedAt: expect.any(String),
			durationSeconds: expect.any(Number),
			companies: { created: companies.length, updated: 0, unchanged: 0, failed: 0 },
			contacts: { created: persons.length, updated: 0, unchanged: 0, failed: 0 },
			contactPersons: { created: contactPersons.length, failed: 0 },
			skippedArchived: contacts.length - live.length,
			failures: [],
		});
		expect(bx().state.companies).toHaveLength(companies.length);
		expect(bx().state.contacts).toHaveLength(persons.length + contactPersons.length);

		// A sample that covers every mapping rule, field by field.
		const sample = companies.find(
			(c) => (c.company?.contactPersons?.length ?? 0) > 0 && c.company?.taxNumber && c.addresses?.shipping,
		);
		expect(sample).toBeDefined();
		const company = bx().state.companies.find((row) => row.ORIGIN_ID === sample?.id) as Row;
		expect(company).toMatchObject({ TITLE: sample?.company?.name, ORIGINATOR_ID: 'lexoffice' });
		expect(String(company.ORIGIN_VERSION)).toMatch(new RegExp(`^${String(sample?.version)}/[0-9a-f]{8}$`));
		expect(sortedEntries(company.EMAIL)).toEqual(
			[
				...(sample?.emailAddresses?.business ?? []).map((email) => `WORK ${email}`),
				...(sample?.emailAddresses?.other ?? []).map((email) => `OTHER ${email}`),
			].sort(),
		);
		expect(sortedEntries(company.PHONE)).toEqual(
			[
				...(sample?.phoneNumbers?.business ?? []).map((phone) => `WORK ${phone}`),
				...(sample?.phoneNumbers?.fax ?? []).map((phone) => `FAX ${phone}`),
			].sort(),
		);
		const requisite = bx().state.requisites.find((row) => row.XML_ID === sample?.id) as Row;
		expect(requisite).toMatchObject({
			ENTITY_TYPE_ID: 4,
			ENTITY_ID: company.ID,
			RQ_COMPANY_NAME: sample?.company?.name,
			RQ_INN: sample?.company?.taxNumber,
		});
		const addresses = bx().state.addresses.filter((row) => row.ENTITY_ID === requisite.ID);
		expect(addresses.map((row) => [row.TYPE_ID, row.ADDRESS_1, row.CITY]).sort()).toEqual(
			[
				[6, sample?.addresses?.billing?.[0].street, sample?.addresses?.billing?.[0].city],
				[11, sample?.addresses?.shipping?.[0].street, sample?.addresses?.shipping?.[0].city],
			].sort(),
		);
		const linked = bx().state.contacts.filter((row) => row.COMPANY_ID === company.ID);
		expect(linked.map((row) => row.LAST_NAME).sort()).toEqual(
			(sample?.company?.contactPersons ?? []).map((person) => person.lastName).sort(),
		);

		// Every record exactly as the mapping (table-tested on its own) says, for all contacts.
		const settings = { customerNumberField: '', vendorNumberField: '', countryNameLanguage: 'de' as const };
		const addressLine = (values: Record<string, string> | null) =>
			values ? `${values.ADDRESS_1}|${values.ADDRESS_2}|${values.POSTAL_CODE}|${values.CITY}|${values.COUNTRY}` : null;
		const mismatches: string[] = [];
		for (const contact of live) {
			const mapped = mapLexofficeContact(lexofficeContactSchema.parse(contact), settings);
			const list = mapped.record.entity === 'company' ? bx().state.companies : bx().state.contacts;
			const records = [mapped.record, ...mapped.contactPersons].map((expected) => ({
				expected,
				actual: (expected.entity === 'company' ? bx().state.companies : bx().state.contacts).filter(
					(row) => row.ORIGIN_ID === expected.originId,
				),
			}));
			for (const { expected, actual } of records) {
				const fields = expected.fields;
				const got = actual[0] ?? {};
				const same =
					actual.length === 1 &&
					['TITLE', 'NAME', 'LAST_NAME', 'COMMENTS'].every((field) => (fields[field] ?? '') === (got[field] ?? '')) &&
					JSON.stringify(sortedEntries(fields.EMAIL)) === JSON.stringify(sortedEntries(got.EMAIL)) &&
					JSON.stringify(sortedEntries(fields.PHONE)) === JSON.stringify(sortedEntries(got.PHONE));
				if (!same) mismatches.push(`${expected.originId}: ${JSON.stringify(fields)} vs ${JSON.stringify(actual)}`);
			}
			const owner = list.find((row) => row.ORIGIN_ID === contact.id);
			const requisites = bx().state.requisites.filter((row) => row.XML_ID === contact.id);
			const requisite = requisites[0] ?? {};
			const addresses = bx().state.addresses.filter((row) => row.ENTITY_ID === requisite.ID);
			const wantedAddresses = [
				[6, addressLine(mapped.requisite.billing)],
				[11, addressLine(mapped.requisite.shipping)],
			].filter(([, line]) => line !== null);
			const gotAddresses = addresses.map((row) => [
				row.TYPE_ID,
				`${row.ADDRESS_1}|${row.ADDRESS_2 ?? ''}|${row.POSTAL_CODE}|${row.CITY}|${row.COUNTRY}`,
			]);
			if (
				requisites.length !== 1 ||
				requisite.ENTITY_ID !== owner?.ID ||
				Object.entries(mapped.requisite.fields).some(([field, value]) => (requisite[field] ?? '') !== value) ||
				JSON.stringify(gotAddresses.sort()) !== JSON.stringify(wantedAddresses.sort())
			) {
				mismatches.push(`requisite of ${contact.id}: ${JSON.stringify(requisites)} ${JSON.stringify(gotAddresses)}`);
			}
		}
		expect(mismatches.slice(0, 5)).toEqual([]);
		expect(bx().state.requisites).toHaveLength(live.length);

		// The summary of every page, with how long the import took, reaches a person in Bitrix24 (once).
		const startedAt = Date.parse(String(statisticsOf(execution).startedAt));
		expect(startedAt).toBeGreaterThanOrEqual(Date.parse(execution.startedAt ?? '') - 1_000);
		expect(bx().state.notifications).toHaveLength(1);
		const message = bx().state.notifications.at(-1)?.message;
		expect(message).toContain(`Unternehmen: ${companies.length} neu`);
		expect(message).toMatch(/\nDauer: \d+ Sekunden?|\nDauer: \d+ Minuten?/);
		uninterrupted = snapshot(bx());
	});

	it('creates nothing on a second run and reports everything unchanged', async () => {
		bx().requests.clear();
		const statistics = statisticsOf(await runImport());
		const live = [...lx().state.contacts.values()].filter((contact) => !contact.archived);
		expect(statistics).toMatchObject({
			companies: { created: 0, updated: 0, failed: 0 },
			contacts: { created: 0, updated: 0, failed: 0 },
		});
		expect((statistics.companies as IDataObject).unchanged as number).toBe(
			live.filter((contact) => contact.company).length,
		);
		const crmWrite = (method: string) => /crm\.[a-z.]+\.(add|update|delete)$/.test(method);
		const writes = bx()
			.requests.calls()
			.filter((call) => (call.batchMethods ?? [call.path]).some(crmWrite));
		expect(writes.map((call) => call.batchMethods ?? call.path)).toEqual([]);
		expect(snapshot(bx())).toEqual(uninterrupted);
	});

	it('ends a run killed halfway, once run again, in the same state as an uninterrupted run', async () => {
		bx().reset();
		// Slow answers, so that the kill lands in the middle of the writes.
		bx().setFaults({ latencyMs: 250 });
		const expected = uninterrupted?.companies.length ?? 0;
		await api().runManually(workflowId, 'Start import');
		await pollUntil(async () => (bx().state.companies.length >= expected / 4 ? true : undefined), {
			what: 'the import to be a quarter done',
			timeoutMs: 120_000,
			intervalMs: 50,
		});
		await api().kill();
		// A batch request already on the wire is still carried out by the portal; let it land.
		await pollUntil(
			async () => {
				const seen = bx().requests.calls().length;
				await new Promise((resolve) => setTimeout(resolve, 1_000));
				return bx().requests.calls().length === seen ? true : undefined;
			},
			{ what: 'requests in flight to settle', timeoutMs: 30_000 },
		);
		const partial = bx().state.companies.length;
		expect(partial).toBeLessThan(expected);
		bx().setFaults({});

		n8n = await startN8n({ userFolder, installPackage: null, readinessTimeoutMs: 300_000 });
		await n8n.login();
		n8n.useApiKey(apiKey);
		const statistics = statisticsOf(await runImport());
		expect((statistics.companies as IDataObject).created as number).toBe(expected - partial);
		expect(snapshot(bx())).toEqual(uninterrupted);
	});

	describe('events and nightly reconciliation, through the same Sync Contacts node', () => {
		// The template carries no webhookIds: n8n gives each import its own (issue #13).
		const webhookIds = new Map<string, string>();
		const webhookOf = (nodeName: string) => api().webhookUrl(`${String(webhookIds.get(nodeName))}/webhook`);

		beforeAll(async () => {
			for (const name of ['Contact created or changed', 'Contact deleted'])
				webhookIds.set(name, await api().webhookIdOf(workflowId, name));
			await api().publish(workflowId);
			await api().waitPublished(workflowId, { timeoutMs: 180_000 });
		});

		it('brings a new contact and its change to Bitrix24 once', async () => {
			const created = lx().simulate.createContact({
				version: 0,
				roles: { customer: {} },
				person: { salutation: 'Frau', firstName: 'Greta', lastName: `Vogel-${randomUUID().slice(0, 6)}` },
				emailAddresses: { private: ['greta.vogel@example.de'] },
				addresses: { billing: [{ street: 'Lindenweg 3', zip: '20095', city: 'Hamburg', countryCode: 'DE' }] },
			} as never);
			await lx().webhooks.flush();
			const first = await pollUntil(async () => bx().state.contacts.find((row) => row.ORIGIN_ID === created.id), {
				what: 'the new contact in Bitrix24',
				timeoutMs: 60_000,
			});
			expect(first).toMatchObject({ NAME: 'Greta', LAST_NAME: created.person?.lastName });

			const changed = lx().simulate.changeContact(created.id, {
				person: { salutation: 'Frau', firstName: 'Greta', lastName: 'Vogel-Neu' },
			});
			await lx().webhooks.flush();
			await pollUntil(
				async () =>
					String(bx().state.contacts.find((row) => row.ORIGIN_ID === created.id)?.ORIGIN_VERSION).startsWith(
						`${changed.version}/`,
					)
						? true
						: undefined,
				{ what: 'the change in Bitrix24', timeoutMs: 60_000 },
			);
			const records = bx().state.contacts.filter((row) => row.ORIGIN_ID === created.id);
			expect(records).toHaveLength(1);
			expect(records[0]).toMatchObject({ LAST_NAME: 'Vogel-Neu', ID: first.ID });

			// An event passes the one Sync Contacts node once and ends at the statistics: no page loop, no notification.
			const event = await api().waitForExecution(
				workflowId,
				(candidate) => nodeOutputJson(candidate, 'Get the contact').some((item) => item.resourceId === created.id),
				{ timeoutMs: 60_000 },
			);
			expect(itemsPerRun(event, 'Sync Contacts')).toEqual([1]);
			expect(event.data?.resultData.runData['Get LexOffice contacts']).toBeUndefined();
			expect(nodeOutputJson(event, 'Statistics')[0]).toMatchObject({ total: 1, runs: 1, durationSeconds: null });
			expect(event.data?.resultData.runData['Notify responsible user']).toBeUndefined();
		});

		it('catches up a change whose event never arrived in the nightly reconciliation', async () => {
			const missed = [...lx().state.contacts.values()].find((contact) => contact.person && !contact.archived);
			if (!missed?.person) throw new Error('seed has no person');
			// Changed without an event, as when a delivery was lost.
			missed.person.lastName = 'Nachgeholt';
			missed.version += 1;
			const notifications = bx().state.notifications.length;
			const executionId = await api().runManually(workflowId, 'Nightly reconciliation');
			const execution = await api().waitForExecution(workflowId, (candidate) => candidate.id === executionId, {
				timeoutMs: 120_000,
			});
			expect([execution.status, executionError(execution)]).toEqual(['success', undefined]);
			// The reconciliation shares the import's page loop; its statistics cover every page, and nobody is notified.
			expectPageLoop(execution);
			expect(nodeRunsOutputJson(execution, 'Statistics').at(-1)?.[0]).toMatchObject({
				total: lx().state.contacts.size,
				contacts: { updated: 1, created: 0 },
				companies: { updated: 0, created: 0 },
				durationSeconds: expect.any(Number),
			});
			expect(execution.data?.resultData.runData['Notify responsible user']).toBeUndefined();
			expect(bx().state.notifications).toHaveLength(notifications);
			expect(bx().state.contacts.find((row) => row.ORIGIN_ID === missed.id)).toMatchObject({
				LAST_NAME: 'Nachgeholt',
				ORIGIN_VERSION: expect.stringMatching(new RegExp(`^${missed.version}/`)),
			});
		});

		it('answers a forged event with 401 and changes nothing', async () => {
			const before = snapshot(bx());
			const executions = await api().executionIds(workflowId);
			const target = [...lx().state.contacts.values()][0];
			const forged = await axios.post(
				webhookOf('Contact created or changed'),
				JSON.stringify({
					organizationId: lx().organizationId,
					eventType: 'contact.changed',
					resourceId: target.id,
					eventDate: '2026-11-27T10:00:00.000+01:00',
				}),
				{
					headers: { 'Content-Type': 'application/json', 'X-Lxo-Signature': Buffer.from('forged').toString('base64') },
					validateStatus: () => true,
					proxy: false,
				},
			);
			expect(forged.status).toBe(401);
			await new Promise((resolve) => setTimeout(resolve, 2_000));
			expect(await api().executionIds(workflowId)).toEqual(executions);
			expect(snapshot(bx())).toEqual(before);
		});

		it('notes a deletion on the Bitrix24 record instead of deleting it', async () => {
			const victim = [...lx().state.contacts.values()].find((contact) => contact.company && !contact.archived);
			if (!victim) throw new Error('seed has no company');
			const company = bx().state.companies.find((row) => row.ORIGIN_ID === victim.id) as Row;
			lx().simulate.deleteContact(victim.id);
			await lx().webhooks.flush();
			const note = await pollUntil(
				async () =>
					bx().state.timeline.find(
						(entry) =>
							entry.kind === 'comment' &&
							entry.entityTypeId === 4 &&
							entry.entityId === company.ID &&
							entry.comment.includes(victim.id),
					),
				{ what: 'the deletion note in the timeline', timeoutMs: 60_000 },
			);
			expect(note.kind === 'comment' && note.comment).toContain('in LexOffice gelöscht');
			expect(bx().state.companies.find((row) => row.ID === company.ID)).toBeDefined();
		});
	});

	it('a partly failed import still reaches the statistics and the notification (messy data, docs/data-quality.md)', async () => {
		// As LexOffice may really send them: a company without name (fails alone), nulls everywhere, an extended country code.
		const nameless = {
			id: randomUUID(),
			organizationId: randomUUID(),
			version: 1,
			roles: { customer: { number: 99001 } },
			company: { name: ' ', taxNumber: null, contactPersons: null },
			addresses: { billing: null, shipping: null },
			emailAddresses: { business: null },
			note: null,
			archived: false,
		};
		const canary = {
			id: randomUUID(),
			organizationId: randomUUID(),
			version: 1,
			roles: { customer: { number: 99002 } },
			person: { salutation: null, firstName: 'Carmen', lastName: 'Suárez' },
			addresses: { billing: [{ street: 'Calle Mayor 3', zip: '35001', city: 'Las Palmas', countryCode: 'ES_CN' }] },
			emailAddresses: { business: ['carmen@example.es'], private: null },
			note: null,
			archived: false,
		};
		for (const contact of [nameless, canary]) lx().state.contacts.set(contact.id, contact as never);
		const execution = await runImport();
		expect(execution.data?.resultData.lastNodeExecuted).toBe('Import statistics');
		const statistics = statisticsOf(execution);
		expect(statistics).toMatchObject({ companies: { failed: 1 }, contacts: { created: 1, failed: 0 } });
		expect(statistics.failures).toEqual([
			{ lexofficeId: nameless.id, name: null, error: `LexOffice contact ${nameless.id}: company.name is empty` },
		]);
		expect(bx().state.notifications.at(-1)?.message).toContain(`Fehler bei ${nameless.id}`);
		const record = bx().state.contacts.find((row) => row.ORIGIN_ID === canary.id) as Row;
		const requisite = bx().state.requisites.find(
			(row) => row.ENTITY_TYPE_ID === 3 && row.ENTITY_ID === record.ID,
		) as Row;
		expect(bx().state.addresses.find((row) => row.ENTITY_ID === requisite.ID)).toMatchObject({
			COUNTRY_CODE: 'ES',
			PROVINCE: 'Kanarische Inseln',
			CITY: 'Las Palmas',
		});
	});
});
