/** Bitrix24 sandbox over real HTTP: leaky bucket (§3.1) and operating-time limit (§3.2). */
import { startBitrix24Sandbox } from '../../sandbox/bitrix24';
import { batchCommand, callBitrix } from '../../sandbox/bitrix24/client';

describe('leaky bucket', () => {
	it('answers a burst beyond 50 with 503 QUERY_LIMIT_EXCEEDED and performs none of those calls', async () => {
		const sb = await startBitrix24Sandbox({ limits: 'published' });
		try {
			const answers = await Promise.all(
				Array.from({ length: 70 }, (_, index) =>
					callBitrix(sb.webhookUrl, 'crm.contact.add', { fields: { NAME: `Burst ${index}` } }),
				),
			);
			const accepted = answers.filter((answer) => answer.status === 200);
			const refused = answers.filter((answer) => answer.status === 503);
			expect(accepted.length + refused.length).toBe(70);
			expect(accepted.length).toBeGreaterThanOrEqual(50);
			expect(refused.length).toBeGreaterThan(0);
			expect(refused[0].body).toEqual({ error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' });
			expect(sb.state.contacts).toHaveLength(accepted.length);
			expect(sb.requests.count({ status: 503, label: 'crm.contact.add' })).toBe(refused.length);
		} finally {
			await sb.close();
		}
	});

	it('counts a batch of 50 as one request', async () => {
		const sb = await startBitrix24Sandbox({ limits: { capacity: 2, drainPerSecond: 0.01 } });
		try {
			const cmd = Array.from({ length: 50 }, (_, index) =>
				batchCommand('crm.contact.add', { fields: { NAME: `B${index}` } }),
			);
			expect((await callBitrix(sb.webhookUrl, 'batch', { cmd })).status).toBe(200);
			expect((await callBitrix(sb.webhookUrl, 'batch', { cmd })).status).toBe(200);
			expect((await callBitrix(sb.webhookUrl, 'profile')).status).toBe(503);
			expect(sb.state.contacts).toHaveLength(100);
		} finally {
			await sb.close();
		}
	});
});

describe('operating-time limit', () => {
	it('blocks the next call of a method whose time in the window exceeds the limit, per method and consumer, until the window moves on', async () => {
		let now = Date.UTC(2024, 4, 1, 10, 0, 5);
		const sb = await startBitrix24Sandbox({
			limits: { capacity: 1000, drainPerSecond: 1000, operatingLimitSeconds: 1, operatingWindowSeconds: 600 },
			now: () => now,
			executionTimeMs: { 'crm.contact.list': 400 },
		});
		try {
			const operating: number[] = [];
			let resetAt = 0;
			for (let call = 0; call < 3; call += 1) {
				const answer = await callBitrix(sb.webhookUrl, 'crm.contact.list');
				expect(answer.status).toBe(200);
				operating.push(answer.body.time.operating);
				resetAt = answer.body.time.operating_reset_at;
			}
			expect(operating).toEqual([0.4, 0.8, 1.2]);
			const blocked = await callBitrix(sb.webhookUrl, 'crm.contact.list');
			expect(blocked.status).toBe(429);
			expect(blocked.body).toEqual({
				error: 'OPERATION_TIME_LIMIT',
				error_description: 'Method is blocked due to operation time limit.',
			});

			// Other methods, and another webhook, keep working.
			const other = await callBitrix(sb.webhookUrl, 'crm.contact.add', { fields: { NAME: 'Noch da' } });
			expect(other.status).toBe(200);
			expect(other.body.time.operating).toBe(0);
			expect((await callBitrix(sb.addWebhook(2), 'crm.contact.list')).status).toBe(200);

			// Inside batch: the wrapper is not counted, the blocked sub-call fails on its own.
			const batch = await callBitrix(sb.webhookUrl, 'batch', {
				cmd: { list: 'crm.contact.list', add: batchCommand('crm.contact.add', { fields: { NAME: 'X' } }) },
			});
			expect(batch.status).toBe(200);
			expect(batch.body.result.result_error.list.error).toBe('OPERATION_TIME_LIMIT');
			expect(batch.body.result.result.add).toEqual(expect.any(Number));

			// Blocked until operating_reset_at, free from then on.
			expect(resetAt).toBeGreaterThan(now / 1000);
			now = resetAt * 1000 - 1;
			expect((await callBitrix(sb.webhookUrl, 'crm.contact.list')).status).toBe(429);
			now = resetAt * 1000;
			expect((await callBitrix(sb.webhookUrl, 'crm.contact.list')).status).toBe(200);
		} finally {
			await sb.close();
		}
	});

	it('reports when the oldest bucket leaves the window in operating_reset_at', async () => {
		const start = Date.UTC(2024, 4, 1, 10, 0, 30);
		let now = start;
		const sb = await startBitrix24Sandbox({ limits: 'published', now: () => now, executionTimeMs: 2000 });
		try {
			const first = await callBitrix(sb.webhookUrl, 'crm.contact.list');
			now += 120_000;
			const later = await callBitrix(sb.webhookUrl, 'crm.contact.list');
			// The first call's one-minute bucket started at 10:00:00 and leaves the window at 10:10:00.
			expect(first.body.time.operating_reset_at).toBe(Date.UTC(2024, 4, 1, 10, 10, 0) / 1000);
			expect(later.body.time.operating_reset_at).toBe(first.body.time.operating_reset_at);
			expect(later.body.time.operating).toBe(4);
			expect(later.body.time.processing).toBe(2);
		} finally {
			await sb.close();
		}
	});
});
