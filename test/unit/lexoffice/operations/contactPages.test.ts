/**
 * Contact → Get Next Page: one page of contacts per run, as the contacts workflow's import loop
 * runs it (lexoffice-api.md §3.2: 250 per page, sorted by name, archived contacts included).
 */
import type { IDataObject } from 'n8n-workflow';

import { Lexoffice } from '../../../../nodes/Lexoffice/Lexoffice.node';
import { createLoopRunner } from '../../../helpers/n8nContext';
import { startLexofficeSandbox, type LexofficeSandbox } from '../../../sandbox/lexoffice';
import { storeNewContact } from '../../../sandbox/lexoffice/contacts';
import { sandboxCredentials } from '../helpers';

const SEEDED = 300;

const loop = (sb: LexofficeSandbox, parameters: IDataObject = {}) =>
	createLoopRunner(new Lexoffice(), {
		parameters: { resource: 'contact', operation: 'getNextPage', ...parameters },
		credentials: sandboxCredentials(sb),
		typeVersion: 1,
	});

const ids = (items: Array<{ json: IDataObject }>) => items.map((item) => item.json.id as string);

describe('LexOffice node: Contact → Get Next Page', () => {
	let sb: LexofficeSandbox;
	beforeAll(async () => {
		sb = await startLexofficeSandbox({ seed: { contacts: SEEDED, seed: 7 } });
	});
	afterAll(async () => await sb.close());
	beforeEach(() => sb.reset());

	it('reads one page per run until the last, keeping where it is in the node context, then nothing more', async () => {
		const node = loop(sb, { includeArchived: true });
		const first = await node.run();
		expect(first).toHaveLength(250);
		expect(node.context()).toMatchObject({ page: 0, lastPage: false, contactsRead: 250, totalElements: SEEDED });
		const startedAt = node.context().startedAt as string;
		expect(Number.isNaN(Date.parse(startedAt))).toBe(false);

		const second = await node.run();
		expect(second).toHaveLength(SEEDED - 250);
		expect(node.context()).toMatchObject({ page: 1, lastPage: true, contactsRead: SEEDED, startedAt });
		expect(new Set([...ids(first), ...ids(second)])).toEqual(new Set(sb.state.contacts.keys()));
		expect(sb.requests.count({ pathIncludes: '/v1/contacts' })).toBe(2);

		// Looping on after the last page reads nothing and asks LexOffice nothing.
		expect(await node.run()).toEqual([]);
		expect(sb.requests.count({ pathIncludes: '/v1/contacts' })).toBe(2);
	});

	it("starts again at the first page in a new execution, even with the last one's context", async () => {
		const node = loop(sb, { includeArchived: true });
		await node.run();
		await node.run();
		node.restart();
		const again = await node.run();
		expect(again).toHaveLength(250);
		expect(node.context()).toMatchObject({ page: 0, lastPage: false, contactsRead: 250 });
	});

	it('without archived contacts passes over a page that has only archived ones, so the loop does not stop early', async () => {
		sb.state.contacts.clear();
		for (let index = 0; index < 260; index++) {
			storeNewContact(
				sb.state,
				{ roles: { customer: {} }, company: { name: `Alt ${String(index).padStart(3, '0')}` } },
				{
					archived: true,
				},
			);
		}
		const live = storeNewContact(sb.state, { roles: { customer: {} }, company: { name: 'Zeta GmbH' } });
		const node = loop(sb);
		const page = await node.run();
		expect(ids(page)).toEqual([live.id]);
		expect(node.context()).toMatchObject({ page: 1, lastPage: true, contactsRead: 1 });
		expect(sb.requests.count({ pathIncludes: '/v1/contacts' })).toBe(2);
	});
});
