import { bitrix24Call } from '../../../nodes/Bitrix24/transport';
import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../sandbox/bitrix24';
import { executeContext, restCalls, webhookCredentials } from './helpers';

describe('Bitrix24 limits, seen from the sandbox', () => {
	let sb: Bitrix24Sandbox;

	beforeEach(async () => {
		sb = await startBitrix24Sandbox({ limits: 'off' });
	});
	afterEach(async () => await sb.close());

	const context = () => executeContext('webhook', webhookCredentials(sb));

	it('repeats calls refused with 503 QUERY_LIMIT_EXCEEDED until each is done exactly once', async () => {
		// A portal bucket far smaller than our own estimate, as when other apps share the portal.
		sb.setLimits({ capacity: 4, drainPerSecond: 20 });
		const names = Array.from({ length: 14 }, (_, i) => `Ansturm${i}`);
		const ids = await Promise.all(
			names.map(async (NAME) => (await bitrix24Call.call(context(), 'crm.contact.add', { fields: { NAME } })).result),
		);
		expect(new Set(ids).size).toBe(14);
		const calls = restCalls(sb);
		expect(calls.filter((call) => call.status === 503).length).toBeGreaterThan(0);
		expect(calls.filter((call) => call.status === 200)).toHaveLength(14);
		expect(calls.every((call) => call.status === 200 || call.status === 503)).toBe(true);
		for (const NAME of names) expect(sb.state.contacts.filter((c) => c.NAME === NAME)).toHaveLength(1);
	});

	it('waits for the operating-time budget to come back after 429 OPERATION_TIME_LIMIT', async () => {
		sb.setLimits({ capacity: 1000, drainPerSecond: 1000, operatingLimitSeconds: 0.5, operatingWindowSeconds: 1 });
		sb.setExecutionTime({ 'crm.contact.list': 600 });
		// Another client of the same webhook used up the method's budget; we know nothing about it.
		const elsewhere = await fetch(`${sb.webhookUrl}crm.contact.list`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: '{}',
		});
		expect(elsewhere.status).toBe(200);
		sb.requests.clear();

		const response = await bitrix24Call.call(context(), 'crm.contact.list', { select: ['ID'] });

		expect(Array.isArray(response.result)).toBe(true);
		const statuses = restCalls(sb).map((call) => call.status);
		expect(statuses[0]).toBe(429);
		expect(statuses.at(-1)).toBe(200);
		expect(statuses.filter((status) => status === 200)).toHaveLength(1);
	});

	it('slows down before the operating-time limit instead of running into it', async () => {
		sb.setLimits({ capacity: 1000, drainPerSecond: 1000, operatingLimitSeconds: 0.5, operatingWindowSeconds: 1 });
		sb.setExecutionTime({ 'crm.contact.list': 600, 'user.current': 1 });
		// The credential knows the portal's limit (480 s by default; this sandbox allows 0.5 s).
		const guarded = () => executeContext('webhook', { ...webhookCredentials(sb), operatingLimitSeconds: 0.5 });

		await bitrix24Call.call(guarded(), 'crm.contact.list', {});
		// Other methods have their own budget and are not held back.
		await bitrix24Call.call(guarded(), 'user.current');
		await bitrix24Call.call(guarded(), 'crm.contact.list', {});

		expect(restCalls(sb).map((call) => [call.label, call.status])).toEqual([
			['crm.contact.list', 200],
			['user.current', 200],
			['crm.contact.list', 200],
		]);
	});
});
