import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { Bitrix24 } from '../../../nodes/Bitrix24/Bitrix24.node';
import { runNode } from '../../helpers/n8nContext';
import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../sandbox/bitrix24';
import { caught, credentialsFor, everythingIn, oauthCredentials, restCalls, webhookCredentials } from './helpers';

describe('Bitrix24 node (run through n8n-core)', () => {
	let sb: Bitrix24Sandbox;
	let secret: string;

	beforeAll(async () => {
		sb = await startBitrix24Sandbox({ limits: 'off' });
		secret = /\/rest\/1\/([^/]+)\//.exec(sb.webhookUrl)?.[1] as string;
	});
	afterAll(async () => await sb.close());

	const webhook = () => credentialsFor('webhook', webhookCredentials(sb));

	it('User → Get Current: one item per input item, paired with it', async () => {
		const [items] = await runNode(new Bitrix24(), {
			parameters: { resource: 'user', operation: 'getCurrent' },
			credentials: webhook(),
			items: [{ json: {} }, { json: {} }],
		});
		expect(items.map((item) => [item.json.ID, item.pairedItem])).toEqual([
			['1', { item: 0 }],
			['1', { item: 1 }],
		]);
	});

	it('User → Get Current with the OAuth2 credential', async () => {
		const [items] = await runNode(new Bitrix24(), {
			parameters: { authentication: 'oAuth2', resource: 'user', operation: 'getCurrent' },
			credentials: credentialsFor('oAuth2', await oauthCredentials(sb)),
		});
		expect(items[0].json).toMatchObject({ ID: '1' });
	});

	it('User → Get Many returns active users only, up to the limit or all', async () => {
		const active = sb.state.users.filter((user) => user.ACTIVE);
		const [limited] = await runNode(new Bitrix24(), {
			parameters: { resource: 'user', operation: 'getMany', limit: 7 },
			credentials: webhook(),
		});
		expect(limited.map((item) => item.json.ID)).toEqual(active.slice(0, 7).map((user) => String(user.ID)));

		const [all] = await runNode(new Bitrix24(), {
			parameters: { resource: 'user', operation: 'getMany', returnAll: true },
			credentials: webhook(),
		});
		expect(all).toHaveLength(active.length);
		expect(all.every((item) => item.json.ACTIVE === true || item.json.ACTIVE === 'Y')).toBe(true);
		expect(all.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('User → Get Many filters by name', async () => {
		const [someone] = sb.state.users.filter((user) => user.ACTIVE).slice(-1);
		const [items] = await runNode(new Bitrix24(), {
			parameters: {
				resource: 'user',
				operation: 'getMany',
				returnAll: true,
				filters: { nameSearch: someone.LAST_NAME },
			},
			credentials: webhook(),
		});
		expect(items.length).toBeGreaterThan(0);
		expect(
			items.every(
				(item) => item.json.LAST_NAME === someone.LAST_NAME || String(item.json.NAME).includes(someone.LAST_NAME),
			),
		).toBe(true);
	});

	it('Call Method → Call passes JSON parameters and returns result and total', async () => {
		await runNode(new Bitrix24(), {
			parameters: {
				resource: 'callMethod',
				operation: 'call',
				method: 'crm.contact.add',
				parameters: '={{ JSON.stringify({ fields: { NAME: $json.name, LAST_NAME: "Aufruf" } }) }}',
			},
			credentials: webhook(),
			items: [{ json: { name: 'Käthe' } }, { json: { name: 'Björn' } }],
		});
		const [items] = await runNode(new Bitrix24(), {
			parameters: {
				resource: 'callMethod',
				operation: 'call',
				method: 'crm.contact.list',
				parameters: JSON.stringify({ filter: { LAST_NAME: 'Aufruf' }, select: ['ID', 'NAME'], order: { ID: 'ASC' } }),
			},
			credentials: webhook(),
		});
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ total: 2, result: [{ NAME: 'Käthe' }, { NAME: 'Björn' }] });
	});

	it('continueOnFail: failing items become error items, the others still run', async () => {
		const [items] = await runNode(new Bitrix24(), {
			parameters: { resource: 'callMethod', operation: 'call', method: '={{ $json.method }}', parameters: '{}' },
			credentials: webhook(),
			continueOnFail: true,
			items: [
				{ json: { method: 'user.current' } },
				{ json: { method: 'placement.bind' } },
				{ json: { method: 'no.such.method' } },
			],
		});
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].json.result).toMatchObject({ ID: '1' });
		expect(items[1].json.error).toBe('The Bitrix24 method placement.bind needs an OAuth2 local-application credential');
		expect(items[2].json.error).toMatch(/method not found/i);
		expect(JSON.stringify(items)).not.toContain(secret);
	});

	it('without continueOnFail the error names the failing item', async () => {
		const error = await caught(
			runNode(new Bitrix24(), {
				parameters: { resource: 'callMethod', operation: 'call', method: '={{ $json.method }}', parameters: '{}' },
				credentials: webhook(),
				items: [{ json: { method: 'user.current' } }, { json: { method: 'crm.contact.get' } }],
			}),
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).context.itemIndex).toBe(1);
		expect(everythingIn(error)).not.toContain(secret);
	});

	it('rejects parameters that are not a JSON object', async () => {
		const error = await caught(
			runNode(new Bitrix24(), {
				parameters: { resource: 'callMethod', operation: 'call', method: 'user.current', parameters: '[1, 2]' },
				credentials: webhook(),
			}),
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('The parameters must be a JSON object');
	});

	it('sent every request in this file as POST with a JSON body', () => {
		const calls = restCalls(sb);
		expect(calls.length).toBeGreaterThan(10);
		expect(calls.filter((call) => call.method !== 'POST' || call.transport !== 'json')).toEqual([]);
	});
});
