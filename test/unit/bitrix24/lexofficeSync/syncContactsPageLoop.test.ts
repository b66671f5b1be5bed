/**
 * Sync Contacts in the contacts workflow's page loop: each LexOffice page is a new run of the node
 * in the same execution. The portal's setup — its company and contact field lists, its requisite
 * templates, the responsible user — is read once per execution and credential, not once per page;
 * another execution, or another portal in the same execution, reads its own.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../../sandbox/bitrix24';
import { generateLexofficeContacts, type SeedContact } from '../../../sandbox/seed';
import { Bitrix24 } from '../../../../nodes/Bitrix24/Bitrix24.node';
import { forgetSettled } from '../../../../nodes/Bitrix24/actions/lexofficeSync/contactVersions';
import { createLoopRunner } from '../../../helpers/n8nContext';
import { credentialsFor, restCalls, webhookCredentials } from '../helpers';

const SETUP_READS = ['crm.company.fields', 'crm.contact.fields', 'crm.requisite.preset.list', 'user.get'];

const live = generateLexofficeContacts(40, 11).filter((contact) => !contact.archived);
const pages = [live.slice(0, 15), live.slice(15, 30)];
const persons = live.filter((contact) => contact.person);
const asItems = (contacts: SeedContact[]): INodeExecutionData[] =>
	contacts.map((contact) => ({ json: structuredClone(contact) as unknown as IDataObject }));

/** How many requests the sandbox got that read `method` (alone, or inside a batch). */
function requestsReading(sb: Bitrix24Sandbox, method: string): number {
	return restCalls(sb).filter((call) =>
		call.path.endsWith('/batch')
			? (call.batchMethods ?? []).includes(method)
			: call.path.replace(/\.json$/, '').endsWith(`/${method}`),
	).length;
}
const setupReads = (sb: Bitrix24Sandbox) =>
	Object.fromEntries(SETUP_READS.map((method) => [method, requestsReading(sb, method)]));
const once = Object.fromEntries(SETUP_READS.map((method) => [method, 1]));

/** The Sync Contacts node of the contacts workflow, run page after page like its loop does. */
const syncLoop = (sb: Bitrix24Sandbox, extra: INodeParameters = {}, executionId?: string) =>
	createLoopRunner(new Bitrix24(), {
		parameters: {
			authentication: 'webhook',
			resource: 'lexofficeSync',
			operation: 'syncContacts',
			contact: '={{ $json }}',
			responsibleUserId: '3',
			...extra,
		},
		credentials: credentialsFor('webhook', webhookCredentials(sb)),
		typeVersion: 1,
		executionId,
	});

/** A custom contact field an administrator adds in Bitrix24's settings. */
function addContactField(sb: Bitrix24Sandbox, name: string): void {
	sb.state.userFields.push({
		ID: 300 + sb.state.userFields.length,
		ENTITY_ID: 'CRM_CONTACT',
		FIELD_NAME: name,
		USER_TYPE_ID: 'string',
		MULTIPLE: 'N',
		MANDATORY: 'N',
		LABEL: name,
		XML_ID: null,
	});
}
const TAG_FIELD = 'UF_CRM_LEXOFFICE_TAG';
const tagMapping = { contactFields: { mappingMode: 'defineBelow', value: { [TAG_FIELD]: '={{ $json.id }}' } } };

