import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { bitrix24Batch, bitrix24Paginate, bitrix24ScanAll, collectRows } from '../../../nodes/Bitrix24/transport';
import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../sandbox/bitrix24';
import { executeContext, restCalls, webhookCredentials } from './helpers';

/** An ExecuteContext whose real httpRequestWithAuthentication also records each request body. */
function recordingContext(sb: Bitrix24Sandbox) {
	const context = executeContext('webhook', webhookCredentials(sb));
	const bodies: IDataObject[] = [];
	const real = context.helpers.httpRequestWithAuthentication;
	context.helpers.httpRequestWithAuthentication = async function (
		this: unknown,
		type: string,
		options: IHttpRequestOptions,
	) {
		bodies.push(JSON.parse(options.body as string) as IDataObject);
		return await real.call(this as never, type, options);
	} as typeof real;
	return { context, bodies };
}

describe('paging helpers against the sandbox', () => {
	let sb: Bitrix24Sandbox;
	const contactIds: number[] = [];

	beforeAll(async () => {
		sb = await startBitrix24Sandbox({ limits: 'off' });
		const commands = Array.from({ length: 123 }, (_, i) => ({
			key: `c${i}`,
			method: 'crm.contact.add',
			params: { fields: { NAME: `Scan${i}`, LAST_NAME: i % 2 ? 'Gerade' : 'Ungerade' } },
		}));
		const results = await bitrix24Batch.call(executeContext('webhook', webhookCredentials(sb)), commands);
		for (const result of Object.values(results)) if (result.ok) contactIds.push(Number(result.result));
	});
	afterAll(async () => await sb.close());
	beforeEach(() => sb.requests.clear());

	it('fast-scans crm.contact.list by >ID with start=-1: ceil(n/50) requests, every row once, in order', async () => {
		const total = sb.state.contacts.length;
		expect(total).toBeGreaterThanOrEqual(123);
		const { context, bodies } = recordingContext(sb);
		const pages: IDataObject[][] = [];
		for await (const page of bitrix24ScanAll.call(context, 'crm.contact.list', { select: ['ID', 'NAME'] }))
			pages.push(page);

		const ids = pages.flat().map((row) => Number(row.ID));
		expect(ids).toEqual(sb.state.contacts.map((contact) => Number(contact.ID)).sort((a, b) => a - b));
		expect(restCalls(sb)).toHaveLength(Math.ceil(total / 50) + (total % 50 === 0 ? 1 : 0));
		expect(restCalls(sb).every((call) => call.method === 'POST' && call.transport === 'json')).toBe(true);
		expect(bodies.map((body) => body.start)).toEqual(bodies.map(() => -1));
		expect(bodies.map((body) => body.order)).toEqual(bodies.map(() => ({ ID: 'ASC' })));
		expect(bodies.map((body) => (body.filter as IDataObject)['>ID'])).toEqual([
			0,
			...pages.slice(0, -1).map((page) => Number(page.at(-1)?.ID)),
		]);
	});

	it("keeps the caller's filter; an exactly full last page costs one more request", async () => {
		const { context, bodies } = recordingContext(sb);
		const sorted = [...contactIds].sort((a, b) => a - b);
		const rows = await collectRows(
			bitrix24ScanAll.call(context, 'crm.contact.list', {
				filter: { '>=ID': sorted[0], '<=ID': sorted[99] },
				select: ['ID'],
			}),
		);
		expect(rows.map((row) => Number(row.ID))).toEqual(sorted.slice(0, 100));
		expect(bodies).toHaveLength(3);
		expect(bodies.every((body) => (body.filter as IDataObject)['<=ID'] === sorted[99])).toBe(true);
	});

	it('scans crm.item.list (camelCase id, result.items) and stops at a limit', async () => {
		const { context, bodies } = recordingContext(sb);
		const rows = await collectRows(
			bitrix24ScanAll.call(context, 'crm.item.list', { entityTypeId: 3, select: ['id', 'name'] }, { limit: 60 }),
		);
		expect(rows).toHaveLength(60);
		expect(rows.map((row) => Number(row.id))).toEqual([...contactIds].sort((a, b) => a - b).slice(0, 60));
		expect(bodies.map((body) => [body.order, body.entityTypeId])).toEqual([
			[{ id: 'ASC' }, 3],
			[{ id: 'ASC' }, 3],
		]);
	});

	it('pages user.get with start/next', async () => {
		const { context, bodies } = recordingContext(sb);
		const active = sb.state.users.filter((user) => user.ACTIVE).length;
		const rows = await collectRows(bitrix24Paginate.call(context, 'user.get', { FILTER: { ACTIVE: true } }));
		expect(rows).toHaveLength(active);
		expect(new Set(rows.map((row) => row.ID)).size).toBe(active);
		expect(bodies.map((body) => body.start)).toEqual(Array.from({ length: Math.ceil(active / 50) }, (_, i) => i * 50));
	});
});
