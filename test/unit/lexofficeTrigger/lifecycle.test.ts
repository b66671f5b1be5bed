import { NodeApiError, type INodeParameters } from 'n8n-workflow';

import { startLexofficeSandbox, type LexofficeSandbox } from '../../sandbox/lexoffice';
import { credentialsFor, lifecycle, poll, WebhookListener, type TriggerSetup } from './triggerHarness';

const EVENTS = ['contact.created', 'contact.changed', 'invoice.status.changed'];

let sb: LexofficeSandbox;
let strictSb: LexofficeSandbox;

beforeAll(async () => {
	[sb, strictSb] = await Promise.all([startLexofficeSandbox(), startLexofficeSandbox({ strictProbe: true })]);
});
afterAll(async () => await Promise.all([sb.close(), strictSb.close()]));

function setupFor(sandbox: LexofficeSandbox, events = EVENTS, options: INodeParameters = {}): TriggerSetup {
	return { parameters: { events, options }, credentials: credentialsFor(sandbox), staticData: {} };
}

/** A listener that, like n8n, answers 404 while the trigger is being activated. */
async function listenerFor(sandbox: LexofficeSandbox, setup: () => TriggerSetup): Promise<WebhookListener> {
	return await new WebhookListener(setup, sandbox).start();
}

function subscriptionsOf(sandbox: LexofficeSandbox, callbackUrl: string) {
	return [...sandbox.state.subscriptions.values()].filter((subscription) => subscription.callbackUrl === callbackUrl);
}

const eventTypesOf = (subscriptions: Array<{ eventType: string }>) => subscriptions.map((s) => s.eventType).sort();

describe('LexOffice Trigger subscription lifecycle (lexoffice-api.md §6.1)', () => {
	let listener: WebhookListener;
	let setup: TriggerSetup;

	beforeEach(async () => {
		sb.reset(false);
		setup = setupFor(sb);
		listener = await listenerFor(sb, () => setup);
	});
	afterEach(async () => await listener.close());

	const activate = async (triggerSetup = setup) => {
		const exists = await lifecycle('checkExists', triggerSetup, listener.url);
		if (!exists) await lifecycle('create', triggerSetup, listener.url);
		listener.live = true;
		return exists;
	};

	it('creates exactly one subscription per event type, then reports them as existing', async () => {
		expect(await lifecycle('checkExists', setup, listener.url)).toBe(false);
		expect(await lifecycle('create', setup, listener.url)).toBe(true);

		const ours = subscriptionsOf(sb, listener.callbackUrl);
		expect(eventTypesOf(ours)).toEqual([...EVENTS].sort());
		expect(sb.state.subscriptions.size).toBe(EVENTS.length);
		const node = setup.staticData['node:Node Under Test'] as { subscriptionIds: Record<string, string> };
		expect(Object.values(node.subscriptionIds).sort()).toEqual(ours.map((s) => s.subscriptionId).sort());
		expect(await lifecycle('checkExists', setup, listener.url)).toBe(true);
	});

	it('adopts existing subscriptions after a restart (fresh static data) without duplicates', async () => {
		await activate();
		const before = subscriptionsOf(sb, listener.callbackUrl)
			.map((s) => s.subscriptionId)
			.sort();

		const restarted = setupFor(sb);
		expect(await lifecycle('checkExists', restarted, listener.url)).toBe(true);
		expect(await lifecycle('create', restarted, listener.url)).toBe(true);
		expect(
			subscriptionsOf(sb, listener.callbackUrl)
				.map((s) => s.subscriptionId)
				.sort(),
		).toEqual(before);
		const node = restarted.staticData['node:Node Under Test'] as { subscriptionIds: Record<string, string> };
		expect(Object.values(node.subscriptionIds).sort()).toEqual(before);
		expect(sb.requests.count({ method: 'POST', pathIncludes: '/v1/event-subscriptions', status: 201 })).toBe(
			EVENTS.length,
		);
	});

	it('re-creates only a missing subscription and removes ones no longer selected', async () => {
		await activate();
		const [first] = subscriptionsOf(sb, listener.callbackUrl);
		sb.state.subscriptions.delete(first.subscriptionId);
		expect(await lifecycle('checkExists', setup, listener.url)).toBe(false);
		await lifecycle('create', setup, listener.url);
		expect(eventTypesOf(subscriptionsOf(sb, listener.callbackUrl))).toEqual([...EVENTS].sort());

		const fewer = { ...setup, parameters: { events: ['contact.changed'], options: {} } };
		expect(await lifecycle('checkExists', fewer, listener.url)).toBe(true);
		expect(eventTypesOf(subscriptionsOf(sb, listener.callbackUrl))).toEqual(['contact.changed']);
	});

	it('adopts a subscription LexOffice answers 409 for', async () => {
		// Someone (another n8n main, a retry) subscribed between our list and our POST.
		sb.setFaults({
			failNext: [{ method: 'GET', pathIncludes: '/v1/event-subscriptions', status: 200, body: { content: [] } }],
		});
		listener.live = true;
		await fetch(`${sb.url}/v1/event-subscriptions`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${sb.apiKey}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ eventType: 'contact.changed', callbackUrl: listener.callbackUrl }),
		});
		listener.live = false;
		await lifecycle('create', setup, listener.url);
		expect(sb.requests.count({ method: 'POST', status: 409 })).toBe(1);
		expect(eventTypesOf(subscriptionsOf(sb, listener.callbackUrl))).toEqual([...EVENTS].sort());
	});

	it('delete removes ours only, and tolerates ones already gone', async () => {
		await activate();
		listener.live = true;
		await fetch(`${sb.url}/v1/event-subscriptions`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${sb.apiKey}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ eventType: 'contact.changed', callbackUrl: `${listener.url}/someone-else/webhook` }),
		});
		const [gone] = subscriptionsOf(sb, listener.callbackUrl);
		sb.state.subscriptions.delete(gone.subscriptionId);

		expect(await lifecycle('delete', setup, listener.url)).toBe(true);
		expect(subscriptionsOf(sb, listener.callbackUrl)).toHaveLength(0);
		expect(sb.state.subscriptions.size).toBe(1);
		expect(sb.requests.count({ method: 'DELETE', status: 404 })).toBe(1);
		expect(await lifecycle('checkExists', setup, listener.url)).toBe(false);
	});
});

