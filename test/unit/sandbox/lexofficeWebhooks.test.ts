/** Event subscriptions and signed webhook delivery of the LexOffice sandbox (lexoffice-api.md §6). */
import { verify } from 'node:crypto';

import { startCallbackReceiver, startHttpServer, type CallbackReceiver } from '../../sandbox/common';
import { RETRY_DELAYS_MS, startLexofficeSandbox, type LexofficeSandbox } from '../../sandbox/lexoffice';

let sb: LexofficeSandbox;
let receiver: CallbackReceiver;

async function call(sandbox: LexofficeSandbox, path: string, method = 'GET', body?: unknown) {
	const response = await fetch(`${sandbox.url}${path}`, {
		method,
		headers: { Authorization: `Bearer ${sandbox.apiKey}`, 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

const subscribe = async (sandbox: LexofficeSandbox, eventType: string, callbackUrl = `${receiver.url}/hook`) =>
	await call(sandbox, '/v1/event-subscriptions', 'POST', { eventType, callbackUrl });

// 10 s → 0.1 ms; the whole 25-retry schedule (≈ 38.5 h) takes about 1.4 s.
const TIME_SCALE = 0.00001;

beforeAll(async () => {
	receiver = await startCallbackReceiver();
	sb = await startLexofficeSandbox({ timeScale: TIME_SCALE, seed: { contacts: 5, invoices: 0 } });
});
afterAll(async () => {
	await sb.close();
	await receiver.close();
});
beforeEach(() => {
	sb.reset();
	receiver.received.length = 0;
	receiver.fallback = 200;
});

describe('event subscriptions (§6.1)', () => {
	it('creates, lists, gets and deletes; the same pair again is a 409', async () => {
		const created = await subscribe(sb, 'contact.changed');
		expect(created.status).toBe(201);
		expect(created.headers.get('location')).toBe(created.body.resourceUri);
		expect(created.body.id).toEqual(expect.any(String));
		const duplicate = await subscribe(sb, 'contact.changed');
		expect(duplicate.status).toBe(409);
		expect(duplicate.body).toMatchObject({ status: 409, path: '/v1/event-subscriptions', traceId: expect.any(String) });
		expect((await subscribe(sb, 'contact.created')).status).toBe(201);

		const list = await call(sb, '/v1/event-subscriptions');
		expect(list.body.content.map((s: any) => s.eventType).sort()).toEqual(['contact.changed', 'contact.created']);
		const one = await call(sb, `/v1/event-subscriptions/${created.body.id}`);
		expect(one.body).toEqual({
			subscriptionId: created.body.id,
			organizationId: sb.organizationId,
			createdDate: expect.any(String),
			eventType: 'contact.changed',
			callbackUrl: `${receiver.url}/hook`,
		});
		expect((await call(sb, `/v1/event-subscriptions/${created.body.id}`, 'DELETE')).status).toBe(204);
		expect((await call(sb, `/v1/event-subscriptions/${created.body.id}`)).status).toBe(404);
	});

	it('rejects unknown event types and non-HTTPS callbacks with 406 details', async () => {
		const unknown = await subscribe(sb, 'contact.updated');
		expect(unknown.status).toBe(406);
		expect(unknown.body.details).toEqual([expect.objectContaining({ field: 'eventType' })]);
		const remoteHttp = await subscribe(sb, 'contact.changed', 'http://example.org/hook');
		expect(remoteHttp.body.details).toEqual([expect.objectContaining({ field: 'callbackUrl' })]);
	});

	it('probes the callback with HEAD: any answer passes by default, only 2xx when strict', async () => {
		receiver.respondWith(404);
		expect((await subscribe(sb, 'invoice.created')).status).toBe(201);
		expect(receiver.received.map((r) => r.method)).toEqual(['HEAD']);

		const closed = await startCallbackReceiver();
		await closed.close();
		expect((await subscribe(sb, 'invoice.created', `${closed.url}/gone`)).status).toBe(406);

		const strict = await startLexofficeSandbox({ strictProbe: true });
		try {
			receiver.respondWith(404);
			expect((await subscribe(strict, 'invoice.created')).status).toBe(406);
			expect(strict.state.subscriptions.size).toBe(0);
			expect((await subscribe(strict, 'invoice.created')).status).toBe(201);
		} finally {
			await strict.close();
		}
	});
});

describe('delivery (§6.3–§6.5)', () => {
	it('posts the four fields compactly, signed with RSA-SHA512 over the exact bytes', async () => {
		await subscribe(sb, 'contact.created');
		const created = await call(sb, '/v1/contacts', 'POST', {
			version: 0,
			roles: { customer: {} },
			person: { lastName: 'Jäger' },
		});
		await sb.webhooks.flush();
		const [post] = await receiver.waitFor(1, { method: 'POST' });
		const text = post.rawBody.toString('utf8');
		const payload = JSON.parse(text);
		expect(Object.keys(payload)).toEqual(['organizationId', 'eventType', 'resourceId', 'eventDate']);
		expect(payload).toMatchObject({
			organizationId: sb.organizationId,
			eventType: 'contact.created',
			resourceId: created.body.id,
		});
		expect(payload.eventDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/);
		expect(text).toBe(JSON.stringify(payload));

		const signature = Buffer.from(String(post.headers['x-lxo-signature']), 'base64');
		expect(verify('sha512', post.rawBody, sb.publicKeyPem, signature)).toBe(true);
		expect(verify('sha512', Buffer.from(JSON.stringify(payload, null, 1)), sb.publicKeyPem, signature)).toBe(false);
		expect(sb.webhooks.deliveries()).toMatchObject([
			{ status: 'delivered', attempts: [{ status: 200, outcome: 'delivered' }] },
		]);
	});

	it('fires the documented events for changes made in the web app', async () => {
		for (const type of ['contact.deleted', 'invoice.changed', 'invoice.status.changed', 'payment.changed']) {
			await subscribe(sb, type);
		}
		const customer = [...sb.state.contacts.values()].find((c) => c.roles.customer)!;
		const invoice = sb.simulate.createInvoice({
			voucherDate: '2025-09-01T00:00:00.000+02:00',
			address: { contactId: customer.id },
			lineItems: [
				{
					type: 'custom',
					name: 'Beratung',
					quantity: 1,
					unitPrice: { currency: 'EUR', netAmount: 50, taxRatePercentage: 19 },
				},
			],
			totalPrice: { currency: 'EUR' },
			taxConditions: { taxType: 'net' },
			shippingConditions: { shippingType: 'none' },
		});
		sb.simulate.finalizeInvoice(invoice.id);
		sb.simulate.payInvoice(invoice.id);
		sb.simulate.deleteContact(customer.id);
		await sb.webhooks.flush();
		const events = sb.webhooks
			.deliveries()
			.map((d) => `${d.eventType}:${d.resourceId === invoice.id ? 'invoice' : 'contact'}`);
		expect(events).toEqual([
			'invoice.changed:invoice',
			'invoice.status.changed:invoice',
			'payment.changed:invoice',
			'invoice.changed:invoice',
			'invoice.status.changed:invoice',
			'contact.deleted:contact',
		]);
		expect(sb.webhooks.deliveries().every((d) => d.status === 'delivered')).toBe(true);
	});

	it('retries 5xx on the documented schedule, then gives up but keeps the subscription', async () => {
		await subscribe(sb, 'contact.changed');
		receiver.fallback = 503;
		sb.simulate.archiveContact([...sb.state.contacts.keys()][0]);
		await sb.webhooks.flush({ timeoutMs: 15_000 });
		const [delivery] = sb.webhooks.deliveries();
		expect(delivery.status).toBe('failed');
		expect(delivery.attempts.map((a) => a.nominalDelayMs)).toEqual([0, ...RETRY_DELAYS_MS]);
		expect(RETRY_DELAYS_MS.slice(0, 6)).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 1_800_000]);
		expect(RETRY_DELAYS_MS.filter((ms) => ms === 7_200_000)).toHaveLength(19);
		expect(delivery.attempts.every((a) => a.status === 503)).toBe(true);
		expect(sb.state.subscriptions.size).toBe(1);
	});

	it('succeeds on a later attempt after 429 and 401', async () => {
		await subscribe(sb, 'contact.changed');
		receiver.respondWith(429, 401);
		sb.simulate.archiveContact([...sb.state.contacts.keys()][0]);
		await sb.webhooks.flush();
		const [delivery] = sb.webhooks.deliveries();
		expect(delivery.attempts.map((a) => [a.status, a.outcome, a.nominalDelayMs])).toEqual([
			[429, 'retry', 0],
			[401, 'retry', 10_000],
			[200, 'delivered', 20_000],
		]);
	});

	it('410 removes the subscription at once; 404 after the retry strategy; other 4xx are not retried', async () => {
		const id = [...sb.state.contacts.keys()][0];
		const gone = await subscribe(sb, 'contact.changed', `${receiver.url}/gone`);
		const missing = await subscribe(sb, 'contact.changed', `${receiver.url}/missing`);
		const bad = await subscribe(sb, 'contact.changed', `${receiver.url}/bad`);
		const statuses: Record<string, number> = { '/gone': 410, '/missing': 404, '/bad': 400 };
		receiver.fallback = (request) => statuses[request.path];
		sb.simulate.archiveContact(id);
		await sb.webhooks.flush({ timeoutMs: 15_000 });
		const byUrl = (suffix: string) => sb.webhooks.deliveries().find((d) => d.callbackUrl.endsWith(suffix))!;
		expect(byUrl('/gone').attempts.map((a) => a.outcome)).toEqual(['subscription-deleted']);
		expect(byUrl('/bad').attempts.map((a) => [a.status, a.outcome])).toEqual([[400, 'failed']]);
		expect(byUrl('/missing').attempts).toHaveLength(RETRY_DELAYS_MS.length + 1);
		expect(byUrl('/missing').attempts.at(-1)?.outcome).toBe('subscription-deleted');
		expect([...sb.state.subscriptions.keys()]).toEqual([bad.body.id]);
		expect([gone.status, missing.status]).toEqual([201, 201]);
	});
});

describe('delivery transport (§6.5)', () => {
	it('follows redirects and treats a read timeout as retryable', async () => {
		const quick = await startLexofficeSandbox({ timeScale: TIME_SCALE, deliveryTimeoutMs: 100 });
		// HEAD (the subscription probe) answers at once; POSTs to /slow hang, /moved redirects to the receiver.
		const odd = await startHttpServer((req, res) => {
			if (req.method === 'HEAD') return void res.end();
			if (req.url === '/moved') {
				res.writeHead(307, { Location: `${receiver.url}/final` });
				return void res.end();
			}
			req.resume(); // /slow: never answer
		});
		try {
			await subscribe(quick, 'contact.created', `${odd.url}/moved`);
			await subscribe(quick, 'contact.changed', `${odd.url}/slow`);
			const contact = quick.simulate.createContact({ roles: { customer: {} }, person: { lastName: 'Umleitung' } });
			await quick.webhooks.flush();
			expect(quick.webhooks.deliveries()[0]).toMatchObject({ status: 'delivered', attempts: [{ status: 200 }] });
			expect(receiver.received.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual(['/final']);

			quick.simulate.changeContact(contact.id, { note: 'langsam' });
			await quick.webhooks.flush({ pendingRetries: false });
			const slow = quick.webhooks.deliveries()[1];
			expect(slow.attempts[0]).toMatchObject({ error: 'read timeout', outcome: 'retry' });
			expect(slow.status).toBe('pending');
		} finally {
			await quick.close();
			await odd.close();
		}
	});
});

describe('changing the wait and the retry spacing of a running sandbox', () => {
	it('configure() applies a new answer timeout and retry scale from the next attempt on', async () => {
		const slowToAnswer = await startLexofficeSandbox({ timeScale: TIME_SCALE, deliveryTimeoutMs: 30_000 });
		// POSTs are answered after 300 ms: in time for 30 s, too late for 100 ms.
		const slow = await startHttpServer((req, res) => {
			if (req.method === 'HEAD') return void res.end();
			req.resume();
			setTimeout(() => res.end(), 300);
		});
		try {
			await subscribe(slowToAnswer, 'contact.created', `${slow.url}/hook`);
			slowToAnswer.simulate.createContact({ roles: { customer: {} }, person: { lastName: 'Geduldig' } });
			await slowToAnswer.webhooks.flush();
			expect(slowToAnswer.webhooks.deliveries()[0].attempts).toMatchObject([{ status: 200 }]);

			slowToAnswer.webhooks.configure({ timeoutMs: 100, timeScale: 0 });
			slowToAnswer.simulate.createContact({ roles: { customer: {} }, person: { lastName: 'Eilig' } });
			// Every retry comes at once (scale 0) and times out, until the documented retries are used up.
			await slowToAnswer.webhooks.flush({ timeoutMs: 60_000 });
			const hurried = slowToAnswer.webhooks.deliveries()[1];
			expect(hurried.status).toBe('failed');
			expect(hurried.attempts.map((attempt) => attempt.error)).toEqual(hurried.attempts.map(() => 'read timeout'));
			expect(hurried.attempts).toHaveLength(RETRY_DELAYS_MS.length + 1);
		} finally {
			await slowToAnswer.close();
			await slow.close();
		}
	});
});

describe('control API over HTTP', () => {
	it('simulates web-app changes and exposes deliveries and the public key', async () => {
		await subscribe(sb, 'contact.created');
		const created = await fetch(`${sb.url}/_sandbox/simulate/createContact`, {
			method: 'POST',
			body: JSON.stringify({ data: { roles: { customer: {} }, company: { name: 'Straßenbau Öztürk GmbH & Co. KG' } } }),
		});
		const contact = (await created.json()) as { id: string };
		expect(sb.state.contacts.get(contact.id)?.company?.name).toBe('Straßenbau Öztürk GmbH & Co. KG');
		const flushed = await (await fetch(`${sb.url}/_sandbox/webhooks/flush`, { method: 'POST' })).json();
		expect(flushed).toMatchObject([{ eventType: 'contact.created', resourceId: contact.id, status: 'delivered' }]);
		const key = await (await fetch(`${sb.url}/_sandbox/public-key`)).json();
		expect(key).toEqual({ publicKeyPem: sb.publicKeyPem, organizationId: sb.organizationId });
		const missing = await fetch(`${sb.url}/_sandbox/simulate/payInvoice`, {
			method: 'POST',
			body: JSON.stringify({ id: 'nope' }),
		});
		expect(missing.status).toBe(404);
		expect(sb.requests.count()).toBe(1); // the subscription POST; control calls are not logged
	});
});
