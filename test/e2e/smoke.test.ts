/**
 * Smoke test against a real n8n 2.41.1 (Node 24) with the packed package installed the way users
 * get it, and both sandboxes on loopback. Proves the package loads under its published type names,
 * n8n's credential tests reach the sandboxes, and an imported workflow runs our node.
 */
import { randomUUID } from 'node:crypto';

import axios from 'axios';

import {
	declaredTypes,
	executionError,
	nodeOutputJson,
	startN8n,
	type DeclaredTypes,
	type N8nInstance,
	type WorkflowJson,
} from '../harness';
import { SIMPLE_CRM_FIELDS } from '../../nodes/Bitrix24/actions/shared/crmRecordSimplify';
import { startBitrix24Sandbox } from '../sandbox/bitrix24';
import { startLexofficeSandbox } from '../sandbox/lexoffice';

type LexofficeSandbox = Awaited<ReturnType<typeof startLexofficeSandbox>>;
type Bitrix24Sandbox = Awaited<ReturnType<typeof startBitrix24Sandbox>>;

/** The contracts other parts (workflow templates, docs) rely on. */
const CONTRACT_NODE_NAMES = ['lexoffice', 'bitrix24'];
const CONTRACT_CREDENTIAL_TYPES = ['lexofficeApi', 'bitrix24WebhookApi', 'bitrix24OAuth2Api'];

/** First start may install n8n into the cache (minutes) unless globalSetup already did. */
const STARTUP_TIMEOUT_MS = 10 * 60_000;
// Each test talks to a real n8n over HTTP; the waits inside are bounded by the harness.
jest.setTimeout(60_000);

/** Replaces the secret (last path segment) of a Bitrix24 inbound-webhook URL. */
function withWrongSecret(webhookUrl: string): string {
	const url = new URL(webhookUrl);
	url.pathname = url.pathname.replace(/[^/]+(\/?)$/, 'wrongsecret0000$1');
	return url.toString();
}

