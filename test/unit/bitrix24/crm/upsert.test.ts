import { randomUUID } from 'node:crypto';

import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../../sandbox/bitrix24';
import { restCalls, webhookCredentials } from '../helpers';
import { addRecord, batchRequests, emailsOf, mapperValue, runBitrix24, writeRequests } from './helpers';
import { HEAVY_TEST_TIMEOUT_MS } from '../../../helpers/timeouts';

interface ExternalContact {
	id: string;
	version: number;
	firstName: string;
	lastName: string;
	email: string;
}

const people = (count: number, prefix = 'p'): ExternalContact[] =>
	Array.from({ length: count }, (_, index) => ({
		id: randomUUID(),
		version: 1,
		firstName: `Vorname${index}`,
		lastName: `Nachname${index}`,
		email: `${prefix}${index}@beispiel.de`,
	}));

const asItems = (rows: object[]): INodeExecutionData[] => rows.map((row) => ({ json: { ...row } as IDataObject }));
const actions = (json: IDataObject[]) =>
	json.reduce<Record<string, number>>(
		(counts, row) => ({ ...counts, [String(row.action)]: (counts[String(row.action)] ?? 0) + 1 }),
		{},
	);

describe('Contact/Company → Create or Update (batched, idempotent upsert)', () => {
	let sb: Bitrix24Sandbox;
	let contactFields: INodeParameters[string];
	beforeAll(async () => {
		sb = await startBitrix24Sandbox({ limits: 'off' });
		contactFields = (await mapperValue(sb, 'contact', 'upsert', {
			NAME: '={{ $json.firstName }}',
			LAST_NAME: '={{ $json.lastName }}',
			EMAIL: '={{ [$json.email] }}',
		})) as unknown as INodeParameters[string];
	});
	afterAll(async () => await sb.close());
	beforeEach(() => {
		sb.reset();
		sb.setLimits('off');
	});

	const contactParameters = (extra: INodeParameters = {}): INodeParameters => ({
		resource: 'contact',
		operation: 'upsert',
		originId: '={{ $json.id }}',
		originVersion: '={{ $json.version }}',
		recordFields: contactFields,
		matching: { rules: [{ by: 'email', value: '' }] },
		...extra,
	});
	const upsertContacts = async (rows: object[], extra: INodeParameters = {}, continueOnFail = false) => {
		sb.requests.clear();
		return await runBitrix24(sb, { parameters: contactParameters(extra), items: asItems(rows), continueOnFail });
	};

	it(
		'the same 500 contacts three times: 500 records; reruns write nothing; changed versions update only those',
		async () => {
			const input = people(500);

			const first = await upsertContacts(input);
			expect(actions(first.json)).toEqual({ created: 500 });
			expect(sb.state.contacts).toHaveLength(500);
			expect(first.json[7]).toEqual({
				action: 'created',
				id: expect.any(Number),
				entityType: 'contact',
				originId: input[7].id,
				originVersion: '1',
			});
			expect(sb.state.contacts.find((record) => record.ID === first.json[7].id)).toMatchObject({
				ORIGINATOR_ID: 'lexoffice',
				ORIGIN_ID: input[7].id,
				ORIGIN_VERSION: '1',
				NAME: 'Vorname7',
			});
			// Budget: ceil(500 / 50) write requests plus the lookups (external ids + fields, e-mail search).
			const writes = writeRequests(sb);
			expect(writes.map((call) => call.batchCommands)).toEqual(Array(10).fill(50));
			const lookups = restCalls(sb).length - writes.length;
			expect(lookups).toBe(2);
			expect(restCalls(sb).length).toBeLessThanOrEqual(Math.ceil(1.1 * (Math.ceil(500 / 50) + lookups)));
			expect(restCalls(sb).every((call) => call.method === 'POST' && call.transport === 'json')).toBe(true);

			const second = await upsertContacts(input);
			expect(actions(second.json)).toEqual({ unchanged: 500 });
			expect(second.json.map((row) => row.id)).toEqual(first.json.map((row) => row.id));
			expect(writeRequests(sb)).toHaveLength(0);
			expect(restCalls(sb)).toHaveLength(1);

			const changed = new Set([3, 77, 250, 251, 499]);
			const third = await upsertContacts(
				input.map((row, index) => (changed.has(index) ? { ...row, version: 2, lastName: `Geändert${index}` } : row)),
			);
			expect(actions(third.json)).toEqual({ unchanged: 495, updated: 5 });
			expect(third.json.flatMap((row, index) => (row.action === 'updated' ? [index] : []))).toEqual([...changed]);
			expect(writeRequests(sb).map((call) => call.batchCommands)).toEqual([5]);
			expect(sb.state.contacts).toHaveLength(500);
			const updated = sb.state.contacts.find((record) => record.ID === third.json[77].id);
			expect(updated).toMatchObject({ LAST_NAME: 'Geändert77', ORIGIN_VERSION: '2' });
			expect(emailsOf(updated)).toEqual(['p77@beispiel.de']);
		},
		HEAVY_TEST_TIMEOUT_MS,
	);

	it('secondary match by e-mail adopts an existing record and stores the external id; lowest ID wins', async () => {
		const older = await addRecord(sb, 'crm.contact.add', {
			NAME: 'Alt',
			EMAIL: [{ VALUE: 'Anna@Beispiel.de', VALUE_TYPE: 'HOME' }],
		});
		const newer = await addRecord(sb, 'crm.contact.add', {
			NAME: 'Neu',
			EMAIL: [{ VALUE: 'anna@beispiel.de', VALUE_TYPE: 'WORK' }],
		});
		const taken = await addRecord(sb, 'crm.contact.add', {
			NAME: 'Fremd',
			EMAIL: [{ VALUE: 'bert@beispiel.de' }],
			ORIGINATOR_ID: 'lexoffice',
			ORIGIN_ID: 'some-other-contact',
		});
		const [anna, bert] = people(2);
		anna.email = 'anna@beispiel.de';
		bert.email = 'bert@beispiel.de';

		const { json } = await upsertContacts([anna, bert]);
		expect(json[0]).toMatchObject({ action: 'matched', id: older, matchedBy: 'email', duplicatesFound: [newer] });
		// bert's address belongs to a record of another external contact: not taken, a new one is made.
		expect(json[1]).toMatchObject({ action: 'created' });
		expect(json[1].id).not.toBe(taken);
		const adopted = sb.state.contacts.find((record) => record.ID === older);
		expect(adopted).toMatchObject({
			ORIGINATOR_ID: 'lexoffice',
			ORIGIN_ID: anna.id,
			ORIGIN_VERSION: '1',
			NAME: anna.firstName,
		});
		expect(emailsOf(adopted)).toEqual(['anna@beispiel.de']);
		expect(sb.state.contacts.find((record) => record.ID === newer)?.ORIGIN_ID).toBeUndefined();

		const again = await upsertContacts([anna, bert]);
		expect(again.json.map((row) => [row.action, row.id])).toEqual([
			['unchanged', older],
			['unchanged', json[1].id],
		]);
	});

	it('matches by a customer-number field, or by the VAT ID in a company requisite', async () => {
		const customer = await addRecord(sb, 'crm.contact.add', { NAME: 'Kunde', UF_CRM_KUNDENNUMMER: 'K-10042' });
		const [person] = people(1);
		const { json } = await upsertContacts([{ ...person, customerNumber: 'K-10042' }], {
			matching: {
				rules: [
					{ by: 'email', value: '' },
					{ by: 'field', field: 'UF_CRM_KUNDENNUMMER', value: '={{ $json.customerNumber }}' },
				],
			},
		});
		expect(json[0]).toMatchObject({ action: 'matched', id: customer, matchedBy: 'field:UF_CRM_KUNDENNUMMER' });

		const company = await addRecord(sb, 'crm.company.add', { TITLE: 'Beispiel GmbH' });
		const preset = sb.state.presets.find((candidate) => candidate.ENTITY_TYPE_ID === 8) as { ID: number };
		await addRecord(sb, 'crm.requisite.add', {
			ENTITY_TYPE_ID: 4,
			ENTITY_ID: company,
			PRESET_ID: preset.ID,
			NAME: 'Firma',
			RQ_VAT_ID: 'DE123456789',
		});
		const companyFields = await mapperValue(sb, 'company', 'upsert', { TITLE: '={{ $json.name }}' });
		sb.requests.clear();
		const { json: companies } = await runBitrix24(sb, {
			parameters: {
				resource: 'company',
				operation: 'upsert',
				originId: '={{ $json.id }}',
				originVersion: '={{ $json.version }}',
				recordFields: companyFields,
				matching: { rules: [{ by: 'requisiteField', requisiteField: 'RQ_VAT_ID', value: '={{ $json.vatId }}' }] },
			},
			items: asItems([{ id: 'lx-company-1', version: 4, name: 'Beispiel GmbH & Co. KG', vatId: 'de123456789' }]),
		});
		expect(companies[0]).toMatchObject({
			action: 'matched',
			id: company,
			matchedBy: 'requisite:RQ_VAT_ID',
			entityType: 'company',
		});
		expect(sb.state.companies).toHaveLength(1);
		expect(sb.state.companies[0]).toMatchObject({
			TITLE: 'Beispiel GmbH & Co. KG',
			ORIGIN_ID: 'lx-company-1',
			ORIGIN_VERSION: '4',
		});
	});

	it('the same external id twice in one run is written once; both items get the same outcome', async () => {
		const [person, other] = people(2);
		const { json } = await upsertContacts([person, other, { ...person, lastName: 'Später' }]);
		expect(sb.state.contacts).toHaveLength(2);
		expect(json[0]).toEqual(json[2]);
		expect(json[0].action).toBe('created');
		expect(sb.state.contacts.find((record) => record.ID === json[0].id)?.LAST_NAME).toBe('Später');
	});

	it('several records with the same external id: the lowest ID is written, the others reported, none created', async () => {
		const [person] = people(1);
		// More copies than a page holds, so the lookup has to read a second page to see them all.
		const ids: number[] = [];
		for (let copy = 0; copy < 55; copy++) {
			ids.push(
				await addRecord(sb, 'crm.contact.add', {
					NAME: `Kopie${copy}`,
					ORIGINATOR_ID: 'lexoffice',
					ORIGIN_ID: person.id,
					ORIGIN_VERSION: '0',
				}),
			);
		}
		const { json } = await upsertContacts([person]);
		expect(json[0]).toMatchObject({ action: 'updated', id: ids[0], duplicatesFound: ids.slice(1) });
		expect(sb.state.contacts.map((record) => record.NAME)).toEqual([
			person.firstName,
			...ids.slice(1).map((_, copy) => `Kopie${copy + 1}`),
		]);
		expect(batchRequests(sb).map((call) => call.batchMethods?.[0])).toEqual([
			'crm.contact.fields',
			'crm.contact.list',
			'crm.contact.update',
		]);
	});

	it('a command Bitrix24 refuses fails only its own item, in the middle of a batch, without Continue On Fail', async () => {
		const companyFields = await mapperValue(sb, 'company', 'upsert', { TITLE: '={{ $json.name }}' });
		const rows = Array.from({ length: 60 }, (_, index) => ({
			id: `co-${index}`,
			version: 1,
			name: index === 30 ? '' : `Firma ${index} GmbH`,
		}));
		sb.requests.clear();
		const { json } = await runBitrix24(sb, {
			parameters: {
				resource: 'company',
				operation: 'upsert',
				originId: '={{ $json.id }}',
				originVersion: '={{ $json.version }}',
				recordFields: companyFields,
			},
			items: asItems(rows),
		});
		expect(json).toHaveLength(60);
		expect(actions(json)).toEqual({ created: 59, failed: 1 });
		expect(json[30]).toEqual({
			action: 'failed',
			id: null,
			entityType: 'company',
			originId: 'co-30',
			originVersion: '1',
			error: expect.stringContaining('is required'),
			errorCode: expect.any(String),
		});
		expect(sb.state.companies.map((company) => company.ORIGIN_ID)).toEqual(
			rows.filter((_, index) => index !== 30).map((row) => row.id),
		);
		expect(writeRequests(sb).map((call) => call.batchCommands)).toEqual([50, 10]);
	});

	it('Dry Run decides everything and writes nothing', async () => {
		const input = people(3);
		await upsertContacts(input.slice(0, 1));
		const { json } = await upsertContacts([{ ...input[0], version: 2 }, input[1], input[2]], {
			options: { dryRun: true },
		});
		expect(json.map((row) => [row.action, row.dryRun])).toEqual([
			['updated', true],
			['created', true],
			['created', true],
		]);
		expect(writeRequests(sb)).toHaveLength(0);
		expect(sb.state.contacts).toHaveLength(1);
		expect(sb.state.contacts[0].ORIGIN_VERSION).toBe('1');
	});

	it('an item without external id fails alone, saying which field, and the others are written', async () => {
		const input: object[] = people(3);
		input[1] = { ...input[1], id: '' };
		const { json } = await upsertContacts(input);
		expect(json.map((row) => row.action)).toEqual(['created', 'failed', 'created']);
		expect(json[1].error).toContain('External ID');
		expect(sb.state.contacts).toHaveLength(2);
	});

	it(
		"with the published limits (another client drained the portal's bucket) no 503 loses an item",
		async () => {
			// The portal's clock stands still until it has refused a call, so the drained bucket is still
			// full when our requests arrive, however slowly this machine sends them.
			const stoppedAt = Date.now();
			const started: { portal?: Bitrix24Sandbox } = {};
			let offset: number | undefined;
			const now = () => {
				const refused = started.portal && restCalls(started.portal).some((call) => call.status === 503);
				if (offset === undefined && refused) offset = Date.now() - stoppedAt;
				return offset === undefined ? stoppedAt : Date.now() - offset;
			};
			const portal = await startBitrix24Sandbox({ limits: 'published', now });
			started.portal = portal;
			try {
				for (let used = 0; used < 50; used++) await fetch(`${portal.webhookUrl}profile`, { method: 'POST' });
				const input = people(120, 'q');
				portal.requests.clear();
				const { json } = await runBitrix24(portal, {
					parameters: contactParameters(),
					items: asItems(input),
					credentials: webhookCredentials(portal, 'standard'),
				});
				expect(restCalls(portal).filter((call) => call.status === 503).length).toBeGreaterThan(0);
				expect(actions(json)).toEqual({ created: 120 });
				expect(new Set(portal.state.contacts.map((record) => record.ORIGIN_ID))).toEqual(
					new Set(input.map((row) => row.id)),
				);
				expect(batchRequests(portal).filter((call) => call.status === 200).length).toBe(2 + 3);
			} finally {
				await portal.close();
			}
		},
		HEAVY_TEST_TIMEOUT_MS,
	);
});
