import { generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { LEXWARE_WEBHOOK_PUBLIC_KEY } from '../../../nodes/LexofficeTrigger/signature';
import { startLexofficeSandbox, type LexofficeSandbox } from '../../sandbox/lexoffice';
import { credentialsFor, runWebhook, type TriggerSetup } from './triggerHarness';

const PINNED_PEM = join(__dirname, '..', '..', '..', 'docs', 'reference', 'lexware-webhook-public-key.pem');
const CONTACT_ID = '4d43ad14-671d-4e0c-fd4b-2fd8cc117eff';

const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 });

let sb: LexofficeSandbox;

beforeAll(async () => {
	sb = await startLexofficeSandbox({ signingKey: signingKey.export({ type: 'pkcs8', format: 'pem' }).toString() });
});
afterAll(async () => await sb.close());

function setup(overrides: IDataObject = {}): TriggerSetup {
	return {
		parameters: { events: ['contact.changed'], options: { deduplicate: false } },
		credentials: credentialsFor(sb, overrides),
		staticData: {},
	};
}

function compactBody(fields: Record<string, unknown> = {}): string {
	return JSON.stringify({
		organizationId: sb.organizationId,
		eventType: 'contact.changed',
		resourceId: CONTACT_ID,
		eventDate: '2025-09-01T12:30:00.000+02:00',
		...fields,
	});
}

const signed = (body: string, key = signingKey) => sign('sha512', Buffer.from(body), key).toString('base64');

async function deliver(body: string, headers: Record<string, string>, triggerSetup = setup()) {
	return await runWebhook(triggerSetup, {
		method: 'POST',
		headers,
		body: JSON.parse(body),
		rawBody: Buffer.from(body),
	});
}

describe('LexOffice Trigger signature check (lexoffice-api.md §6.4)', () => {
	it('ships the pinned Lexware key byte for byte', () => {
		expect(LEXWARE_WEBHOOK_PUBLIC_KEY).toBe(readFileSync(PINNED_PEM, 'utf8'));
	});

	it('accepts a body signed with the key of the credential override', async () => {
		const body = compactBody();
		const run = await deliver(body, { 'X-Lxo-Signature': signed(body) });
		expect(run.response.statusCode).toBe(200);
		expect(run.workflowData?.[0].map((item) => item.json)).toEqual([
			{
				organizationId: sb.organizationId,
				eventType: 'contact.changed',
				resourceId: CONTACT_ID,
				eventDate: '2025-09-01T12:30:00.000+02:00',
				permalinks: { view: `https://app.lexware.de/permalink/contacts/view/${CONTACT_ID}` },
			},
		]);
	});

	it('verifies the sandbox’s own deliveries', async () => {
		const { body, signature } = sb.webhooks.signedPayload(
			'contact.changed',
			CONTACT_ID,
			'2025-09-02T08:00:00.000+02:00',
		);
		const run = await deliver(body, { 'x-lxo-signature': signature });
		expect(run.response.statusCode).toBe(200);
		expect(run.workflowData).toHaveLength(1);
	});

	const rejected: Array<[string, () => { body: string; headers: Record<string, string>; setup?: TriggerSetup }]> = [
		[
			'a tampered body',
			() => ({
				body: compactBody({ resourceId: 'be9475f4-ef80-442b-8ab9-3ab8b1a2aeb9' }),
				headers: { 'X-Lxo-Signature': signed(compactBody()) },
			}),
		],
		[
			'a signature by another key',
			() => ({ body: compactBody(), headers: { 'X-Lxo-Signature': signed(compactBody(), otherKey.privateKey) } }),
		],
		[
			'a sandbox signature checked with the pinned Lexware key (no override)',
			() => ({
				body: compactBody(),
				headers: { 'X-Lxo-Signature': signed(compactBody()) },
				setup: setup({ webhookPublicKey: '' }),
			}),
		],
		['no signature header', () => ({ body: compactBody(), headers: {} })],
		['a signature that is not base64', () => ({ body: compactBody(), headers: { 'X-Lxo-Signature': 'not*base64' } })],
		[
			'the same JSON re-serialised with spaces',
			() => ({
				body: JSON.stringify(JSON.parse(compactBody()), null, 1),
				headers: { 'X-Lxo-Signature': signed(compactBody()) },
			}),
		],
	];

	it.each(rejected)('rejects %s with 401 and starts nothing', async (_name, make) => {
		const { body, headers, setup: triggerSetup } = make();
		const run = await deliver(body, headers, triggerSetup);
		expect(run.response.statusCode).toBe(401);
		expect(run.workflowData).toBeUndefined();
	});

	it('reads the raw body when n8n has not read it yet', async () => {
		const body = compactBody();
		const request = {
			method: 'POST',
			headers: { 'X-Lxo-Signature': signed(body) },
			body: JSON.parse(body),
			rawBody: Buffer.from(body),
		};
		const run = await runWebhook(setup(), request, undefined, { rawBodyUnread: true });
		expect(run.response.statusCode).toBe(200);
		expect(run.workflowData).toHaveLength(1);
	});

	it('rejects a correctly signed body that is not a LexOffice event with 400', async () => {
		for (const body of [compactBody({ resourceId: undefined }), compactBody({ eventDate: 'yesterday' }), '[1,2]']) {
			const run = await deliver(body, { 'X-Lxo-Signature': signed(body) });
			expect(run.response.statusCode).toBe(400);
			expect(run.workflowData).toBeUndefined();
		}
	});

	it('rejects an event of another organization with 400', async () => {
		const body = compactBody({ organizationId: 'aa93e8a8-2aa3-470b-b914-caad8a255dd8' });
		const run = await deliver(body, { 'X-Lxo-Signature': signed(body) });
		expect(run.response.statusCode).toBe(400);
		expect(run.workflowData).toBeUndefined();
	});

	it('accepts but ignores an event type that is not selected', async () => {
		const body = compactBody({ eventType: 'invoice.created' });
		const run = await deliver(body, { 'X-Lxo-Signature': signed(body) });
		expect(run.response.statusCode).toBe(200);
		expect(run.workflowData).toBeUndefined();
	});

	it('answers LexOffice’s HEAD probe with 200', async () => {
		const run = await runWebhook(setup(), { method: 'HEAD', headers: {} });
		expect(run.response.statusCode).toBe(200);
		expect(run.workflowData).toBeUndefined();
	});
});
