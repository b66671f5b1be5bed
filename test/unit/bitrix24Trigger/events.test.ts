/**
 * CRM events end to end: the Bitrix24 sandbox delivers real form-encoded events (bitrix24-api.md
 * §10) to a loopback endpoint that parses them like n8n 2.41 and runs the trigger.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../sandbox/bitrix24';
import { runTriggerWebhook, startTriggerEndpoint, type TriggerEndpoint, type TriggerSetup } from './triggerEndpoint';

let sb: Bitrix24Sandbox;
let endpoint: TriggerEndpoint;
let parameters: INodeParameters;

const ALL_CONTACT_EVENTS = ['ONCRMCONTACTADD', 'ONCRMCONTACTUPDATE', 'ONCRMCONTACTDELETE'];

/** The cases name the expected token next to the parameters; it lives in the webhook credential. */
function setup(): TriggerSetup {
	const { applicationToken, ...nodeParameters } = parameters;
	return {
		parameters: nodeParameters,
		credentials: {
			bitrix24WebhookApi: { webhookUrl: sb.webhookUrl, applicationToken: String(applicationToken ?? '') },
		},
	};
}

async function rest(method: string, params: IDataObject): Promise<IDataObject> {
	const response = await fetch(`${sb.webhookUrl}${method}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(params),
	});
	const body = (await response.json()) as IDataObject;
	if (!response.ok) throw new Error(`${method}: ${JSON.stringify(body)}`);
	return body.result as IDataObject;
}

async function addContact(name: string): Promise<number> {
	const result = await rest('crm.item.add', { entityTypeId: 3, fields: { name, lastName: 'Müller' } });
	return Number((result.item as IDataObject).id);
}

function onlyItem(callIndex = -1): IDataObject {
	const call = endpoint.calls.at(callIndex);
	expect(call?.error).toBeUndefined();
	expect(call?.result?.workflowData).toHaveLength(1);
	expect(call?.result?.workflowData?.[0]).toHaveLength(1);
	return call!.result!.workflowData![0][0].json;
}

beforeAll(async () => {
	sb = await startBitrix24Sandbox({ limits: 'off' });
	endpoint = await startTriggerEndpoint(setup);
});

afterAll(async () => {
	await endpoint.close();
	await sb.close();
});

beforeEach(() => {
	endpoint.calls.length = 0;
	sb.events.setMode('auto');
	sb.portal.state.eventBindings = [];
});

describe('CRM events through an outgoing webhook', () => {
	it('turns a delivered event into one item with the nested data.FIELDS.ID', async () => {
		const token = sb.events.addOutgoingWebhook(endpoint.url, ['ONCRMCONTACTADD']);
		parameters = { mode: 'events', authentication: 'webhook', applicationToken: token, events: ['ONCRMCONTACTADD'] };

		const id = await addContact('Jürgen');
		const [delivery] = await sb.events.flush();

		expect(delivery.status).toBe(200);
		expect(delivery.body).toContain('data%5BFIELDS%5D%5BID%5D='); // bracketed keys on the wire
		expect(endpoint.calls).toHaveLength(1);
		const item = onlyItem();
		expect((item.data as IDataObject).FIELDS).toEqual({ ID: String(id) });
		expect(item).toMatchObject({ event: 'ONCRMCONTACTADD', action: 'add', entityType: 'contact', entityTypeId: 3, id });
		// The token that authenticated the call is not handed to the workflow.
		expect(JSON.stringify(item)).not.toContain(token);
	});

	it.each([
		['a wrong token', 'not-the-token'],
		['a token of the wrong length', 'x'],
	])('refuses a call with %s: 401 and no execution', async (_case, configured) => {
		sb.events.addOutgoingWebhook(endpoint.url, ['ONCRMCONTACTADD']);
		parameters = {
			mode: 'events',
			authentication: 'webhook',
			applicationToken: configured,
			events: ['ONCRMCONTACTADD'],
		};

		await addContact('Petra');
		const [delivery] = await sb.events.flush();

		expect(delivery.status).toBe(401);
		expect(endpoint.calls[0].result?.workflowData).toBeUndefined();
		expect(endpoint.calls[0].result?.noWebhookResponse).toBe(true);
	});

	it('refuses a call without any token: 401 and no execution', async () => {
		parameters = { mode: 'events', authentication: 'webhook', applicationToken: 'secret', events: ['ONCRMCONTACTADD'] };
		const response = await fetch(endpoint.url, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: 'event=ONCRMCONTACTADD&data%5BFIELDS%5D%5BID%5D=1&auth%5Bdomain%5D=evil.example',
		});
		expect(response.status).toBe(401);
		expect(await response.json()).toMatchObject({ error: 'Unauthorized' });
		expect(endpoint.calls[0].result?.workflowData).toBeUndefined();
	});

	it('refuses every call when no token is configured', async () => {
		const token = sb.events.addOutgoingWebhook(endpoint.url, ['ONCRMCONTACTADD']);
		parameters = { mode: 'events', authentication: 'webhook', applicationToken: '', events: ['ONCRMCONTACTADD'] };
		await addContact('Ohne');
		const [delivery] = await sb.events.flush();
		expect(token).not.toBe('');
		expect(delivery.status).toBe(401);
		expect(endpoint.calls[0].result?.workflowData).toBeUndefined();
	});

	it('gives the same item for flat keys, a nested body and an unparsed raw body', async () => {
		const token = sb.events.addOutgoingWebhook(endpoint.url, ['ONCRMCONTACTUPDATE']);
		parameters = { mode: 'events', authentication: 'webhook', applicationToken: token, events: ['ONCRMCONTACTUPDATE'] };
		const id = await addContact('Anna');
		await rest('crm.item.update', { entityTypeId: 3, id, fields: { name: 'Anna-Lena' } });
		const [delivery] = await sb.events.flush();
		const flat = onlyItem();

		const headers = { 'content-type': 'application/x-www-form-urlencoded' };
		const rawBody = Buffer.from(delivery.body);
		// A parser that nests bracketed keys (PHP, qs) gives the same tree, with every value a string.
		const nestedBody = JSON.parse(
			JSON.stringify(delivery.payload, (_key, value: unknown) => (typeof value === 'number' ? String(value) : value)),
		);
		const nested = await runTriggerWebhook(setup(), { headers, body: nestedBody, rawBody });
		const unparsed = await runTriggerWebhook(setup(), { headers, body: {}, rawBody });

		expect(flat).toMatchObject({ event: 'ONCRMCONTACTUPDATE', id, data: { FIELDS: { ID: String(id) } } });
		expect(nested.result?.workflowData?.[0][0].json).toEqual(flat);
		expect(unparsed.result?.workflowData?.[0][0].json).toEqual(flat);
	});

	it('ignores authenticated events the trigger was not set up for', async () => {
		const token = sb.events.addOutgoingWebhook(endpoint.url, ['ONCRMCONTACTADD', 'ONCRMCOMPANYADD']);
		parameters = { mode: 'events', authentication: 'webhook', applicationToken: token, events: ['ONCRMCOMPANYADD'] };
		await addContact('Nicht gewählt');
		const [delivery] = await sb.events.flush();
		expect(delivery.status).toBe(200);
		expect(endpoint.calls[0].result?.workflowData).toBeUndefined();
	});
});

describe('Fetch Record', () => {
	const crmItemGets = () =>
		sb.requests.calls().filter((entry) => entry.label === 'crm.item.get' || entry.path.endsWith('/crm.item.get'))
			.length;

	it('puts the whole record on the item', async () => {
		const token = sb.events.addOutgoingWebhook(endpoint.url, ['ONCRMCONTACTADD']);
		parameters = {
			mode: 'events',
			authentication: 'webhook',
			applicationToken: token,
			events: ['ONCRMCONTACTADD'],
			fetchRecord: true,
		};
		const id = await addContact('Jürgen');
		await sb.events.flush();
		const item = onlyItem();
		expect(item.recordDeleted).toBe(false);
		expect(item.record).toMatchObject({ id, name: 'Jürgen', lastName: 'Müller' });
	});

	it('reports a record deleted before the event arrived, without failing', async () => {
		const token = sb.events.addOutgoingWebhook(endpoint.url, ['ONCRMCONTACTUPDATE']);
		parameters = {
			mode: 'events',
			authentication: 'webhook',
			applicationToken: token,
			events: ['ONCRMCONTACTUPDATE'],
			fetchRecord: true,
		};
		sb.events.setMode('manual');
		const id = await addContact('Kurzlebig');
		await rest('crm.item.update', { entityTypeId: 3, id, fields: { name: 'Weg' } });
		await rest('crm.item.delete', { entityTypeId: 3, id });
		const before = crmItemGets();
		await sb.events.flush();

		expect(crmItemGets()).toBe(before + 1);
		expect(onlyItem()).toMatchObject({ id, record: null, recordDeleted: true });
	});

	it('reports a delete event as deleted without asking Bitrix24', async () => {
		const token = sb.events.addOutgoingWebhook(endpoint.url, ALL_CONTACT_EVENTS);
		parameters = {
			mode: 'events',
			authentication: 'webhook',
			applicationToken: token,
			events: ['ONCRMCONTACTDELETE'],
			fetchRecord: true,
		};
		sb.events.setMode('manual');
		const id = await addContact('Gelöscht');
		await rest('crm.item.delete', { entityTypeId: 3, id });
		const before = crmItemGets();
		await sb.events.flush();

		expect(crmItemGets()).toBe(before);
		expect(endpoint.calls).toHaveLength(2); // add and delete arrive; only delete is selected
		const deleted = endpoint.calls.filter((call) => call.result?.workflowData);
		expect(deleted).toHaveLength(1);
		expect(deleted[0].result!.workflowData![0][0].json).toMatchObject({
			action: 'delete',
			id,
			recordDeleted: true,
			record: null,
		});
	});
});

describe('smart invoice events', () => {
	it('passes smart invoices (entity type 31) and ignores other smart processes', async () => {
		parameters = {
			mode: 'events',
			authentication: 'webhook',
			applicationToken: sb.oauth.applicationToken,
			events: ['onCrmDynamicItemAdd'],
			fetchRecord: true,
		};
		const invoice = await rest('crm.item.add', { entityTypeId: 31, fields: { title: 'Rechnung RE-1001' } });
		const invoiceId = Number((invoice.item as IDataObject).id);

		const accepted = await sb.events.deliverTo(endpoint.url, 'ONCRMDYNAMICITEMADD', {
			ID: invoiceId,
			ENTITY_TYPE_ID: 31,
		});
		const ignored = await sb.events.deliverTo(endpoint.url, 'ONCRMDYNAMICITEMADD', { ID: 7, ENTITY_TYPE_ID: 183 });

		expect([accepted.status, ignored.status]).toEqual([200, 200]);
		expect(onlyItem(0)).toMatchObject({
			event: 'ONCRMDYNAMICITEMADD',
			entityType: 'smartInvoice',
			entityTypeId: 31,
			id: invoiceId,
			record: { id: invoiceId, title: 'Rechnung RE-1001' },
		});
		expect(endpoint.calls[1].result?.workflowData).toBeUndefined();
	});
});
