/**
 * The trigger's webhook lifecycle against the Bitrix24 sandbox: with OAuth2 it binds, checks and
 * unbinds its events itself (event.bind/event.get/event.unbind, bitrix24-api.md §10); with an
 * incoming-webhook credential it makes no call at all.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import { Bitrix24Trigger } from '../../../nodes/Bitrix24Trigger/Bitrix24Trigger.node';
import { createHookContext, createNodeHarness, type CredentialFixtures } from '../../helpers/n8nContext';
import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../sandbox/bitrix24';
import { startTriggerEndpoint, type TriggerEndpoint } from './triggerEndpoint';

let sb: Bitrix24Sandbox;
const WEBHOOK_ID = '6f1c2d3e-trigger';

async function oauthCredentials(overrides: ICredentialDataDecryptedObject = {}): Promise<CredentialFixtures> {
	return {
		bitrix24OAuth2Api: {
			portalUrl: sb.url,
			clientId: sb.oauth.clientId,
			clientSecret: sb.oauth.clientSecret,
			accessTokenUrl: sb.oauth.tokenUrl,
			applicationToken: sb.oauth.applicationToken,
			oauthTokenData: (await sb.oauth.issueTokens()) as unknown as IDataObject,
			...overrides,
		},
	};
}

interface Hooks {
	checkExists(): Promise<boolean>;
	create(): Promise<boolean>;
	delete(): Promise<boolean>;
	url: string;
}

/** The three lifecycle methods as n8n calls them, sharing one static-data object like n8n does. */
function hooks(
	parameters: INodeParameters,
	credentials: CredentialFixtures,
	staticData: IDataObject,
	webhookBaseUrl?: string,
): Hooks {
	const trigger = new Bitrix24Trigger();
	const options = { parameters, credentials, staticData, webhookId: WEBHOOK_ID };
	const context = () => {
		const harness = createNodeHarness(trigger, options);
		if (webhookBaseUrl) harness.additionalData.webhookBaseUrl = webhookBaseUrl;
		return createHookContext(trigger, options, harness);
	};
	const methods = trigger.webhookMethods.default;
	return {
		checkExists: async () => await methods.checkExists.call(context()),
		create: async () => await methods.create.call(context()),
		delete: async () => await methods.delete.call(context()),
		url: context().getNodeWebhookUrl('default') as string,
	};
}

const appBindings = () =>
	sb.state.eventBindings
		.filter((binding) => binding.source === 'app')
		.map(({ event, handler }) => ({ event, handler }));

const methodCalls = (method: string) => sb.requests.calls().filter((entry) => entry.path.endsWith(`/${method}`)).length;

beforeAll(async () => {
	sb = await startBitrix24Sandbox({ limits: 'off' });
});

afterAll(async () => await sb.close());

beforeEach(() => {
	sb.portal.state.eventBindings = [];
});

