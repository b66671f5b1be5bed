/**
 * Issue #11 item 2, end to end in a real n8n 2.41.1: every bundled workflow (workflows/*.json)
 * runs against sandboxes that fail a share of the calls with error answers repeating the
 * credentials (LexOffice: the §1.2 403 text with `Bearer <key>`; Bitrix24: the URL with the
 * webhook secret, the token used, the client secret and the application token). Afterwards all
 * execution data of every workflow and the whole n8n log are searched for each secret.
 */
import axios from 'axios';
import { readFileSync } from 'node:fs';

import {
	bundledWorkflow,
	bundledWorkflowNames,
	createSandboxCredentials,
	startN8n,
	type N8nInstance,
	type WorkflowJson,
} from '../harness';
import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../sandbox/bitrix24';
import { startLexofficeSandbox, type LexofficeSandbox } from '../sandbox/lexoffice';

jest.setTimeout(240_000);

const pause = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

describe('no secret leaves its credential, whatever the APIs echo', () => {
	let n8n: N8nInstance | undefined;
	let lexoffice: LexofficeSandbox | undefined;
	let bitrix24: Bitrix24Sandbox | undefined;
	const workflows = new Map<string, { id: string; json: WorkflowJson }>();

	const api = (): N8nInstance => {
		if (!n8n) throw new Error('n8n did not start (see beforeAll)');
		return n8n;
	};
	const lx = () => lexoffice as LexofficeSandbox;
	const bx = () => bitrix24 as Bitrix24Sandbox;

	beforeAll(async () => {
		lexoffice = await startLexofficeSandbox({
			limits: 'off',
			timeScale: 0.001,
			seed: { contacts: 12, invoices: 0, seed: 11 },
		});
		bitrix24 = await startBitrix24Sandbox({ limits: 'off' });
		n8n = await startN8n();
		await createSandboxCredentials(n8n, lexoffice, bitrix24, {
			bitrix24Webhook: { applicationToken: bitrix24.oauth.applicationToken },
			app: true,
		});
		for (const name of bundledWorkflowNames()) {
			const json = bundledWorkflow(name);
			workflows.set(name, { id: (await n8n.importWorkflow(json)).id, json });
		}
	}, 10 * 60_000);

	afterAll(async () => {
		await n8n?.stop();
		await lexoffice?.close();
		await bitrix24?.close();
	}, 60_000);

	const manualTriggers = (json: WorkflowJson) =>
		json.nodes.filter((node) => node.type === 'n8n-nodes-base.manualTrigger').map((node) => node.name);
	const hasEventTrigger = (json: WorkflowJson) =>
		json.nodes.some((node) => /(lexofficeTrigger|bitrix24Trigger)$/.test(node.type));

	it('runs every bundled workflow while the APIs echo credentials in their errors', async () => {
		// Set-up branches and publication first, with healthy APIs (they register buttons and webhooks).
		for (const { id, json } of workflows.values()) {
			for (const trigger of manualTriggers(json).filter((name) => /setup|register/i.test(name))) {
				const executionId = await api().runManually(id, trigger);
				await api().waitForExecution(id, (candidate) => candidate.id === executionId, { timeoutMs: 120_000 });
			}
			if (hasEventTrigger(json)) {
				await api().publish(id);
				await api().waitPublished(id);
			}
		}

		// Now every third call fails, and every error answer repeats the secrets.
		lx().setFaults({ echoCredentials: true, errorRate: 0.35, errorStatus: 403, seed: 3 });
		bx().setFaults({ echoCredentials: true, errorRate: 0.35, errorStatus: 400, seed: 3 });

		for (const { id, json } of workflows.values()) {
			for (const trigger of manualTriggers(json).filter((name) => !/setup|register/i.test(name))) {
				const executionId = await api().runManually(id, trigger);
				await api().waitForExecution(id, (candidate) => candidate.id === executionId, { timeoutMs: 180_000 });
			}
		}
		// Events: a contact change (incremental sync), an invoice (invoice status), button clicks (create invoice).
		const contact = lx().simulate.createContact({
			version: 0,
			roles: { customer: {} },
			company: { name: 'Echo GmbH' },
		} as never);
		lx().simulate.changeContact(contact.id, { company: { name: 'Echo GmbH & Co. KG' } } as never);
		const added = await axios.post(
			`${bx().webhookUrl}crm.contact.add`,
			{ fields: { NAME: 'Eva', LAST_NAME: 'Echo' } },
			{ proxy: false, validateStatus: () => true },
		);
		for (let click = 0; click < 4; click++) {
			await bx()
				.simulate.placementCall('CRM_CONTACT_DETAIL_TOOLBAR', { ID: Number(added.data.result) || 1 })
				.catch(() => undefined);
		}
		await lx().webhooks.flush();
		await pause(5_000);

		// The echo really reached n8n: both sandboxes failed calls with it.
		expect(lx().requests.entries.filter((entry) => entry.fault === 'injected').length).toBeGreaterThan(0);
		expect(bx().requests.entries.filter((entry) => entry.fault === 'injected').length).toBeGreaterThan(0);
	});

	it('finds no secret in any execution of any workflow, nor in the n8n log', async () => {
		const webhookSecret = new URL(bx().webhookUrl).pathname.split('/')[3];
		const secrets: Record<string, string> = {
			'LexOffice API key': lx().apiKey,
			'Bitrix24 webhook secret': webhookSecret,
			'Bitrix24 client secret': bx().oauth.clientSecret,
			'Bitrix24 application token': bx().oauth.applicationToken,
		};
		bx().portal.oauth.issuedTokens.forEach((token, index) => {
			secrets[`Bitrix24 OAuth token #${index}`] = token;
		});

		let executions = 0;
		let redactedEchoes = 0;
		const leaks: string[] = [];
		for (const [name, { id }] of workflows) {
			for (const executionId of await api().executionIds(id)) {
				const text = JSON.stringify(await api().getExecution(executionId));
				executions++;
				if (text.includes('***')) redactedEchoes++;
				for (const [what, secret] of Object.entries(secrets))
					if (text.includes(secret)) leaks.push(`${what} in execution ${executionId} of ${name}`);
			}
		}
		const log = readFileSync(api().logFile, 'utf8');
		for (const [what, secret] of Object.entries(secrets))
			if (log.includes(secret)) leaks.push(`${what} in the n8n log`);

		expect(executions).toBeGreaterThanOrEqual(workflows.size);
		// Some error reached the executions and was redacted there (so this test looked at echoes).
		expect(redactedEchoes).toBeGreaterThan(0);
		expect(leaks).toEqual([]);
	});
});
