import { NodeOperationError } from 'n8n-workflow';

import { Bitrix24 } from '../../../nodes/Bitrix24/Bitrix24.node';
import { runNode } from '../../helpers/n8nContext';
import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../sandbox/bitrix24';
import { credentialsFor, restCalls, webhookCredentials } from './helpers';

describe('Call Method → Batch', () => {
	let sb: Bitrix24Sandbox;
	beforeAll(async () => {
		sb = await startBitrix24Sandbox({ limits: 'off' });
	});
	afterAll(async () => await sb.close());

	const run = async (commands: unknown, halt = false) =>
		await runNode(new Bitrix24(), {
			parameters: { resource: 'callMethod', operation: 'batch', commands: JSON.stringify(commands), halt },
			credentials: credentialsFor('webhook', webhookCredentials(sb)),
		});

	it('runs 60 commands in two batch requests, with $result references and a failing command reported alone', async () => {
		const before = restCalls(sb).length;
		const contacts = Array.from({ length: 58 }, (_, i) => ({
			key: `c${i}`,
			method: 'crm.contact.add',
			params: { fields: { NAME: 'Jürgen', LAST_NAME: `Batch ${i}` } },
		}));
		const [[item]] = await run([
			...contacts,
			{ key: 'broken', method: 'crm.contact.get', params: { id: 999999 } },
			{ key: 'again', method: 'crm.contact.get', params: { id: '$result[c57]' } },
		]);

		const results = item.json.results as Record<string, { ok: boolean; result?: unknown; description?: string }>;
		expect(Object.keys(results)).toHaveLength(60);
		expect(Object.values(results).filter((r) => r.ok)).toHaveLength(59);
		expect(results.broken).toMatchObject({ ok: false, description: expect.any(String) });
		const createdId = results.c57.result;
		expect(results.again).toMatchObject({ ok: true, result: { ID: String(createdId), LAST_NAME: 'Batch 57' } });
		expect(sb.state.contacts.filter((contact) => String(contact.LAST_NAME).startsWith('Batch '))).toHaveLength(58);
		expect(
			restCalls(sb)
				.slice(before)
				.map((call) => call.label),
		).toEqual(['batch', 'batch']);
	});

	it('refuses a malformed command list before sending anything, naming the problem', async () => {
		const before = restCalls(sb).length;
		await expect(
			run([
				{ key: 'a', method: 'user.current' },
				{ key: 'a', method: 'profile' },
			]),
		).rejects.toThrow(/key "a" is used twice/);
		await expect(run([{ key: 'bad key', method: 'user.current' }])).rejects.toBeInstanceOf(NodeOperationError);
		await expect(run([])).rejects.toThrow(/empty/);
		expect(restCalls(sb).length).toBe(before);
	});
});