describe('OAuth2: the trigger subscribes its events itself', () => {
	const events = ['ONCRMCONTACTADD', 'ONCRMCOMPANYUPDATE', 'onCrmDynamicItemAdd'];
	const parameters = { mode: 'events', authentication: 'oAuth2', events };

	it('binds exactly the selected events to the production URL, sees them, and unbinds them', async () => {
		const staticData: IDataObject = {};
		const lifecycle = hooks(parameters, await oauthCredentials(), staticData);
		expect(lifecycle.url).toContain(`/webhook/${WEBHOOK_ID}/webhook`);
		// Someone else's handler on the portal must survive all of this.
		sb.portal.state.eventBindings.push({
			id: 99,
			event: 'ONCRMCONTACTADD',
			handler: 'https://other.example/hook',
			authType: 0,
			offline: false,
			authConnector: '',
			source: 'app',
			applicationToken: sb.oauth.applicationToken,
		});

		expect(await lifecycle.checkExists()).toBe(false);
		expect(await lifecycle.create()).toBe(true);
		expect(appBindings().filter((binding) => binding.handler === lifecycle.url)).toEqual(
			expect.arrayContaining(
				['ONCRMCONTACTADD', 'ONCRMCOMPANYUPDATE', 'ONCRMDYNAMICITEMADD'].map((event) => ({
					event,
					handler: lifecycle.url,
				})),
			),
		);
		expect(appBindings().filter((binding) => binding.handler === lifecycle.url)).toHaveLength(3);
		expect(await lifecycle.checkExists()).toBe(true);
		const nodeStaticData = () => staticData['node:Node Under Test'];
		expect(nodeStaticData()).toEqual({ handlerUrl: lifecycle.url, boundEvents: events });

		expect(await lifecycle.delete()).toBe(true);
		expect(appBindings()).toEqual([{ event: 'ONCRMCONTACTADD', handler: 'https://other.example/hook' }]);
		expect(nodeStaticData()).toEqual({});
	});

	it('binds only what is missing, and unbinds events deselected since', async () => {
		const staticData: IDataObject = {};
		await hooks({ ...parameters, events: ['ONCRMCONTACTADD'] }, await oauthCredentials(), staticData).create();
		const lifecycle = hooks(parameters, await oauthCredentials(), staticData);
		const bindsBefore = methodCalls('event.bind');

		expect(await lifecycle.checkExists()).toBe(false);
		await lifecycle.create();
		expect(methodCalls('event.bind') - bindsBefore).toBe(2);

		// The user narrows the selection; n8n deactivates with the new parameters.
		await hooks({ ...parameters, events: ['ONCRMCOMPANYUPDATE'] }, await oauthCredentials(), staticData).delete();
		expect(appBindings()).toEqual([]);
	});

	it('delivers a bound event to the trigger, checked against the credential', async () => {
		const credentials = await oauthCredentials();
		const endpoint: TriggerEndpoint = await startTriggerEndpoint(() => ({ parameters, credentials }));
		try {
			const lifecycle = hooks(parameters, credentials, {}, new URL('/webhook', endpoint.url).href);
			await lifecycle.create();
			const response = await fetch(`${sb.webhookUrl}crm.item.add`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ entityTypeId: 3, fields: { name: 'Jürgen' } }),
			});
			const id = ((await response.json()) as { result: { item: { id: number } } }).result.item.id;
			const deliveries = await sb.events.flush();

			expect(deliveries.map((delivery) => [delivery.handler, delivery.status])).toEqual([[lifecycle.url, 200]]);
			const item = endpoint.calls[0].result?.workflowData?.[0][0].json;
			expect(item).toMatchObject({ event: 'ONCRMCONTACTADD', id });
			// App events carry an access token (§10); it stays out of the item.
			expect(deliveries[0].body).toContain('access_token');
			expect(JSON.stringify(item)).not.toContain('access_token');
			await lifecycle.delete();
		} finally {
			await endpoint.close();
		}
	});

	it('refuses an event from another portal (member_id) even with the right token', async () => {
		const credentials = await oauthCredentials();
		(credentials.bitrix24OAuth2Api.oauthTokenData as IDataObject).member_id = 'a-different-portal';
		const endpoint = await startTriggerEndpoint(() => ({ parameters, credentials }));
		try {
			const delivery = await sb.events.deliverTo(endpoint.url, 'ONCRMCONTACTADD', { ID: 1 });
			expect(delivery.status).toBe(401);
			expect(endpoint.calls[0].result?.workflowData).toBeUndefined();
		} finally {
			await endpoint.close();
		}
	});

	it('will not publish without an application token in the credential', async () => {
		const lifecycle = hooks(parameters, await oauthCredentials({ applicationToken: '' }), {});
		await expect(lifecycle.checkExists()).rejects.toThrow(/application token/i);
	});
});

