/**
 * The templates in English, in a real n8n 2.41.1 (issue #13 item 5): a user who sets Language to
 * English in the nodes the README names gets English answer pages for the create-invoice button,
 * an English import notification and an English timeline link of an invoice. The German defaults are covered by createInvoice.test.ts
 * and contactSync.test.ts, which import the templates unchanged.
 */
import { randomUUID } from 'node:crypto';

import axios from 'axios';

import {
	bundledWorkflow,
	createSandboxCredentials,
	executionError,
	nodeOutputJson,
	pollUntil,
	startN8n,
	type N8nInstance,
} from '../harness';
import type { WorkflowJson } from '../harness/n8nClient';
import { claimOriginId } from '../../nodes/shared/contract/links';
import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../sandbox/bitrix24';
import type { PlacementCallOptions } from '../sandbox/bitrix24/simulate';
import { startLexofficeSandbox, type LexofficeSandbox } from '../sandbox/lexoffice';

const STARTUP_TIMEOUT_MS = 10 * 60_000;
jest.setTimeout(180_000);

/** A template with Language set to English in the named nodes, as the README tells a user to. */
function inEnglish(template: string, nodeNames: string[]): WorkflowJson {
	const workflow = bundledWorkflow(template);
	for (const name of nodeNames) {
		const node = workflow.nodes.find((candidate) => candidate.name === name);
		if (!node) throw new Error(`${template} has no node "${name}"`);
		expect(node.parameters.language).toBe('de');
		node.parameters.language = 'en';
	}
	return workflow;
}

