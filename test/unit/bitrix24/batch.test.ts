import { NodeOperationError } from 'n8n-workflow';

import { bitrix24Batch, NOT_EXECUTED, type BatchCommand } from '../../../nodes/Bitrix24/transport';
import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../sandbox/bitrix24';
import { caught, executeContext, restCalls, webhookCredentials } from './helpers';

const addContact = (key: string, name: string): BatchCommand => ({
	key,
	method: 'crm.contact.add',
	params: { fields: { NAME: name, LAST_NAME: 'Batch', OPENED: true } },
});

describe('bitrix24Batch against the sandbox', () => {
	let sb: Bitrix24Sandbox;

	beforeAll(async () => {
		sb = await startBitrix24Sandbox({ limits: 'off' });
	});
	afterAll(async () => await sb.close());
	beforeEach(() => {
		sb.requests.clear();
		sb.setFaults({});
	});

	const context = () => executeContext('webhook', webhookCredentials(sb));
	const contactsNamed = (name: string) => sb.state.contacts.filter((contact) => contact.NAME === name);

	it('resolves $result references between commands of one request', async () => {
		const results = await bitrix24Batch.call(context(), [
			addContact('c', 'Lieselotte'),
			{ key: 'g', method: 'crm.contact.get', params: { id: '$result[c]' } },
			{ key: 'l', method: 'crm.contact.list', params: { filter: { ID: '$result[c]' }, select: ['ID', 'NAME'] } },
			{ key: 'again', method: 'crm.contact.get', params: { id: '$result[l][0][ID]' } },
		]);
		expect(results.c).toEqual({ ok: true, result: expect.any(Number) });
		const id = String((results.c as { result: number }).result);
		expect(results.g).toMatchObject({ ok: true, result: { ID: id, NAME: 'Lieselotte', LAST_NAME: 'Batch' } });
		expect(results.l).toMatchObject({ ok: true, result: [{ ID: id, NAME: 'Lieselotte' }], total: 1 });
		expect(results.again).toMatchObject({ ok: true, result: { ID: id } });
		expect(restCalls(sb)).toEqual([
			expect.objectContaining({ label: 'batch', method: 'POST', transport: 'json', batchCommands: 4, status: 200 }),
		]);
	});

	it('reports each failing command and keeps its neighbours', async () => {
		const results = await bitrix24Batch.call(context(), [
			addContact('before', 'Nachbar1'),
			{ key: 'broken', method: 'crm.contact.add', params: { fields: 'no object' } },
			{ key: 'missing', method: 'crm.contact.get', params: { id: 999999 } },
			addContact('after', 'Nachbar2'),
		]);
		expect(results.before.ok).toBe(true);
		expect(results.after.ok).toBe(true);
		expect(results.broken).toEqual({ ok: false, error: '', description: "Parameter 'fields' must be array." });
		expect(results.missing).toMatchObject({ ok: false, description: 'Not found' });
		expect(contactsNamed('Nachbar1')).toHaveLength(1);
		expect(contactsNamed('Nachbar2')).toHaveLength(1);
	});

	it('splits more than 50 commands into requests of at most 50 and loses none', async () => {
		const commands = Array.from({ length: 120 }, (_, i) => addContact(`k${i}`, `Viele${i}`));
		const results = await bitrix24Batch.call(context(), commands);
		expect(Object.keys(results).sort()).toEqual(commands.map((c) => c.key).sort());
		expect(Object.values(results).every((result) => result.ok)).toBe(true);
		expect(restCalls(sb).map((call) => call.batchCommands)).toEqual([50, 50, 20]);
		const ids = new Set(Object.values(results).map((r) => (r as { result: number }).result));
		expect(ids.size).toBe(120);
		expect(sb.state.contacts.filter((c) => String(c.NAME).startsWith('Viele'))).toHaveLength(120);
	});

	it('with halt stops at the first failure and reports the rest as not executed, across requests', async () => {
		const commands = [
			addContact('h0', 'Halt0'),
			{ key: 'bad', method: 'crm.contact.add', params: { fields: 'no object' } },
			addContact('h2', 'Halt2'),
			...Array.from({ length: 60 }, (_, i) => addContact(`later${i}`, 'HaltLater')),
		];
		const results = await bitrix24Batch.call(context(), commands, { halt: true });
		expect(results.h0.ok).toBe(true);
		expect(results.bad).toMatchObject({ ok: false, description: "Parameter 'fields' must be array." });
		expect(results.h2).toMatchObject({ ok: false, error: NOT_EXECUTED });
		expect(results.later59).toMatchObject({
			ok: false,
			error: NOT_EXECUTED,
			description: expect.stringMatching(/Not sent/),
		});
		expect(Object.keys(results)).toHaveLength(commands.length);
		expect(restCalls(sb)).toHaveLength(1);
		expect(contactsNamed('Halt2')).toHaveLength(0);
		expect(contactsNamed('HaltLater')).toHaveLength(0);
	});

	it('refuses app-context methods with a webhook before sending anything', async () => {
		const error = await caught(
			bitrix24Batch.call(context(), [
				{ key: 'a', method: 'user.current' },
				{ key: 'b', method: 'event.bind', params: { event: 'ONCRMCONTACTADD', handler: 'https://n8n.example/x' } },
			]),
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(/event\.bind needs an OAuth2 local-application credential/);
		expect(restCalls(sb)).toHaveLength(0);
	});

	it('reports every command of a write batch as failed when the request fails, without repeating it', async () => {
		sb.setFaults({ failNext: [{ pathIncludes: '/batch', status: 502, afterProcessing: true }] });
		const results = await bitrix24Batch.call(context(), [addContact('w1', 'Unklar1'), addContact('w2', 'Unklar2')]);
		for (const key of ['w1', 'w2']) {
			expect(results[key]).toMatchObject({
				ok: false,
				description: expect.stringMatching(/may or may not have been carried out/),
			});
		}
		expect(restCalls(sb)).toHaveLength(1);
	});

	it('repeats a read-only batch after a dropped connection', async () => {
		sb.setFaults({ failNext: [{ pathIncludes: '/batch', dropConnection: true }] });
		const results = await bitrix24Batch.call(context(), [
			{ key: 'me', method: 'user.current' },
			{ key: 'list', method: 'crm.contact.list', params: { select: ['ID'] } },
		]);
		expect(results.me).toMatchObject({ ok: true, result: { ID: '1' } });
		expect(restCalls(sb).map((call) => call.status)).toEqual([0, 200]);
	});

	it('sends sub-calls again that the operating-time limit refused, after the reset', async () => {
		sb.setLimits({ capacity: 1000, drainPerSecond: 1000, operatingLimitSeconds: 0.5, operatingWindowSeconds: 1 });
		sb.setExecutionTime({ 'crm.contact.get': 600 });
		try {
			const [first] = sb.state.contacts;
			const results = await bitrix24Batch.call(context(), [
				{ key: 'a', method: 'crm.contact.get', params: { id: first.ID } },
				{ key: 'b', method: 'crm.contact.get', params: { id: first.ID } },
				{ key: 'me', method: 'user.current' },
			]);
			expect(Object.values(results).map((r) => r.ok)).toEqual([true, true, true]);
			// Request 1 carried all three (b was refused), request 2 only b.
			expect(restCalls(sb).map((call) => call.batchCommands)).toEqual([3, 1]);
		} finally {
			sb.setLimits('off');
			sb.setExecutionTime(undefined);
		}
	});
});
