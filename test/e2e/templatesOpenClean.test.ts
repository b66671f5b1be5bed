/**
 * Every bundled template, imported twice into a real n8n 2.41.1 where the credentials were created
 * under the names n8n pre-fills, opens without a warning: each credential reference is bound, no
 * node has a parameter or credential issue as the editor computes them (dropdowns loaded from the
 * sandbox portal), and the second import gets webhook URLs of its own (issue #13).
 */
import {
	bundledWorkflow,
	bundledWorkflowNames,
	connectSandboxApp,
	CREDENTIAL_NAMES,
	editorIssues,
	nodeOutputJson,
	startN8n,
	type EditorIssueContext,
	type ImportedWorkflow,
	type N8nInstance,
} from '../harness';
import { startBitrix24Sandbox } from '../sandbox/bitrix24';
import { startLexofficeSandbox } from '../sandbox/lexoffice';

type LexofficeSandbox = Awaited<ReturnType<typeof startLexofficeSandbox>>;
type Bitrix24Sandbox = Awaited<ReturnType<typeof startBitrix24Sandbox>>;

describe('bundled templates open clean in n8n', () => {
	let n8n: N8nInstance | undefined;
	let lexoffice: LexofficeSandbox | undefined;
	let bitrix24: Bitrix24Sandbox | undefined;
	let context: EditorIssueContext;
	const bx = (): Bitrix24Sandbox => bitrix24 as Bitrix24Sandbox;
	const api = (): N8nInstance => {
		if (!n8n) throw new Error('n8n did not start (see beforeAll)');
		return n8n;
	};
	const imports = new Map<string, ImportedWorkflow[]>();

	beforeAll(async () => {
		lexoffice = await startLexofficeSandbox({ limits: 'off' });
		bitrix24 = await startBitrix24Sandbox({ limits: 'off' });
		n8n = await startN8n({ readinessTimeoutMs: 300_000 });
		await n8n.setupOwner();
		await n8n.createApiKey();
		const lexofficeId = (
			await n8n.createCredential(CREDENTIAL_NAMES.lexoffice, 'lexofficeApi', {
				apiKey: lexoffice.apiKey,
				host: lexoffice.url,
			})
		).id;
		const webhookId = (
			await n8n.createCredential(CREDENTIAL_NAMES.bitrix24Webhook, 'bitrix24WebhookApi', {
				webhookUrl: bitrix24.webhookUrl,
				plan: 'enterprise',
			})
		).id;
		const appId = await connectSandboxApp(n8n, bitrix24);
		context = {
			client: n8n,
			nodeTypes: await n8n.nodeTypeDescriptions(),
			credentialIds: { lexofficeApi: [lexofficeId], bitrix24WebhookApi: [webhookId], bitrix24OAuth2Api: [appId] },
		};
		for (const name of bundledWorkflowNames()) {
			const twice: ImportedWorkflow[] = [];
			for (let copy = 0; copy < 2; copy++) {
				const { id } = await n8n.importWorkflow(bundledWorkflow(name));
				twice.push(await n8n.getWorkflow(id));
			}
			imports.set(name, twice);
		}
	}, 10 * 60_000);

	afterAll(async () => {
		await n8n?.stop();
		await lexoffice?.close();
		await bitrix24?.close();
	}, 60_000);

	it.each(bundledWorkflowNames())(
		"%s: every credential reference is bound to the credential with n8n's default name",
		(name) => {
			for (const workflow of imports.get(name) ?? []) {
				// n8n binds references of enabled nodes only (replaceInvalidCredentials skips disabled ones).
				const unbound = workflow.nodes
					.filter((node) => !node.disabled)
					.flatMap((node) =>
						Object.entries(node.credentials ?? {})
							.filter(([type, reference]) => !context.credentialIds[type]?.includes(String(reference.id)))
							.map(([type, reference]) => `${node.name}: ${type} "${reference.name}"`),
					);
				expect(unbound).toEqual([]);
			}
		},
	);

	it.each(bundledWorkflowNames())(
		'%s: no node shows an issue in the editor',
		async (name) => {
			const [workflow] = imports.get(name) ?? [];
			const found: string[] = [];
			for (const node of workflow.nodes) {
				for (const issue of await editorIssues(context, node)) found.push(`${node.name}: ${issue}`);
			}
			expect(found).toEqual([]);
		},
		120_000,
	);

	it.each(bundledWorkflowNames())('%s: a second import gets webhook ids of its own', (name) => {
		const [first, second] = imports.get(name) ?? [];
		const webhookIds = (workflow: ImportedWorkflow) =>
			workflow.nodes.filter((node) => node.webhookId).map((node) => node.webhookId);
		const triggers = first.nodes.filter(
			(node) => /Trigger$/.test(node.type) && !/manualTrigger|scheduleTrigger|PollTrigger$/.test(node.type),
		);
		expect(webhookIds(first)).toHaveLength(triggers.length);
		for (const id of webhookIds(second)) expect(webhookIds(first)).not.toContain(id);
	});

	it.each([
		['lexoffice-bitrix24-incremental-sync', 'Poll LexOffice contacts (fallback)'],
		['lexoffice-bitrix24-invoice-status', 'Poll LexOffice invoices (fallback)'],
	])(
		'%s: the disabled poll fallback, switched on and saved, binds its credential and shows no issue',
		async (name, fallback) => {
			const [workflow] = imports.get(name) ?? [];
			const nodes = workflow.nodes.map((node) => (node.name === fallback ? { ...node, disabled: false } : node));
			expect(workflow.nodes.find((node) => node.name === fallback)?.disabled).toBe(true);
			const saved = await api().updateWorkflow(workflow.id, { ...workflow, nodes });
			const node = saved.nodes.find((candidate) => candidate.name === fallback);
			if (!node) throw new Error(`${fallback} missing`);
			expect(context.credentialIds.lexofficeApi).toContain(node.credentials?.lexofficeApi?.id);
			expect(await editorIssues(context, node)).toEqual([]);
		},
		120_000,
	);

	it('app install: with the portal set as its note says, the install callback shows exactly what to store', async () => {
		const [workflow] = imports.get('lexoffice-bitrix24-app-install') ?? [];
		const portal = bx().url;
		const nodes = workflow.nodes.map((node) =>
			node.name === 'App installed' ? { ...node, parameters: { ...node.parameters, expectedPortal: portal } } : node,
		);
		await api().updateWorkflow(workflow.id, { ...workflow, nodes });
		await api().publish(workflow.id);
		await api().waitPublished(workflow.id);
		const handler = api().webhookUrl(`${await api().webhookIdOf(workflow.id, 'App installed')}/webhook`);

		const answer = await bx().simulate.appInstall(handler);
		expect(answer.status).toBe(200);
		const execution = await api().waitForExecution(workflow.id, () => true, { timeoutMs: 120_000 });
		const [values] = nodeOutputJson(execution, 'Values to store');
		expect(values).toMatchObject({
			applicationToken: bx().oauth.applicationToken,
			storeIn: expect.stringContaining('Application Token'),
			portalUrl: expect.stringContaining(new URL(portal).host),
		});
		await api().unpublish(workflow.id);
	}, 300_000);

	it('tells an unlisted dropdown value apart (the check can fail)', async () => {
		const [workflow] = imports.get('lexoffice-bitrix24-incremental-sync') ?? [];
		const sync = workflow.nodes.find((node) => node.name === 'Sync Contacts');
		if (!sync) throw new Error('Sync Contacts missing');
		const broken = { ...sync, parameters: { ...sync.parameters, billingAddressTypeId: '999' } };
		expect(await editorIssues(context, broken)).toEqual(['billingAddressTypeId: The value "999" is not supported!']);
		const unbound = { ...sync, credentials: { bitrix24WebhookApi: { id: null, name: 'Bitrix24 webhook' } } };
		expect(await editorIssues(context, unbound)).toEqual([
			'credential bitrix24WebhookApi: "Bitrix24 webhook" does not exist (id null)',
		]);
	}, 120_000);
});
