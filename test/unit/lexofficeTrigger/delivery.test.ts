import { generateKeyPairSync, sign } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { Lexoffice } from '../../../nodes/Lexoffice/Lexoffice.node';
import { createExecuteContext } from '../../helpers/n8nContext';
import { startLexofficeSandbox, type LexofficeSandbox } from '../../sandbox/lexoffice';
import { APP_URL, credentialsFor, lifecycle, WebhookListener, type TriggerSetup } from './triggerHarness';

/**
 * End to end, in-process: the sandbox changes something "in the web app", signs and delivers the
 * event over HTTP to a listener standing in for n8n, which hands it to the trigger's webhook();
 * each execution's items then go through the LexOffice node's Event → Get Resource, as in the
 * bundled workflows.
 */

const EVENTS = ['contact.created', 'contact.changed', 'contact.deleted', 'payment.changed', 'invoice.status.changed'];
const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

let sb: LexofficeSandbox;
let listener: WebhookListener;
let setup: TriggerSetup;

beforeAll(async () => {
	sb = await startLexofficeSandbox({
		seed: { contacts: 5, invoices: 0, seed: 7 },
		signingKey: signingKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
	});
	setup = { parameters: { events: EVENTS, options: {} }, credentials: credentialsFor(sb), staticData: {} };
	listener = await new WebhookListener(() => setup, sb).start();
	if (!(await lifecycle('checkExists', setup, listener.url))) await lifecycle('create', setup, listener.url);
	listener.live = true;
});
afterAll(async () => {
	await listener.close();
	await sb.close();
});

/** The items after LexOffice → Event → Get Resource, the node that follows the trigger. */
async function withResources(items: IDataObject[]): Promise<IDataObject[]> {
	const node = new Lexoffice();
	const context = createExecuteContext(node, {
		parameters: {
			resource: 'event',
			operation: 'getResource',
			eventType: '={{ $json.eventType }}',
			resourceId: '={{ $json.resourceId }}',
		},
		credentials: credentialsFor(sb),
		items: items.map((json) => ({ json })),
	});
	const [output] = await node.execute.call(context);
	return output.map((item) => item.json);
}

/** Lets every delivery arrive and every webhook() finish; returns the items of new executions, resources loaded. */
async function delivered(): Promise<IDataObject[]> {
	const before = listener.executions.length;
	await sb.webhooks.flush({ timeoutMs: 10_000 });
	await listener.settle();
	return await withResources(listener.executions.slice(before).flatMap((run) => run[0].map((item) => item.json)));
}

async function postToTrigger(body: string, signature: string): Promise<number> {
	const response = await fetch(listener.callbackUrl, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', 'X-Lxo-Signature': signature },
		body,
	});
	await listener.settle();
	return response.status;
}

const newCompany = (name: string) => ({ roles: { customer: {} }, company: { name } });