describe('Templates switched to English in a real n8n', () => {
	let n8n: N8nInstance | undefined;
	let lexoffice: LexofficeSandbox | undefined;
	let bitrix24: Bitrix24Sandbox | undefined;
	let invoiceWorkflowId: string;
	let importWorkflowId: string;

	const api = (): N8nInstance => {
		if (!n8n) throw new Error('n8n did not start (see beforeAll)');
		return n8n;
	};
	const lx = () => lexoffice as LexofficeSandbox;
	const bx = () => bitrix24 as Bitrix24Sandbox;
	const addContact = async (fields: Record<string, unknown>): Promise<number> => {
		const response = await axios.post(`${bx().webhookUrl}crm.contact.add`, { fields }, { proxy: false });
		return Number(response.data.result);
	};
	const click = async (id: number, options?: PlacementCallOptions) =>
		await bx().simulate.placementCall('CRM_CONTACT_DETAIL_TOOLBAR', { ID: id }, options);

	beforeAll(async () => {
		lexoffice = await startLexofficeSandbox({ limits: 'off', seed: { contacts: 6, seed: 13 } });
		bitrix24 = await startBitrix24Sandbox({ limits: 'off' });
		n8n = await startN8n();
		await createSandboxCredentials(n8n, lexoffice, bitrix24, { app: true });
		invoiceWorkflowId = (
			await n8n.importWorkflow(
				inEnglish('lexoffice-bitrix24-create-invoice', ['Build invoice page', 'Build error page']),
			)
		).id;
		await n8n.publish(invoiceWorkflowId);
		await n8n.waitPublished(invoiceWorkflowId);
		importWorkflowId = (await n8n.importWorkflow(inEnglish('lexoffice-bitrix24-incremental-sync', ['Statistics']))).id;
	}, STARTUP_TIMEOUT_MS);

	afterAll(async () => {
		await n8n?.stop();
		await lexoffice?.close();
		await bitrix24?.close();
	}, 60_000);

	it('a click answers with the English page for the new draft invoice', async () => {
		const id = await addContact({
			NAME: 'Jane',
			LAST_NAME: 'Doe',
			EMAIL: [{ VALUE: 'jane.doe@example.com', VALUE_TYPE: 'WORK' }],
		});
		const response = await click(id);
		expect(response.status).toBe(200);
		expect(response.body).toContain('<html lang="en">');
		expect(response.body).toContain('<h1>LexOffice: Invoice created</h1>');
		expect(response.body).toMatch(
			/A draft invoice for Jane Doe is ready in LexOffice\.|The draft invoice \S+ for Jane Doe/,
		);
		expect(response.body).toContain('The customer was newly created in LexOffice for it.');
		expect(response.body).toContain('>Edit the invoice in LexOffice</a>');
		expect(response.body).not.toMatch(/Rechnung|Kunde/);
	});

	it('a click LexOffice refuses answers with the English error page naming the execution', async () => {
		const id = await addContact({
			NAME: 'Otto',
			LAST_NAME: 'Refused',
			EMAIL: [{ VALUE: 'otto.refused@example.com', VALUE_TYPE: 'WORK' }],
		});
		lx().setFaults({
			failNext: [
				{ method: 'POST', pathIncludes: '/v1/invoices', status: 406, body: { message: 'Invoice refused (test)' } },
			],
		});
		const response = await click(id);
		expect(response.status).toBe(200);
		expect(response.body).toContain('<h1>LexOffice: The invoice could not be created</h1>');
		expect(response.body).toContain('Invoice refused (test)');
		// The customer was created and linked before the invoice failed: the page says so, in English.
		expect(response.body).toMatch(
			/The customer “Otto Refused” was newly created in LexOffice for it and linked to this record\. Nothing else was changed\. Details are in n8n, execution \d+ of the workflow/,
		);
		// The workflow's name is the user's own (the template's is German); the rest is English.
		expect(response.body.replace(/of the workflow &quot;.*?&quot;/, '')).not.toMatch(/Rechnung|Fehler|Ausführung/);
	});

	describe('another click on the same record (the claim of issue #12)', () => {
		/** A record another click has claimed, as Claim Record for Linking leaves it while that click runs. */
		const claimedContact = async (lastName: string) =>
			await addContact({
				NAME: 'Clara',
				LAST_NAME: lastName,
				ORIGINATOR_ID: 'lexoffice',
				ORIGIN_ID: claimOriginId(randomUUID(), Date.now() + 5 * 60_000),
			});
		const contactReads = (since: number) =>
			bx()
				.requests.calls()
				.filter((entry) => entry.at >= since && entry.label === 'crm.contact.get').length;

		it('a click that waited while another click linked the customer answers in English', async () => {
			const id = await claimedContact('Waiting');
			const customer = [...lx().state.contacts.values()].find((contact) => contact.roles.customer && !contact.archived);
			if (!customer) throw new Error('the seeded LexOffice account has no customer');
			const since = Date.now();
			const answer = click(id, { timeoutMs: 120_000 });
			// The click read the record (Get contact), found the other click's claim, and read it again after
			// waiting: from now on it reports that it waited, whenever the link appears.
			while (contactReads(since) < 3) await new Promise((resolve) => setTimeout(resolve, 100));
			await axios.post(
				`${bx().webhookUrl}crm.contact.update`,
				{ id, fields: { ORIGINATOR_ID: 'lexoffice', ORIGIN_ID: customer.id } },
				{ proxy: false },
			);
			const response = await answer;

			expect(response.status).toBe(200);
			expect(response.body).toContain('<h1>LexOffice: Invoice created</h1>');
			expect(response.body).toContain(
				'A click on this record at the same time has just linked the LexOffice customer; every click creates its own draft invoice.',
			);
			expect(response.body).not.toContain('newly created');
			expect(response.body).not.toMatch(/Rechnung|Kunde|Klick/);
		});

		it('a click that gives up waiting for another click answers in English that nothing was changed', async () => {
			const id = await claimedContact('Blocked');
			const claim = bx().state.contacts.find((row) => Number(row.ID) === id)?.ORIGIN_ID;
			const contactsBefore = lx().state.contacts.size;
			// Claim Record for Linking waits 30 s for the other click before it gives up.
			const response = await click(id, { timeoutMs: 150_000 });

			expect(response.status).toBe(200);
			expect(response.body).toContain('<h1>LexOffice: The invoice could not be created</h1>');
			expect(response.body).toMatch(
				/Another click on this record is finding or creating its LexOffice customer right now\. Nothing was changed; please click again in a minute\. Details are in n8n, execution \d+ of the workflow/,
			);
			// Not the node's own error text, and nothing German.
			expect(response.body).not.toContain('Another execution is still');
			expect(response.body.replace(/of the workflow &quot;.*?&quot;/, '')).not.toMatch(
				/Rechnung|Fehler|Klick|Datensatz/,
			);
			expect(bx().state.contacts.find((row) => Number(row.ID) === id)?.ORIGIN_ID).toBe(claim);
			expect(lx().state.contacts.size).toBe(contactsBefore);
		}, 240_000);
	});

	it('the import of the contacts workflow notifies in English', async () => {
		const executionId = await api().runManually(importWorkflowId, 'Start import');
		const execution = await api().waitForExecution(importWorkflowId, (candidate) => candidate.id === executionId, {
			timeoutMs: 170_000,
		});
		expect([execution.status, executionError(execution)]).toEqual(['success', undefined]);
		const { message } = nodeOutputJson(execution, 'Import statistics')[0] as { message: string };
		expect(message).toMatch(/^\[b\]LexOffice sync\[\/b\]: \d+ contacts\nCompanies: \d+ created, 0 updated/);
		expect(bx().state.notifications.at(-1)?.message).toBe(message);
		expect(message).not.toMatch(/neu|Kontakte|Unternehmen/);
	});

	it('the invoice-status workflow writes the timeline link of a new invoice in English', async () => {
		const workflowId = (
			await api().importWorkflow(inEnglish('lexoffice-bitrix24-invoice-status', ['Sync invoice', 'Link in timeline']))
		).id;
		await api().publish(workflowId);
		await api().waitPublished(workflowId);
		const invoice = lx().simulate.createInvoice({
			voucherDate: new Date().toISOString().replace('Z', '+00:00'),
			address: { name: 'Laufkundschaft', countryCode: 'DE' },
			lineItems: [
				{
					type: 'custom',
					name: 'Bread delivery',
					quantity: 1,
					unitName: 'box',
					unitPrice: { currency: 'EUR', netAmount: 40, taxRatePercentage: 19 },
				},
			],
			totalPrice: { currency: 'EUR' },
			taxConditions: { taxType: 'net' },
			shippingConditions: { shippingType: 'none' },
		});
		await lx().webhooks.flush();
		const link = `[URL=https://app.lexware.de/permalink/invoices/view/${invoice.id}]`;
		const comment = await pollUntil(
			async () => bx().state.timeline.find((entry) => entry.kind === 'comment' && entry.comment.includes(link)),
			{ what: 'the timeline link of the new invoice', timeoutMs: 150_000 },
		);
		const number = invoice.voucherNumber ? `Invoice ${invoice.voucherNumber}` : 'Invoice (draft)';
		const text = invoice.voucherNumber
			? `Open invoice ${invoice.voucherNumber} in LexOffice`
			: 'Open the draft invoice in LexOffice';
		expect(comment.kind === 'comment' ? comment.comment : '').toBe(
			`${number} taken over from LexOffice (status: draft).\n${link}${text}[/URL]`,
		);
		const item = bx().state.items.find((candidate) => candidate.XML_ID === invoice.id);
		expect(item?.TITLE).toBe(invoice.voucherNumber ? `Invoice ${invoice.voucherNumber}` : 'LexOffice invoice (draft)');
	});
});
