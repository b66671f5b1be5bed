/**
 * A click on the "LexOffice: Rechnung erstellen" button, end to end in a real n8n 2.41.1: the
 * Bitrix24 sandbox posts the documented placement payload to the published Bitrix24 Trigger, which
 * answers with the redirect page and starts an execution naming the clicked record; a call with a
 * forged application token or a forged user token gets a readable 401 page and starts nothing, and
 * hostile 1 MB bodies start nothing and leave n8n responsive (issue #11 items 1 and 4).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

import axios from 'axios';

import { parseProcStat } from '../../scripts/lib/processTree';
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
		await n8n.createCredential('Bitrix24 webhook', 'bitrix24WebhookApi', {
			webhookUrl: bitrix24.webhookUrl,
			applicationToken: bitrix24.oauth.applicationToken,
		});
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

	it('refuses the right application token with a forged user token (AUTH_ID): 401 page, no execution', async () => {
		const before = await api().executionIds(workflowId);
		const response = await sandbox().simulate.placementCall(
			'CRM_CONTACT_DETAIL_TOOLBAR',
			{ ID: 1044 },
			{ forgedAuthId: 'ffffffffffffffffffffffffffffffff' },
		);

		expect(response.status).toBe(401);
		expect(response.body).toMatch(/<html/i);
		await new Promise((resolve) => setTimeout(resolve, 2_000));
		expect(await api().executionIds(workflowId)).toEqual(before);
	});

	/** n8n's own CPU time (utime + stime of its main process), from /proc: never wall time. */
	const n8nCpuMs = (): number => {
		const stat = parseProcStat(readFileSync(`/proc/${String(api().pid)}/stat`, 'utf8'));
		return (stat.cpuTicks * 1000) / 100;
	};

	const MEGABYTE = 1024 * 1024;
	const hostileBodies: Array<[string, string | undefined, string]> = [
		['JSON `a[]` array', 'application/json', `{"a[]":[${'0,'.repeat(MEGABYTE / 2 - 8)}0]}`],
		['JSON nested deep', 'application/json', `${'{"a":'.repeat(MEGABYTE / 6)}1${'}'.repeat(MEGABYTE / 6)}`],
		['urlencoded `a[]` pairs', 'application/x-www-form-urlencoded', 'a[]=0&'.repeat(MEGABYTE / 6)],
		['urlencoded deep key', 'application/x-www-form-urlencoded', `a${'[b]'.repeat(MEGABYTE / 3)}=1`],
		['text/plain', 'text/plain', 'a%5B%5D=0&'.repeat(MEGABYTE / 10)],
		['no Content-Type', undefined, 'a[]=0&'.repeat(MEGABYTE / 6)],
	];

	it('refuses 1 MB hostile bodies of every shape without starting an execution, and stays responsive', async () => {
		const before = await api().executionIds(workflowId);
		const cpuBefore = n8nCpuMs();
		const statuses: Record<string, number> = {};
		for (const [shape, contentType, body] of hostileBodies) {
			const response = await axios.post(api().webhookUrl(`${webhookId}/webhook`), body, {
				headers: contentType ? { 'Content-Type': contentType } : { 'Content-Type': '' },
				transformRequest: [(data: unknown) => data],
				validateStatus: () => true,
				proxy: false,
				maxBodyLength: 4 * MEGABYTE,
			});
			statuses[shape] = response.status;
		}
		const cpuUsed = n8nCpuMs() - cpuBefore;

		// 413 from the trigger; n8n may refuse a body it cannot parse itself (422) before the trigger runs.
		for (const status of Object.values(statuses)) expect([413, 422]).toContain(status);
		// The old parser needed minutes of CPU for one such body; n8n's own reading and parsing of six
		// megabytes stays far below a second each.
		expect(cpuUsed).toBeLessThan(hostileBodies.length * 1000);
		await new Promise((resolve) => setTimeout(resolve, 2_000));
		expect(await api().executionIds(workflowId)).toEqual(before);

		// Still responsive: a real click right after is answered and runs.
		const click = await sandbox().simulate.placementCall('CRM_CONTACT_DETAIL_TOOLBAR', { ID: 1045 });
		expect(click.status).toBe(200);
		await api().waitForExecution(workflowId, (candidate) =>
			nodeOutputJson(candidate, 'Button clicked').some((item) => item.id === 1045),
		);
	}, 180_000);
});