describe('OAuth2 placement mode: the trigger binds its buttons itself', () => {
	const parameters = {
		mode: 'placement',
		authentication: 'oAuth2',
		placementResponse: 'responseNode',
		bindPlacements: ['CRM_CONTACT_DETAIL_TOOLBAR', 'CRM_COMPANY_DETAIL_TOOLBAR'],
	};
	const buttons = () => sb.state.placements.map(({ placement, handler, title }) => ({ placement, handler, title }));

	beforeEach(() => {
		sb.portal.state.placements = [];
	});

	it('binds the chosen buttons to its own production URL at publish, sees them, and unbinds only them', async () => {
		const staticData: IDataObject = {};
		const lifecycle = hooks(parameters, await oauthCredentials(), staticData);
		sb.portal.state.placements.push({
			id: 98,
			placement: 'CRM_CONTACT_DETAIL_TOOLBAR',
			handler: 'https://other.example/button',
			title: 'Other',
			description: '',
			groupName: '',
			langAll: null,
			options: [],
			userId: 0,
		});

		expect(await lifecycle.checkExists()).toBe(false);
		expect(await lifecycle.create()).toBe(true);
		expect(
			buttons()
				.filter((button) => button.handler === lifecycle.url)
				.sort((a, b) => a.placement.localeCompare(b.placement)),
		).toEqual([
			{ placement: 'CRM_COMPANY_DETAIL_TOOLBAR', handler: lifecycle.url, title: 'LexOffice: Rechnung erstellen' },
			{ placement: 'CRM_CONTACT_DETAIL_TOOLBAR', handler: lifecycle.url, title: 'LexOffice: Rechnung erstellen' },
		]);
		expect(await lifecycle.checkExists()).toBe(true);
		const binds = methodCalls('placement.bind');
		await lifecycle.create();
		expect(methodCalls('placement.bind')).toBe(binds);

		expect(await lifecycle.delete()).toBe(true);
		expect(buttons()).toEqual([
			{ placement: 'CRM_CONTACT_DETAIL_TOOLBAR', handler: 'https://other.example/button', title: 'Other' },
		]);
		expect(staticData['node:Node Under Test']).toEqual({});
	});

	it('binds nothing when no button is chosen', async () => {
		const before = methodCalls('placement.bind');
		const lifecycle = hooks({ ...parameters, bindPlacements: [] }, await oauthCredentials(), {});
		expect([await lifecycle.checkExists(), await lifecycle.create(), await lifecycle.delete()]).toEqual([
			true,
			true,
			true,
		]);
		expect(methodCalls('placement.bind')).toBe(before);
	});
});

describe('incoming webhook: nothing to subscribe through the API', () => {
	const credentials = (applicationToken = 'from-the-credential') => ({
		bitrix24WebhookApi: { webhookUrl: sb.webhookUrl, applicationToken },
	});

	it('answers checkExists/create/delete with true and makes no HTTP call', async () => {
		const parameters = { mode: 'events', authentication: 'webhook', events: ['ONCRMCONTACTADD'] };
		const staticData: IDataObject = {};
		const lifecycle = hooks(parameters, credentials(), staticData);
		const before = sb.requests.calls().length;

		expect([await lifecycle.checkExists(), await lifecycle.create(), await lifecycle.delete()]).toEqual([
			true,
			true,
			true,
		]);
		expect(sb.requests.calls().length).toBe(before);
		expect(appBindings()).toEqual([]);
		expect(staticData).toEqual({});
	});

	it("will not publish without the outgoing webhook's token in the credential", async () => {
		const lifecycle = hooks(
			{ mode: 'events', authentication: 'webhook', events: ['ONCRMCONTACTADD'] },
			credentials(''),
			{},
		);
		await expect(lifecycle.checkExists()).rejects.toThrow(/application token/i);
	});

	it('will not publish while the node still holds a token of its own (issue #11 item 7), and says where it goes', async () => {
		const legacy = {
			mode: 'events',
			authentication: 'webhook',
			applicationToken: 'from-an-old-workflow',
			events: ['ONCRMCONTACTADD'],
		};
		for (const lifecycle of [hooks(legacy, credentials(''), {}), hooks(legacy, credentials(), {})]) {
			const error = await lifecycle.checkExists().then(
				() => undefined,
				(thrown: unknown) => thrown as { message: string; description?: string },
			);
			expect(error?.message).toMatch(/must move into the credential/);
			expect(error?.description).toMatch(
				/Bitrix24 Webhook API.*Application Token \(Outgoing Webhook\).*empty the trigger/s,
			);
			expect(JSON.stringify(error)).not.toContain('from-an-old-workflow');
		}
	});

	it('needs no credential call for the install callback mode, but a portal to check callbacks against', async () => {
		const before = sb.requests.calls().length;
		const lifecycle = hooks({ mode: 'appInstall', expectedPortal: 'acme.bitrix24.de' }, {}, {});
		expect([await lifecycle.checkExists(), await lifecycle.create(), await lifecycle.delete()]).toEqual([
			true,
			true,
			true,
		]);
		expect(sb.requests.calls().length).toBe(before);
		await expect(hooks({ mode: 'appInstall' }, {}, {}).checkExists()).rejects.toThrow(/portal address/i);
	});
});