describe('LexOffice Trigger against a LexOffice whose HEAD probe demands 2xx', () => {
	let listener: WebhookListener;
	let setup: TriggerSetup;

	beforeEach(async () => {
		strictSb.reset(false);
		setup = setupFor(strictSb);
		listener = await listenerFor(strictSb, () => setup);
	});
	afterEach(async () => await listener.close());

	it('subscribes when the URL is served during create()', async () => {
		listener.live = true;
		await lifecycle('create', setup, listener.url);
		expect(subscriptionsOf(strictSb, listener.callbackUrl)).toHaveLength(EVENTS.length);
	});

	it('rolls back and explains when the probe fails part-way (n8n answers 404 while activating)', async () => {
		listener.headsAllowedWhileActivating = 1; // the first event type subscribes, the second is refused
		const failure = await lifecycle('create', setup, listener.url).catch((error: unknown) => error);

		expect(failure).toBeInstanceOf(NodeApiError);
		const error = failure as NodeApiError;
		expect(error.httpCode).toBe('406');
		expect(error.message).toContain(EVENTS[1]);
		expect(error.description).toMatch(/HEAD request/);
		expect(error.description).toContain('callback answered HEAD with 404'); // LexOffice's own detail
		expect(error.description).toMatch(/No subscription was left behind/);
		expect(strictSb.requests.count({ method: 'POST', status: 201 })).toBe(1);
		expect(strictSb.state.subscriptions.size).toBe(0);
		const node = setup.staticData['node:Node Under Test'] as { subscriptionIds?: unknown } | undefined;
		expect(node?.subscriptionIds).toBeUndefined();
	});

	it('lets the poll trigger complete the subscriptions once the URL is live', async () => {
		const external = setupFor(strictSb, EVENTS, { createSubscriptions: false });
		expect(await lifecycle('checkExists', external, listener.url)).toBe(true);
		expect(await lifecycle('create', external, listener.url)).toBe(true);
		expect(strictSb.state.subscriptions.size).toBe(0);

		const repair: TriggerSetup = {
			parameters: { resource: 'webhookSubscription', callbackUrl: listener.callbackUrl, events: EVENTS },
			credentials: credentialsFor(strictSb),
			staticData: {},
		};
		expect(await poll(repair)).toBeNull(); // the trigger's workflow is not active yet
		expect(strictSb.state.subscriptions.size).toBe(0);

		listener.live = true;
		const created = await poll(repair);
		expect(created?.[0].map((item) => item.json.eventType).sort()).toEqual([...EVENTS].sort());
		expect(eventTypesOf(subscriptionsOf(strictSb, listener.callbackUrl))).toEqual([...EVENTS].sort());
		expect(await poll(repair)).toBeNull();

		// Deactivating the trigger removes them although it did not create them.
		await lifecycle('delete', external, listener.url);
		expect(strictSb.state.subscriptions.size).toBe(0);
	});
});
