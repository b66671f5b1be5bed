import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { startLexofficeSandbox, type LexofficeSandbox } from '../../../sandbox/lexoffice';
import { jsonOf, operationError, runOperation } from './helpers';

/**
 * LexOffice probes a new callback URL with HEAD over HTTPS (§6.1). Tests have no publicly trusted
 * certificate, so the sandbox's probe of this one test host is answered here; everything else
 * (subscription rules, 409 on duplicates, 406 on failed probes) is the sandbox's own.
 */
const REACHABLE = 'https://hooks.example.test';
jest.mock('../../../sandbox/lexoffice/callbackClient', () => {
	const actual = jest.requireActual<typeof import('../../../sandbox/lexoffice/callbackClient')>(
		'../../../sandbox/lexoffice/callbackClient',
	);
	return {
		callCallback: async (url: string, options: Parameters<typeof actual.callCallback>[1]) =>
			url.startsWith('https://hooks.example.test/') ? { status: 200 } : await actual.callCallback(url, options),
	};
});

describe('LexOffice node: Event Subscription', () => {
	let sb: LexofficeSandbox;
	beforeAll(async () => {
		sb = await startLexofficeSandbox({ allowHttpCallbacks: 'none', deliveryTimeoutMs: 500 });
	});
	afterAll(async () => await sb.close());
	beforeEach(() => sb.reset());

	const create = (eventType: string, callbackUrl: string) => ({
		resource: 'eventSubscription',
		operation: 'create',
		eventType,
		callbackUrl,
	});
	const subscriptions = () => [...sb.state.subscriptions.values()];

	test('Create subscribes the URL; Get, Get Many and Delete manage it', async () => {
		const [created] = await runOperation(sb, create('invoice.status.changed', `${REACHABLE}/lexoffice`));
		const [stored] = subscriptions();
		expect(stored).toMatchObject({ eventType: 'invoice.status.changed', callbackUrl: `${REACHABLE}/lexoffice` });
		expect(created.json).toMatchObject({
			subscriptionId: stored.subscriptionId,
			id: stored.subscriptionId,
			eventType: 'invoice.status.changed',
		});

		const [got] = await runOperation(sb, {
			resource: 'eventSubscription',
			operation: 'get',
			subscriptionId: stored.subscriptionId,
		});
		expect(got.json).toEqual(stored);

		await runOperation(sb, create('contact.changed', `${REACHABLE}/lexoffice`));
		expect(
			await runOperation(sb, { resource: 'eventSubscription', operation: 'getMany', returnAll: true }),
		).toHaveLength(2);
		const limited = await runOperation(sb, {
			resource: 'eventSubscription',
			operation: 'getMany',
			returnAll: false,
			limit: 1,
		});
		expect(jsonOf(limited)).toEqual([stored]);

		const [deleted] = await runOperation(sb, {
			resource: 'eventSubscription',
			operation: 'delete',
			subscriptionId: stored.subscriptionId,
		});
		expect(deleted.json).toEqual({ subscriptionId: stored.subscriptionId, deleted: true });
		expect(subscriptions().map((subscription) => subscription.eventType)).toEqual(['contact.changed']);
	});

	test('a plain-http callback URL is refused before any request', async () => {
		const error = await operationError(sb, create('contact.changed', 'http://localhost:5678/webhook/abc'));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('"Callback URL" must be an https:// URL, not "http://localhost:5678/webhook/abc"');
		expect(error.description).toContain('N8N_WEBHOOK_URL');
		expect(sb.requests.count()).toBe(0);
	});

	test('an unknown event type is refused before any request', async () => {
		const error = await operationError(sb, create('invoice.paid', `${REACHABLE}/x`));
		expect(error.message).toContain('"Event Type" is not a LexOffice event: "invoice.paid"');
		expect(sb.requests.count()).toBe(0);
	});

	test("a second subscription of the same pair is LexOffice's 409, explained", async () => {
		await runOperation(sb, create('contact.changed', `${REACHABLE}/x`));
		const error = await operationError(sb, create('contact.changed', `${REACHABLE}/x`));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe('409');
		expect(error.message).toContain('LexOffice refused the subscription to "contact.changed"');
		expect(error.description).toContain('already subscribed');
		expect(subscriptions()).toHaveLength(1);
	});

	test('a URL LexOffice cannot reach is its 406, explained', async () => {
		const error = await operationError(sb, create('contact.changed', 'https://127.0.0.1:1/unreachable'));
		expect(error.httpCode).toBe('406');
		expect(error.description).toContain('callbackUrl');
		expect(error.description).toContain('HEAD request');
		expect(subscriptions()).toHaveLength(0);
	});

	test("Get and Delete check the ID; an unknown one is LexOffice's 404", async () => {
		const malformed = await operationError(sb, {
			resource: 'eventSubscription',
			operation: 'delete',
			subscriptionId: 'abc',
		});
		expect(malformed.message).toContain('"Subscription ID" must be a LexOffice ID');
		expect(sb.requests.count()).toBe(0);
		const unknown = await operationError(sb, {
			resource: 'eventSubscription',
			operation: 'get',
			subscriptionId: '4d43ad14-671d-4e0c-9d4b-2fd8cc117eff',
		});
		expect(unknown.httpCode).toBe('404');
	});
});
