/**
 * What Bitrix24 keeps (issue #13 item 3), in a real n8n 2.41.1 with the packed package: the bundled
 * contacts workflow's import, unchanged, adopts a record the sales team made (same e-mail address) and leaves its
 * responsible person, its other e-mail and phone and its comments as they are; a Dry Run copy of it
 * lists the fields it would change with old → new values and writes nothing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import {
	bundledWorkflow,
	createSandboxCredentials,
	executionError,
	nodeOutputJson,
	startN8n,
	type N8nInstance,
} from '../harness';
import { startBitrix24Sandbox } from '../sandbox/bitrix24';
import { startLexofficeSandbox } from '../sandbox/lexoffice';

type LexofficeSandbox = Awaited<ReturnType<typeof startLexofficeSandbox>>;
type Bitrix24Sandbox = Awaited<ReturnType<typeof startBitrix24Sandbox>>;

const IMPORT = 'lexoffice-bitrix24-incremental-sync';
jest.setTimeout(240_000);

const values = (record: IDataObject | undefined, field: string) =>
	((record?.[field] as Array<{ VALUE: string }> | undefined) ?? []).map((entry) => entry.VALUE).sort();

describe('what Bitrix24 keeps, in a real n8n', () => {
	let n8n: N8nInstance | undefined;
	let lexoffice: LexofficeSandbox | undefined;
	let bitrix24: Bitrix24Sandbox | undefined;
	let userFolder = '';

	const api = (): N8nInstance => {
		if (!n8n) throw new Error('n8n did not start (see beforeAll)');
		return n8n;
	};
	const bx = (): Bitrix24Sandbox => bitrix24 as Bitrix24Sandbox;
	const run = async (workflowId: string) => {
		const executionId = await api().runManually(workflowId, 'Start import');
		const execution = await api().waitForExecution(workflowId, (candidate) => candidate.id === executionId, {
			timeoutMs: 180_000,
		});
		expect([execution.status, executionError(execution)]).toEqual(['success', undefined]);
		return execution;
	};

	beforeAll(async () => {
		lexoffice = await startLexofficeSandbox({ limits: 'off', timeScale: 0.001, seed: { contacts: 30, seed: 3 } });
		bitrix24 = await startBitrix24Sandbox({ limits: 'off' });
		userFolder = await mkdtemp(path.join(os.tmpdir(), 'n8n-e2e-contact-keeps-'));
		n8n = await startN8n({ userFolder });
		await createSandboxCredentials(n8n, lexoffice, bitrix24);
	}, 10 * 60_000);

	afterAll(async () => {
		await n8n?.stop();
		await lexoffice?.close();
		await bitrix24?.close();
		if (userFolder) await rm(userFolder, { recursive: true, force: true });
	});

	it('the bundled import adopts a record by e-mail and keeps its responsible person, e-mails, phones and comments; Dry Run shows old → new', async () => {
		const emailOf = (contact: { emailAddresses?: Record<string, string[] | null | undefined> | null }) =>
			Object.values(contact.emailAddresses ?? {}).flatMap((list) => list ?? [])[0];
		const person = [...(lexoffice as LexofficeSandbox).state.contacts.values()].find(
			(contact) => contact.person && !contact.archived && emailOf(contact),
		);
		if (!person) throw new Error('the seed has no live person with an e-mail address');
		const email = String(emailOf(person));
		const response = await fetch(`${bx().webhookUrl}crm.contact.add`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({
				fields: {
					NAME: 'Vertrieb',
					LAST_NAME: 'Eintrag',
					ASSIGNED_BY_ID: 2,
					COMMENTS: 'Kunde seit 2009, bitte duzen',
					EMAIL: [
						{ VALUE: email.toUpperCase(), VALUE_TYPE: 'WORK' },
						{ VALUE: 'eigene@vertrieb.example', VALUE_TYPE: 'HOME' },
					],
					PHONE: [{ VALUE: '+49 171 5550000', VALUE_TYPE: 'MOBILE' }],
				},
			}),
		});
		const id = Number(((await response.json()) as { result: unknown }).result);
		expect(id).toBeGreaterThan(0);

		const importId = (await api().importWorkflow(bundledWorkflow(IMPORT))).id;
		const execution = await run(importId);
		const outcome = nodeOutputJson(execution, 'Sync Contacts').find((item) => item.lexofficeId === person.id);
		expect(outcome).toMatchObject({ action: 'updated', id, matchedBy: 'email' });

		const adopted = bx().state.contacts.find((row) => Number(row.ID) === id) as IDataObject;
		expect(adopted).toMatchObject({
			ORIGIN_ID: person.id,
			LAST_NAME: person.person?.lastName,
			ASSIGNED_BY_ID: 2,
			COMMENTS: 'Kunde seit 2009, bitte duzen',
		});
		expect(values(adopted, 'EMAIL')).toEqual(expect.arrayContaining([email.toUpperCase(), 'eigene@vertrieb.example']));
		expect(values(adopted, 'PHONE')).toEqual(expect.arrayContaining(['+49 171 5550000']));

		// Someone renames the record and the stamp is lost: a Dry Run copy of the import says what it would change.
		adopted.LAST_NAME = 'Umbenannt';
		delete adopted.ORIGIN_VERSION;
		const before = structuredClone(bx().state.contacts);
		const dryRun = bundledWorkflow(IMPORT);
		const sync = dryRun.nodes.find((node) => node.name === 'Sync Contacts');
		if (!sync) throw new Error('the import has no Sync Contacts node');
		sync.parameters.options = { ...(sync.parameters.options as IDataObject), dryRun: true };
		dryRun.name = `${dryRun.name} (dry run)`;
		const dryRunExecution = await run((await api().importWorkflow(dryRun)).id);
		expect(bx().state.contacts).toEqual(before);
		const outputs = nodeOutputJson(dryRunExecution, 'Sync Contacts');
		const wouldChange = outputs.find((item) => item.lexofficeId === person.id);
		expect(wouldChange).toMatchObject({ dryRun: true, action: 'updated', id, wouldChange: true });
		expect((wouldChange?.changes as IDataObject[])[0]).toMatchObject({
			record: 'contact',
			id,
			action: 'update',
			fields: {
				LAST_NAME: { old: 'Umbenannt', new: person.person?.lastName },
				ORIGIN_VERSION: { old: null, new: expect.stringMatching(/^\d+\/[0-9a-f]{8}$/) },
			},
		});
		const others = outputs.filter((item) => item.lexofficeId !== person.id && item.action !== 'skipped');
		expect(others.length).toBeGreaterThan(0);
		for (const other of others) expect(other).toMatchObject({ action: 'unchanged', wouldChange: false, changes: [] });
	});
});