describe('Sync Contacts in the page loop: the portal setup is read once per execution', () => {
	let sb: Bitrix24Sandbox;
	beforeAll(async () => (sb = await startBitrix24Sandbox({ limits: 'off' })));
	afterAll(async () => await sb.close());
	beforeEach(() => {
		sb.reset();
		forgetSettled();
	});

	it('two pages of one execution read the field lists, the requisite templates and the responsible user once', async () => {
		const loop = syncLoop(sb);
		sb.requests.clear();
		const first = await loop.run(asItems(pages[0]));
		const second = await loop.run(asItems(pages[1]));
		expect(setupReads(sb)).toEqual(once);

		// Both pages were written in full, under the same mapping stamp (`<version>/<settings hash>`).
		expect([...first, ...second].map((item) => item.json.action)).toEqual(
			[...pages[0], ...pages[1]].map(() => 'created'),
		);
		const ids = new Set([...pages[0], ...pages[1]].map((contact) => contact.id));
		const synced = [...sb.state.companies, ...sb.state.contacts].filter((record) => ids.has(String(record.ORIGIN_ID)));
		expect(synced).toHaveLength(ids.size);
		expect(new Set(synced.map((record) => String(record.ORIGIN_VERSION).split('/')[1])).size).toBe(1);

		// A later page that only finds its contacts unchanged still reads nothing of the setup again.
		sb.requests.clear();
		const third = await loop.run(asItems(pages[0]));
		expect(third.every((item) => item.json.action === 'unchanged')).toBe(true);
		expect(setupReads(sb)).toEqual(Object.fromEntries(SETUP_READS.map((method) => [method, 0])));
	});

	it('another Sync Contacts node of the same execution keeps its own settings: a changed template reaches every contact', async () => {
		const importing = syncLoop(sb, {}, 'import');
		for (const page of pages) await importing.run(asItems(page));
		const otherTemplate = String(sb.state.presets.find((preset) => preset.XML_ID === '')?.ID);
		const rewriting = syncLoop(sb, { contactPresetId: otherTemplate }, 'import');
		sb.requests.clear();
		const outputs = [...(await rewriting.run(asItems(pages[0]))), ...(await rewriting.run(asItems(pages[1])))];
		// The settings hash changed, so every contact of both pages is written again, templates and all.
		expect(outputs.map((item) => item.json.action)).toEqual([...pages[0], ...pages[1]].map(() => 'updated'));
		const personIds = new Set(
			sb.state.contacts
				.filter((row) => persons.some((person) => person.id === row.ORIGIN_ID))
				.map((row) => Number(row.ID)),
		);
		const personRequisites = sb.state.requisites.filter(
			(row) => row.ENTITY_TYPE_ID === 3 && personIds.has(Number(row.ENTITY_ID)),
		);
		expect(personRequisites.length).toBeGreaterThan(0);
		expect(personRequisites.every((row) => String(row.PRESET_ID) === otherTemplate)).toBe(true);
		expect(requestsReading(sb, 'crm.contact.fields')).toBe(0);
	});

	it('a new execution reads the setup again: a field added in Bitrix24 meanwhile can be filled', async () => {
		const loop = syncLoop(sb, tagMapping);
		const page = persons.slice(0, 4);
		sb.requests.clear();
		const before = await loop.run(asItems(page));
		expect(before.map((item) => item.json.action)).toEqual(page.map(() => 'failed'));
		expect(String(before[0].json.error)).toContain(TAG_FIELD);

		addContactField(sb, TAG_FIELD);
		loop.restart(); // the same workflow and node, the next execution
		const after = await loop.run(asItems(page));
		expect(after.map((item) => item.json.action)).toEqual(page.map(() => 'created'));
		expect(page.map((contact) => sb.state.contacts.find((row) => row.ORIGIN_ID === contact.id)?.[TAG_FIELD])).toEqual(
			page.map((contact) => contact.id),
		);
		expect(requestsReading(sb, 'crm.contact.fields')).toBe(2);
	});

	describe('two portals in one execution', () => {
		let other: Bitrix24Sandbox;
		beforeAll(async () => (other = await startBitrix24Sandbox({ limits: 'off' })));
		afterAll(async () => await other.close());
		beforeEach(() => other.reset());

		it("never hands one portal's field list or templates to the other's credential", async () => {
			addContactField(other, TAG_FIELD);
			// One execution with a Sync Contacts node per portal (the same execution id).
			const here = syncLoop(sb, tagMapping, 'one-execution');
			const there = syncLoop(other, tagMapping, 'one-execution');
			sb.requests.clear();
			other.requests.clear();

			const page = persons.slice(0, 3);
			expect((await here.run(asItems(page))).map((item) => item.json.action)).toEqual(page.map(() => 'failed'));
			expect((await there.run(asItems(page))).map((item) => item.json.action)).toEqual(page.map(() => 'created'));
			expect((await here.run(asItems(page))).map((item) => item.json.action)).toEqual(page.map(() => 'failed'));
			expect(other.state.contacts.filter((row) => row[TAG_FIELD])).toHaveLength(3);
			expect(sb.state.contacts).toHaveLength(0);
			expect(requestsReading(sb, 'crm.contact.fields')).toBe(1);
			expect(requestsReading(other, 'crm.contact.fields')).toBe(1);
			expect(requestsReading(other, 'crm.requisite.preset.list')).toBe(1);
		});
	});
});