describe('real n8n with n8n-nodes-lexoffice-bitrix24 installed', () => {
	let n8n: N8nInstance | undefined;
	let lexoffice: LexofficeSandbox | undefined;
	let bitrix24: Bitrix24Sandbox | undefined;
	let declared: DeclaredTypes;
	// A per-run organization id: seeing it in n8n's execution data proves the call reached this sandbox.
	const organizationId = randomUUID();

	const started = (): N8nInstance => {
		if (!n8n) throw new Error('n8n did not start (see beforeAll)');
		return n8n;
	};

	/**
	 * Imports a workflow of a manual trigger and one of our nodes (its latest version, credentials bound by
	 * name on import as the shipped templates are, n8n-community-nodes.md §8), runs it by hand, expects
	 * success and returns the node's output.
	 */
	const runOneNode = async (
		workflowName: string,
		node: {
			name: string;
			type: string;
			parameters: WorkflowJson['nodes'][number]['parameters'];
			credential: [string, string];
		},
	) => {
		const api = started();
		const type = `${declared.packageName}.${node.type}`;
		const versions = (await api.listNodeTypes())
			.filter((listed) => listed.name === type)
			.flatMap((listed) => listed.version);
		const [credentialType, credentialName] = node.credential;
		const workflow: WorkflowJson = {
			name: workflowName,
			nodes: [
				{
					id: randomUUID(),
					name: 'Start',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				{
					id: randomUUID(),
					name: node.name,
					type,
					typeVersion: Math.max(...versions),
					position: [220, 0],
					parameters: node.parameters,
					credentials: { [credentialType]: { id: null, name: credentialName } },
				},
			],
			connections: { Start: { main: [[{ node: node.name, type: 'main', index: 0 }]] } },
		};
		const imported = await api.importWorkflow(workflow);
		const executionId = await api.runManually(imported.id, 'Start');
		const execution = await api.waitForExecution(imported.id, (candidate) => candidate.id === executionId);
		expect({ status: execution.status, error: executionError(execution) }).toEqual({
			status: 'success',
			error: undefined,
		});
		return nodeOutputJson(execution, node.name);
	};

	beforeAll(async () => {
		declared = await declaredTypes();
		lexoffice = await startLexofficeSandbox({ organizationId });
		bitrix24 = await startBitrix24Sandbox();
		n8n = await startN8n();
		await n8n.setupOwner();
		await n8n.createApiKey();
	}, STARTUP_TIMEOUT_MS);

	afterAll(async () => {
		await n8n?.stop();
		await lexoffice?.close();
		await bitrix24?.close();
	}, 60_000);

	it('lists exactly the node types the build declares, under the published names', async () => {
		const listed = new Set((await started().listNodeTypes()).map((type) => type.name));
		const ours = [...listed].filter((name) => name.startsWith(`${declared.packageName}.`));

		expect(ours.sort()).toEqual([...declared.nodeTypes].sort());
		for (const name of CONTRACT_NODE_NAMES) {
			expect(ours).toContain(`${declared.packageName}.${name}`);
		}
	});

	it('lists every credential type the build declares, with the contract names', async () => {
		const listed = (await started().listCredentialTypes()).map((type) => type.name);

		expect(listed).toEqual(expect.arrayContaining(declared.credentialTypes));
		expect(listed).toEqual(expect.arrayContaining(CONTRACT_CREDENTIAL_TYPES));
	});

	it('passes the LexOffice credential test against the sandbox and fails it clearly for a wrong key', async () => {
		const api = started();
		const schema = await api.credentialSchema('lexofficeApi');
		expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['apiKey', 'host']));

		const good = await api.createCredential('LexOffice sandbox', 'lexofficeApi', {
			apiKey: lexoffice!.apiKey,
			host: lexoffice!.url,
		});
		const wrongKey = `wrong-${randomUUID()}`;
		const bad = await api.createCredential('LexOffice wrong key', 'lexofficeApi', {
			apiKey: wrongKey,
			host: lexoffice!.url,
		});

		expect(await api.testCredential(good.id)).toEqual({ status: 'OK', message: expect.any(String) });
		const failed = await api.testCredential(bad.id);
		expect(failed.status).toBe('Error');
		// n8n 2.41.1 reports a 401 without credential-test rules as 'Unauthorized'.
		expect(failed.message).toMatch(/unauthori[sz]ed|api key/i);
		expect(failed.message).not.toContain(wrongKey);
	});

	it('passes the Bitrix24 webhook credential test against the sandbox and fails it clearly for a wrong secret', async () => {
		const api = started();
		const schema = await api.credentialSchema('bitrix24WebhookApi');
		expect(Object.keys(schema.properties)).toContain('webhookUrl');

		const good = await api.createCredential('Bitrix24 sandbox', 'bitrix24WebhookApi', {
			webhookUrl: bitrix24!.webhookUrl,
		});
		const wrongUrl = withWrongSecret(bitrix24!.webhookUrl);
		expect(wrongUrl).not.toBe(bitrix24!.webhookUrl);
		const bad = await api.createCredential('Bitrix24 wrong secret', 'bitrix24WebhookApi', { webhookUrl: wrongUrl });

		expect(await api.testCredential(good.id)).toEqual({ status: 'OK', message: expect.any(String) });
		const failed = await api.testCredential(bad.id);
		expect(failed.status).toBe('Error');
		expect(failed.message).toMatch(/unauthori[sz]ed|invalid request credentials|webhook/i);
		expect(failed.message).not.toContain('wrongsecret0000');
	});

	it('runs an imported workflow whose LexOffice node fetches the sandbox profile', async () => {
		await started().createCredential('LexOffice for workflow', 'lexofficeApi', {
			apiKey: lexoffice!.apiKey,
			host: lexoffice!.url,
		});
		const output = await runOneNode('e2e smoke: LexOffice profile', {
			name: 'Get profile',
			type: 'lexoffice',
			parameters: { resource: 'profile', operation: 'get' },
			credential: ['lexofficeApi', 'LexOffice for workflow'],
		});

		const { data: sandboxProfile } = await axios.get(`${lexoffice!.url}/v1/profile`, {
			headers: { Authorization: `Bearer ${lexoffice!.apiKey}` },
			proxy: false,
		});
		expect(sandboxProfile).toMatchObject({ organizationId });
		expect(output).toEqual([sandboxProfile]);
	});

	it('names a Bitrix24 contact by the URL of its card and returns it simplified (resource locator, Simplify)', async () => {
		const api = started();
		const added = await fetch(`${bitrix24!.webhookUrl}crm.contact.add`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({
				fields: {
					NAME: 'Lotte',
					LAST_NAME: 'Locatorowa',
					EMAIL: [
						{ VALUE: 'lotte@locator.de', VALUE_TYPE: 'WORK' },
						{ VALUE: 'lotte@privat.de', VALUE_TYPE: 'HOME' },
					],
				},
			}),
		});
		const contactId = Number(((await added.json()) as { result: number }).result);
		expect(contactId).toBeGreaterThan(0);
		await api.createCredential('Bitrix24 for locator', 'bitrix24WebhookApi', {
			webhookUrl: bitrix24!.webhookUrl,
			plan: 'enterprise',
		});
		const cardUrl = `https://b24-test.bitrix24.de/crm/contact/details/${contactId}/?IFRAME=Y`;
		// Simplify is left at its default, as a user adding the node would.
		const [simple] = await runOneNode('e2e smoke: Bitrix24 contact by card URL', {
			name: 'Get contact',
			type: 'bitrix24',
			parameters: { resource: 'contact', operation: 'get', recordId: { __rl: true, mode: 'url', value: cardUrl } },
			credential: ['bitrix24WebhookApi', 'Bitrix24 for locator'],
		});
		expect(Object.keys(simple)).toEqual([...SIMPLE_CRM_FIELDS.contact]);
		expect(simple).toMatchObject({
			ID: String(contactId),
			LAST_NAME: 'Locatorowa',
			EMAIL: 'lotte@locator.de',
		});
	});
});
