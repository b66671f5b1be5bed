/**
 * Writes whose answer was lost (issue #10, item 4): the Bitrix24 sandbox fails requests with
 * 500/502/503/504 or a reset connection, before they are processed or after (answer lost). Sync
 * Contacts, Create or Update and Requisite Create or Update settle such writes by reading back
 * (ORIGIN_ID, requisite XML_ID, address type + owner) and end exactly where a fault-free run ends.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { crmSnapshot, startBitrix24Sandbox, type Bitrix24Sandbox, type CrmSnapshot } from '../../../sandbox/bitrix24';
import type { FailNextRule } from '../../../sandbox/common';
import { generateLexofficeContacts, type SeedContact } from '../../../sandbox/seed';
import { mapperValue, runBitrix24, writeRequests } from '../crm/helpers';
import { restCalls } from '../helpers';

const asItems = (contacts: SeedContact[]): INodeExecutionData[] =>
	contacts.map((contact) => ({ json: structuredClone(contact) as unknown as IDataObject }));
const actions = (json: IDataObject[]) => json.map((outcome) => outcome.action);

describe('Sync Contacts and the upserts under faults', () => {
	// Faulted reads are retried after a real backoff (up to a few seconds each).
	jest.setTimeout(180_000);
	let sb: Bitrix24Sandbox;
	beforeAll(async () => (sb = await startBitrix24Sandbox({ limits: 'off' })));
	afterAll(async () => await sb.close());
	beforeEach(() => {
		sb.reset();
		sb.setFaults({});
		sb.requests.clear();
	});

	const sync = async (contacts: SeedContact[]) =>
		await runBitrix24(sb, {
			parameters: {
				resource: 'lexofficeSync',
				operation: 'syncContacts',
				contact: '={{ $json }}',
				responsibleUserId: '3',
			},
			items: asItems(contacts),
		});
	const referenceOf = async (contacts: SeedContact[]): Promise<CrmSnapshot> => {
		sb.reset();
		await sync(contacts);
		const snapshot = structuredClone(crmSnapshot(sb.state));
		sb.reset();
		sb.requests.clear();
		return snapshot;
	};

	it('5 % faults during an initial import of 300 contacts: every contact exactly once and complete, and a second run writes nothing', async () => {
		const contacts = generateLexofficeContacts(300, 21);
		const reference = await referenceOf(contacts);

		// Seed 2 gives five faults in this run: 500, 502, 503 and two resets, three of them after processing.
		sb.setFaults({ rate: 0.05, seed: 2 });
		const first = await sync(contacts);
		const injected = sb.faultStats();
		sb.setFaults({});

		// The faults really happened, both kinds, and some struck writes after they were processed.
		expect(injected.beforeProcessing).toBeGreaterThan(0);
		expect(injected.afterProcessing).toBeGreaterThan(0);
		expect(restCalls(sb).filter((call) => call.processed && call.path.endsWith('/batch')).length).toBeGreaterThan(0);
		expect(first.json.filter((outcome) => outcome.action === 'failed')).toEqual([]);
		expect(first.json.some((outcome) => outcome.settledByReadBack === true)).toBe(true);
		expect(crmSnapshot(sb.state)).toEqual(reference);

		sb.requests.clear();
		const second = await sync(contacts);
		expect(writeRequests(sb)).toHaveLength(0);
		expect(new Set(actions(second.json))).toEqual(new Set(['unchanged', 'skipped']));
	});

	describe('one lost answer, settled by reading back', () => {
		const contacts = generateLexofficeContacts(12, 5).filter((contact) => !contact.archived);
		const companyWrite = (rule: Partial<FailNextRule>): FailNextRule => ({
			pathIncludes: '/batch',
			bodyIncludes: 'crm.company.add',
			...rule,
		});
		const cases: Array<[string, FailNextRule]> = [
			['504 after the write batch was processed', companyWrite({ status: 504, afterProcessing: true })],
			[
				'a reset connection after the write batch was processed',
				companyWrite({ dropConnection: true, afterProcessing: true }),
			],
			['502 before the write batch reached Bitrix24', companyWrite({ status: 502 })],
			[
				'500 after the ORIGIN_VERSION stamps were written',
				{ pathIncludes: '/batch', bodyIncludes: 'fields%5BORIGIN_VERSION%5D', status: 500, afterProcessing: true },
			],
		];

		it.each(cases)('%s: reported created, nothing twice, state as without the fault', async (_name, rule) => {
			const reference = await referenceOf(contacts);
			sb.setFaults({ failNext: [rule] });
			const { json } = await sync(contacts);

			expect(restCalls(sb).filter((call) => call.fault)).toHaveLength(1);
			expect(new Set(actions(json))).toEqual(new Set(['created']));
			expect(json.some((outcome) => outcome.settledByReadBack === true)).toBe(true);
			expect(crmSnapshot(sb.state)).toEqual(reference);
			// The uncertain write batch itself was not sent again blindly when it had been processed.
			if (rule.afterProcessing && rule.bodyIncludes === 'crm.company.add') {
				const companyAdds = restCalls(sb).filter((call) => call.batchMethods?.includes('crm.company.add'));
				expect(companyAdds).toHaveLength(1);
			}
		});
	});

	it('Create or Update: a lost answer to crm.contact.add ends with one contact, reported created', async () => {
		sb.setFaults({
			failNext: [{ pathIncludes: '/batch', bodyIncludes: 'crm.contact.add', status: 502, afterProcessing: true }],
		});
		const recordFields = (await mapperValue(sb, 'contact', 'upsert', {
			NAME: '={{ $json.name }}',
		})) as unknown as INodeParameters[string];
		const { json } = await runBitrix24(sb, {
			parameters: {
				resource: 'contact',
				operation: 'upsert',
				originId: '={{ $json.id }}',
				originVersion: '1',
				recordFields,
			},
			items: [{ json: { id: 'ext-1', name: 'Jürgen' } }, { json: { id: 'ext-2', name: 'Zoë' } }],
		});
		expect(json.map((outcome) => [outcome.action, outcome.settledByReadBack])).toEqual([
			['created', true],
			['created', true],
		]);
		expect(sb.state.contacts.filter((row) => String(row.ORIGIN_ID).startsWith('ext-'))).toHaveLength(2);
		expect(json.map((outcome) => outcome.id)).toEqual(
			sb.state.contacts.filter((row) => String(row.ORIGIN_ID).startsWith('ext-')).map((row) => row.ID),
		);
	});

	it('a write that stays uncertain is reported failed and marked uncertain, not repeated blindly', async () => {
		const contacts = generateLexofficeContacts(3, 5).filter((contact) => !contact.archived && contact.company);
		sb.setFaults({ failNext: [{ pathIncludes: '/batch', bodyIncludes: '.add', status: 504, times: 100 }] });
		const { json } = await sync(contacts.slice(0, 1));
		expect(json[0]).toMatchObject({ action: 'failed', uncertain: true, attemptedAction: 'created' });
		expect(String(json[0].error)).toMatch(/may or may not have been carried out/);
		// The first attempt and one per settling round, each after a fresh read-back.
		expect(restCalls(sb).filter((call) => call.fault)).toHaveLength(4);
		expect(sb.state.companies).toHaveLength(0);
	});
});
