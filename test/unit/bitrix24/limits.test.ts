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
		// The portal refuses on purpose (as when other apps share its bucket), so the refusals do not
		// depend on how fast this machine sends: the first 5 adds get 503 QUERY_LIMIT_EXCEEDED unprocessed.
		sb.setFaults({ failNext: [{ pathIncludes: 'crm.contact.add', status: 503, times: 5 }] });
		const names = Array.from({ length: 14 }, (_, i) => `Ansturm${i}`);
		const ids = await Promise.all(
			names.map(async (NAME) => (await bitrix24Call.call(context(), 'crm.contact.add', { fields: { NAME } })).result),
		);
		expect(new Set(ids).size).toBe(14);
		const calls = restCalls(sb);
		expect(calls.filter((call) => call.status === 503)).toHaveLength(5);
		expect(calls.filter((call) => call.status === 200)).toHaveLength(14);
		expect(calls).toHaveLength(19);
		for (const NAME of names) expect(sb.state.contacts.filter((c) => c.NAME === NAME)).toHaveLength(1);
	});

	it('waits for the operating-time budget to come back after 429 OPERATION_TIME_LIMIT', async () => {
		// The sandbox's clock stands still until our first call was refused, so the other client's
		// usage is still in the window when that call arrives, however slow this machine is.
		const frozenAt = Date.now();
		const started: { sandbox?: Bitrix24Sandbox } = {};
		const refused = () => (started.sandbox?.requests.count({ status: 429 }) ?? 0) > 0;
		const frozenSb = await startBitrix24Sandbox({ limits: 'off', now: () => (refused() ? Date.now() : frozenAt) });
		started.sandbox = frozenSb;
		try {
			frozenSb.setLimits({
				capacity: 1000,
				drainPerSecond: 1000,
				operatingLimitSeconds: 0.5,
				operatingWindowSeconds: 1,
			});
			frozenSb.setExecutionTime({ 'crm.contact.list': 600 });
			// Another client of the same webhook used up the method's budget; we know nothing about it.
			const elsewhere = await fetch(`${frozenSb.webhookUrl}crm.contact.list`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: '{}',
			});
			expect(elsewhere.status).toBe(200);
			frozenSb.requests.clear();
			const statuses = () => restCalls(frozenSb).map((call) => call.status);

			const response = await bitrix24Call.call(
				executeContext('webhook', webhookCredentials(frozenSb)),
				'crm.contact.list',
				{
					select: ['ID'],
				},
			);

			expect(Array.isArray(response.result)).toBe(true);
			expect(statuses()[0]).toBe(429);
			expect(statuses().at(-1)).toBe(200);
			expect(statuses().filter((status) => status === 200)).toHaveLength(1);
		} finally {
			await frozenSb.close();
		}
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