describe('LexOffice Trigger end to end with the sandbox', () => {
	it('turns contact.created into one item carrying the fetched contact', async () => {
		const contact = sb.simulate.createContact(newCompany('Bäckerei Schäfer GmbH'));
		const items = await delivered();

		expect(items).toEqual([
			{
				organizationId: sb.organizationId,
				eventType: 'contact.created',
				resourceId: contact.id,
				eventDate: expect.any(String),
				resource: JSON.parse(JSON.stringify(sb.state.contacts.get(contact.id))),
				permalinks: { view: `${APP_URL}/permalink/contacts/view/${contact.id}` },
			},
		]);
		// LexOffice got its 200 before the contact was fetched (5 s read timeout, §6.5): in the execution.
		const run = listener.runs[listener.runs.length - 1];
		expect(run.apiPathsAtAnswer).not.toContain(`/v1/contacts/${contact.id}`);
		expect(run.workflowData?.[0][0].json.resource).toBeUndefined();
		expect(sb.requests.count({ method: 'GET', pathIncludes: `/v1/contacts/${contact.id}` })).toBe(1);
		expect(sb.webhooks.deliveries().at(-1)?.status).toBe('delivered');
		// The organization was looked up at activation, not per delivery.
		expect(sb.requests.count({ pathIncludes: '/v1/profile' })).toBe(1);
	});

	it('reports a contact deleted before it could be fetched as deleted: true', async () => {
		const contact = sb.simulate.createContact(newCompany('Kurzlebig KG'));
		await delivered();
		sb.simulate.changeContact(contact.id, { note: 'gleich weg' });
		sb.simulate.deleteContact(contact.id);
		const items = await delivered();

		const byType = Object.fromEntries(items.map((item) => [item.eventType, item]));
		expect(Object.keys(byType).sort()).toEqual(['contact.changed', 'contact.deleted']);
		expect(byType['contact.changed']).toMatchObject({ resourceId: contact.id, resource: { deleted: true } });
		expect(byType['contact.deleted']).toMatchObject({ resourceId: contact.id, resource: { deleted: true } });
		expect(byType['contact.changed'].permalinks).toBeUndefined();
		// contact.changed tried the contact (404); contact.deleted did not ask.
		expect(sb.requests.count({ method: 'GET', pathIncludes: `/v1/contacts/${contact.id}`, status: 404 })).toBe(1);
	});

	it('drops a repeated delivery, but not when deduplication is off', async () => {
		const contact = sb.simulate.createContact(newCompany('Doppelt & Söhne OHG'));
		await delivered();
		const delivery = sb.webhooks.deliveries().find((d) => d.resourceId === contact.id);
		if (!delivery) throw new Error('no delivery');
		const executions = listener.executions.length;

		expect(await postToTrigger(delivery.body, delivery.signature)).toBe(200);
		expect(listener.executions.length).toBe(executions);

		setup = { ...setup, parameters: { events: EVENTS, options: { deduplicate: false } } };
		try {
			expect(await postToTrigger(delivery.body, delivery.signature)).toBe(200);
			expect(listener.executions.length).toBe(executions + 1);
		} finally {
			setup = { ...setup, parameters: { events: EVENTS, options: {} } };
		}
	});

	it('rejects a validly signed event of another organization', async () => {
		const body = JSON.stringify({
			organizationId: 'aa93e8a8-2aa3-470b-b914-caad8a255dd8',
			eventType: 'contact.created',
			resourceId: [...sb.state.contacts.keys()][0],
			eventDate: '2025-09-01T12:30:00.000+02:00',
		});
		const executions = listener.executions.length;
		expect(await postToTrigger(body, sign('sha512', Buffer.from(body), signingKey).toString('base64'))).toBe(400);
		expect(listener.executions.length).toBe(executions);
	});

	function openInvoice() {
		const customer = [...sb.state.contacts.values()].find((contact) => contact.roles.customer);
		if (!customer) throw new Error('no customer in the seed');
		return sb.simulate.createInvoice(
			{
				voucherDate: '2025-09-01T00:00:00.000+02:00',
				address: { contactId: customer.id },
				lineItems: [
					{
						type: 'custom',
						name: 'Beratung',
						quantity: 1,
						unitName: 'Stunde',
						unitPrice: { currency: 'EUR', netAmount: 100, taxRatePercentage: 19 },
					},
				],
				totalPrice: { currency: 'EUR' },
				taxConditions: { taxType: 'net' },
				shippingConditions: { shippingType: 'none' },
			},
			{ finalize: true },
		);
	}

	it('carries the payments of payment.changed and links the invoice', async () => {
		const invoice = openInvoice();
		await delivered();
		sb.simulate.payInvoice(invoice.id);
		const items = await delivered();

		const payment = items.find((item) => item.eventType === 'payment.changed');
		expect(payment).toMatchObject({
			resourceId: invoice.id,
			resource: { voucherType: 'invoice', voucherStatus: 'paid', openAmount: 0 },
			permalinks: {
				view: `${APP_URL}/permalink/invoices/view/${invoice.id}`,
				edit: `${APP_URL}/permalink/invoices/edit/${invoice.id}`,
			},
		});
		const status = items.find((item) => item.eventType === 'invoice.status.changed');
		expect(status).toMatchObject({ resourceId: invoice.id, resource: { id: invoice.id, voucherStatus: 'paid' } });
		// invoice.changed is not selected, and no subscription asks for it.
		expect(items.map((item) => item.eventType).sort()).toEqual(['invoice.status.changed', 'payment.changed']);
	});

	it('reports payment.changed of an invoice turned back into a draft as available: false', async () => {
		const invoice = openInvoice();
		await delivered();
		sb.simulate.revertInvoiceToDraft(invoice.id);
		const payment = (await delivered()).find((item) => item.eventType === 'payment.changed');
		expect(payment).toMatchObject({ resourceId: invoice.id, resource: { available: false } });
	});
});
