/**
 * A click on the "LexOffice: Rechnung erstellen" button, end to end in a real n8n 2.41.1: the
 * Bitrix24 sandbox posts the documented placement payload to the published Bitrix24 Trigger, which
 * answers with the redirect page and starts an execution naming the clicked record; a call with a
 * forged application token gets a readable 401 page and starts nothing.
 */
import { randomUUID } from 'node:crypto';

import axios from 'axios';

import { declaredTypes, nodeOutputJson, startN8n, type N8nInstance } from '../harness';
import { startBitrix24Sandbox } from '../sandbox/bitrix24';

type Bitrix24Sandbox = Awaited<ReturnType<typeof startBitrix24Sandbox>>;

const STARTUP_TIMEOUT_MS = 10 * 60_000;
jest.setTimeout(90_000);

const REDIRECT_URL = 'https://app.lexware.de/vouchers';

describe('Bitrix24 Trigger placement handler in a real n8n', () => {
	let n8n: N8nInstance | undefined;
	let bitrix24: Bitrix24Sandbox | undefined;
	let workflowId: string;
	const webhookId = randomUUID();

	const api = (): N8nInstance => {
		if (!n8n) throw new Error('n8n did not start (see beforeAll)');
		return n8n;
	};
	const sandbox = (): Bitrix24Sandbox => {
		if (!bitrix24) throw new Error('sandbox did not start');
		return bitrix24;
	};

	beforeAll(async () => {
		const { packageName } = await declaredTypes();
		bitrix24 = await startBitrix24Sandbox({ limits: 'off' });
		n8n = await startN8n();
		await n8n.setupOwner();
		await n8n.createApiKey();
		await n8n.createCredential('Bitrix24 webhook', 'bitrix24WebhookApi', { webhookUrl: bitrix24.webhookUrl });
		const imported = await n8n.importWorkflow({
			name: 'e2e: Bitrix24 placement',
			nodes: [
				{
					id: randomUUID(),
					name: 'Button clicked',
					type: `${packageName}.bitrix24Trigger`,
					typeVersion: 1,
					position: [0, 0],
					webhookId,
					parameters: {
						mode: 'placement',
						authentication: 'webhook',
						applicationToken: bitrix24.oauth.applicationToken,
						placementResponse: 'redirectPage',
						redirectUrl: REDIRECT_URL,
					},
					credentials: { bitrix24WebhookApi: { id: null, name: 'Bitrix24 webhook' } },
				},
			],
			connections: {},
			settings: { executionOrder: 'v1' },
		});
		workflowId = imported.id;
		await n8n.publish(workflowId);
		await n8n.waitPublished(workflowId);

		// The button itself is registered by the local application (placement.bind needs app context).
		const { access_token: accessToken } = await bitrix24.oauth.issueTokens();
		const bound = await axios.post(
			`${bitrix24.url}/rest/placement.bind`,
			{
				PLACEMENT: 'CRM_CONTACT_DETAIL_TOOLBAR',
				HANDLER: n8n.webhookUrl(`${webhookId}/webhook`),
				TITLE: 'LexOffice: Rechnung erstellen',
			},
			{ headers: { Authorization: `Bearer ${accessToken}` }, proxy: false },
		);
		expect(bound.data.result).toBe(true);
	}, STARTUP_TIMEOUT_MS);

	afterAll(async () => {
		await n8n?.stop();
		await bitrix24?.close();
	}, 60_000);

	it('answers a button click with a redirect page and runs the workflow for the clicked contact', async () => {
		const response = await sandbox().simulate.placementCall('CRM_CONTACT_DETAIL_TOOLBAR', {
			ID: 1042,
			URI: '/crm/contact/details/1042/',
		});

		expect(response.status).toBe(200);
		expect(response.headers['content-type']).toMatch(/text\/html/);
		expect(response.body).toContain(`href="${REDIRECT_URL}"`);
		expect(response.body).toMatch(/<script>[^<]*window\.top\.location/);
		// Bitrix24 shows the answer inside its slider (an iframe): nothing may forbid framing.
		expect(response.headers['x-frame-options']).toBeUndefined();
		expect(response.headers['content-security-policy'] ?? '').not.toMatch(/frame-ancestors\s+'none'/);

		const execution = await api().waitForExecution(workflowId, (candidate) =>
			nodeOutputJson(candidate, 'Button clicked').some((item) => item.id === 1042),
		);
		expect(nodeOutputJson(execution, 'Button clicked')[0]).toMatchObject({
			placement: 'CRM_CONTACT_DETAIL_TOOLBAR',
			entityType: 'contact',
			entityTypeId: 3,
			id: 1042,
		});
	});

	it('refuses a click carrying a forged application token with a 401 page and no execution', async () => {
		const before = await api().executionIds(workflowId);
		const forged = await axios.post(
			api().webhookUrl(`${webhookId}/webhook`),
			new URLSearchParams({
				APPLICATION_TOKEN: 'forged-token',
				PLACEMENT: 'CRM_CONTACT_DETAIL_TOOLBAR',
				PLACEMENT_OPTIONS: JSON.stringify({ ID: '1043' }),
			}).toString(),
			{
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
				validateStatus: () => true,
				proxy: false,
			},
		);

		expect(forged.status).toBe(401);
		expect(String(forged.data)).toMatch(/<html/i);
		// Give a (wrongly) started execution time to show up before comparing.
		await new Promise((resolve) => setTimeout(resolve, 2_000));
		expect(await api().executionIds(workflowId)).toEqual(before);
	});
});
