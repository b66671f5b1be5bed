/**
 * What a delivery costs before it is answered (issue #15: nothing that needs LexOffice), what a
 * signed delivery of another organization costs (issue #11 item 5: at most one profile call per
 * few minutes, never a 5xx answer), and replays after a restart (issue #11 item 6).
 */
import { generateKeyPairSync, sign } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { forgetDeliveries } from '../../../nodes/LexofficeTrigger/deduplication';
import { startLexofficeSandbox, type LexofficeSandbox } from '../../sandbox/lexoffice';
import { credentialsFor, lifecycle, runWebhook, type TriggerSetup } from './triggerHarness';

const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const FOREIGN_ORGANIZATION = 'aa93e8a8-2aa3-470b-b914-caad8a255dd8';
const CONTACT_ID = '4d43ad14-671d-4e0c-fd4b-2fd8cc117eff';

let sb: LexofficeSandbox;

beforeAll(async () => {
	sb = await startLexofficeSandbox({ signingKey: signingKey.export({ type: 'pkcs8', format: 'pem' }).toString() });
});
afterAll(async () => await sb.close());

const setupWith = (staticData: IDataObject, options: Record<string, boolean> = {}): TriggerSetup => ({
	parameters: { events: ['contact.changed'], options },
	credentials: credentialsFor(sb),
	staticData,
});

function signedBody(fields: IDataObject = {}): { body: string; signature: string } {
	const body = JSON.stringify({
		organizationId: sb.organizationId,
		eventType: 'contact.changed',
		resourceId: CONTACT_ID,
		eventDate: '2026-12-05T12:30:00.000+01:00',
		...fields,
	});
	return { body, signature: sign('sha512', Buffer.from(body), signingKey).toString('base64') };
}

async function deliver(setup: TriggerSetup, { body, signature }: { body: string; signature: string }) {
	return await runWebhook(
		setup,
		{ method: 'POST', headers: { 'X-Lxo-Signature': signature }, body: JSON.parse(body), rawBody: Buffer.from(body) },
		{ sandbox: sb },
	);
}

const profileCalls = () => sb.requests.filter().filter((entry) => entry.path === '/v1/profile').length;

describe('LexOffice Trigger: answered before anything that needs LexOffice', () => {
	it('answers a genuine delivery before asking LexOffice anything, even with no organization known yet', async () => {
		// No activation in this process and nothing in static data: the organization is unknown.
		sb.requests.clear();
		sb.setFaults({ latencyMs: 300 });
		try {
			const run = await deliver(setupWith({}, {}), signedBody({ eventDate: '2026-12-05T12:31:00.000+01:00' }));
			expect(run.response.statusCode).toBe(200);
			expect(run.apiPathsAtAnswer).toEqual([]);
			// …and the organization check happened after it; the resource is loaded in the execution.
			expect(run.workflowData?.[0][0].json).toMatchObject({ resourceId: CONTACT_ID });
			expect(profileCalls()).toBe(1);
		} finally {
			sb.setFaults({});
		}
	});
});

describe('LexOffice Trigger: signed deliveries of another organization', () => {
	it('cost at most one profile call per few minutes, and are never answered with 5xx', async () => {
		const staticData: IDataObject = {};
		const webhookBase = 'https://n8n.example.org';
		// Activation learns the organization (one profile call).
		await lifecycle(
			'checkExists',
			{
				...setupWith(staticData),
				parameters: { events: ['contact.changed'], options: { createSubscriptions: false } },
			},
			webhookBase,
		);
		sb.requests.clear();
		// LexOffice's profile endpoint failing must not turn refusals into 5xx (LexOffice retries those for two days).
		sb.setFaults({ errorRate: 1, errorStatus: 503 });
		try {
			const runs = await Promise.all(
				Array.from({ length: 40 }, (_, n) =>
					deliver(
						setupWith(staticData),
						signedBody({
							organizationId: FOREIGN_ORGANIZATION,
							eventDate: `2026-12-05T12:${String(n).padStart(2, '0')}:00.000+01:00`,
						}),
					),
				),
			);
			const statuses = runs.map((run) => run.response.statusCode);
			expect(statuses.filter((status) => status >= 500)).toEqual([]);
			expect(runs.filter((run) => run.workflowData)).toEqual([]);
			expect(profileCalls()).toBeLessThanOrEqual(1);
		} finally {
			sb.setFaults({});
		}
		// The credential's own organization still runs the workflow, without a request before the answer.
		sb.requests.clear();
		const own = await deliver(setupWith(staticData), signedBody({ eventDate: '2026-12-05T13:00:00.000+01:00' }));
		expect([own.response.statusCode, own.apiPathsAtAnswer, own.workflowData?.length]).toEqual([200, [], 1]);
	});
});

describe('LexOffice Trigger: replays', () => {
	it('refuses a replayed delivery after a restart, from what it kept in the static data', async () => {
		const staticData: IDataObject = {};
		const delivery = signedBody({ eventDate: '2026-12-05T14:00:00.000+01:00' });
		const first = await deliver(setupWith(staticData), delivery);
		expect(first.workflowData).toHaveLength(1);
		// n8n saves the static data webhook() changed; a restart keeps that and nothing else.
		const saved = JSON.parse(JSON.stringify(staticData)) as IDataObject;
		forgetDeliveries();
		const replay = await deliver(setupWith(saved), delivery);
		expect(replay.response.statusCode).toBe(200);
		expect(replay.response.body).toMatchObject({ message: 'Duplicate delivery; ignored' });
		expect(replay.workflowData).toBeUndefined();
	});
});
