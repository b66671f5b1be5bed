/**
 * The LexOffice Trigger in a real n8n 2.41.1: publishing subscribes in the LexOffice sandbox,
 * signed deliveries start executions whose Event → Get Resource node loads the resource, a forged delivery starts
 * nothing, and unpublishing removes the subscriptions.
 */
import { randomUUID } from 'node:crypto';

import axios from 'axios';

import { declaredTypes, nodeOutputJson, pollUntil, startN8n, type N8nInstance } from '../harness';
import { startLexofficeSandbox } from '../sandbox/lexoffice';

type LexofficeSandbox = Awaited<ReturnType<typeof startLexofficeSandbox>>;

const STARTUP_TIMEOUT_MS = 10 * 60_000;
jest.setTimeout(90_000);

const EVENTS = ['contact.created', 'invoice.status.changed'];

describe('LexOffice Trigger in a real n8n', () => {
	let n8n: N8nInstance | undefined;
	let lexoffice: LexofficeSandbox | undefined;
	let workflowId: string;
	const webhookId = randomUUID();

	const api = (): N8nInstance => {
		if (!n8n) throw new Error('n8n did not start (see beforeAll)');
		return n8n;
	};
	const sandbox = (): LexofficeSandbox => {
		if (!lexoffice) throw new Error('sandbox did not start');
		return lexoffice;
	};
	const callbackUrl = () => api().webhookUrl(`${webhookId}/webhook`);
	const ourSubscriptions = () =>
		[...sandbox().state.subscriptions.values()].filter((subscription) => subscription.callbackUrl === callbackUrl());

	beforeAll(async () => {
		const { packageName } = await declaredTypes();
		lexoffice = await startLexofficeSandbox({ limits: 'off', timeScale: 0.001 });
		n8n = await startN8n();
		await n8n.setupOwner();
		await n8n.createApiKey();
		await n8n.createCredential('LexOffice account', 'lexofficeApi', {
			apiKey: lexoffice.apiKey,
			host: lexoffice.url,
			webhookPublicKey: lexoffice.publicKeyPem,
		});
		const imported = await n8n.importWorkflow({
			name: 'e2e: LexOffice Trigger',
			nodes: [
				{
					id: randomUUID(),
					name: 'LexOffice Trigger',
					type: `${packageName}.lexofficeTrigger`,
					typeVersion: 1,
					position: [0, 0],
					webhookId,
					parameters: { events: EVENTS, options: {} },
					credentials: { lexofficeApi: { id: null, name: 'LexOffice account' } },
				},
				{
					id: randomUUID(),
					name: 'Get Resource',
					type: `${packageName}.lexoffice`,
					typeVersion: 1,
					position: [220, 0],
					parameters: {
						resource: 'event',
						operation: 'getResource',
						eventType: '={{ $json.eventType }}',
						resourceId: '={{ $json.resourceId }}',
					},
					credentials: { lexofficeApi: { id: null, name: 'LexOffice account' } },
				},
			],
			connections: { 'LexOffice Trigger': { main: [[{ node: 'Get Resource', type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
		});
		workflowId = imported.id;
		await n8n.publish(workflowId);
		await n8n.waitPublished(workflowId);
	}, STARTUP_TIMEOUT_MS);

	afterAll(async () => {
		await n8n?.stop();
		await lexoffice?.close();
	}, 60_000);

	it('subscribes one event type per subscription for the production URL on publish', () => {
		expect(
			ourSubscriptions()
				.map((subscription) => subscription.eventType)
				.sort(),
		).toEqual([...EVENTS].sort());
	});

	it("answers LexOffice's HEAD probe of the callback URL once published", async () => {
		const probe = await axios.head(callbackUrl(), { validateStatus: () => true, proxy: false });
		expect(probe.status).toBe(200);
	});

	it('runs the workflow with the fetched contact when LexOffice reports a new contact', async () => {
		const contact = sandbox().simulate.createContact({
			version: 0,
			roles: { customer: {} },
			company: { name: `Müller & Söhne GmbH & Co. KG ${randomUUID().slice(0, 8)}` },
		} as never);
		await sandbox().webhooks.flush();

		const execution = await api().waitForExecution(workflowId, (candidate) =>
			nodeOutputJson(candidate, 'LexOffice Trigger').some((item) => item.resourceId === contact.id),
		);
		const [item] = nodeOutputJson(execution, 'Get Resource');
		expect(execution.status).toBe('success');
		expect(item).toMatchObject({
			eventType: 'contact.created',
			resourceId: contact.id,
			organizationId: sandbox().organizationId,
			resource: { id: contact.id, company: { name: contact.company?.name } },
		});
	});

	it('runs the workflow with the fetched invoice when an invoice changes status', async () => {
		const customer = sandbox().simulate.createContact({
			version: 0,
			roles: { customer: {} },
			person: { firstName: 'Jürgen', lastName: 'Weiß' },
		} as never);
		const invoice = sandbox().simulate.createInvoice({
			voucherDate: '2026-11-02T00:00:00.000+01:00',
			address: { contactId: customer.id },
			lineItems: [
				{
					type: 'custom',
					name: 'Beratung',
					quantity: 2,
					unitName: 'Stunde',
					unitPrice: { currency: 'EUR', netAmount: 95, taxRatePercentage: 19 },
				},
			],
			totalPrice: { currency: 'EUR' },
			taxConditions: { taxType: 'net' },
			shippingConditions: { shippingType: 'none' },
		});
		sandbox().simulate.finalizeInvoice(invoice.id);
		await sandbox().webhooks.flush();

		const execution = await api().waitForExecution(workflowId, (candidate) =>
			nodeOutputJson(candidate, 'LexOffice Trigger').some((item) => item.resourceId === invoice.id),
		);
		const [item] = nodeOutputJson(execution, 'Get Resource');
		// The customer's own contact.created delivery runs too; let it finish so later counts are stable.
		await api().waitForExecution(workflowId, (candidate) =>
			nodeOutputJson(candidate, 'LexOffice Trigger').some((event) => event.resourceId === customer.id),
		);
		expect(item).toMatchObject({
			eventType: 'invoice.status.changed',
			resourceId: invoice.id,
			resource: { id: invoice.id, voucherStatus: 'open' },
		});
	});

	it('answers a forged delivery with 401 and starts no execution', async () => {
		const before = await api().executionIds(workflowId);
		const body = JSON.stringify({
			organizationId: sandbox().organizationId,
			eventType: 'contact.created',
			resourceId: randomUUID(),
			eventDate: '2026-11-26T10:00:00.000+01:00',
		});
		const forged = await axios.post(callbackUrl(), body, {
			headers: { 'Content-Type': 'application/json', 'X-Lxo-Signature': Buffer.from('forged').toString('base64') },
			validateStatus: () => true,
			proxy: false,
		});
		const unsigned = await axios.post(callbackUrl(), body, {
			headers: { 'Content-Type': 'application/json' },
			validateStatus: () => true,
			proxy: false,
		});

		expect([forged.status, unsigned.status]).toEqual([401, 401]);
		// Give a (wrongly) started execution time to show up before counting.
		await new Promise((resolve) => setTimeout(resolve, 2_000));
		expect(await api().executionIds(workflowId)).toEqual(before);
	});

	it('removes its subscriptions when the workflow is unpublished', async () => {
		expect(ourSubscriptions()).toHaveLength(EVENTS.length);
		await api().unpublish(workflowId);
		// Unpublishing answers before the trigger's delete() has run.
		const remaining = await pollUntil(async () => (ourSubscriptions().length === 0 ? [] : undefined), {
			what: 'the trigger to delete its subscriptions',
			timeoutMs: 30_000,
		}).catch(() => ourSubscriptions());
		expect(remaining).toEqual([]);
	});
});
