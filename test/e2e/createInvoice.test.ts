/**
 * workflows/lexoffice-bitrix24-create-invoice.json in a real n8n 2.41.1 (issue #5 "Create
 * invoice"): the setup branch binds the button through the "Bitrix24 app" credential, and a click
 * on a Bitrix24 contact without LexOffice link gives a new LexOffice contact, the link on the
 * Bitrix24 contact, a draft invoice and a page with its edit permalink. A second click reuses the
 * contact, two clicks at once create it once (issue #12); a click LexOffice refuses gives a readable
 * page that names what was created.
 */
import axios from 'axios';

import { bundledWorkflow, createSandboxCredentials, pollUntil, startN8n, type N8nInstance } from '../harness';
import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../sandbox/bitrix24';
import { startLexofficeSandbox, type LexofficeSandbox } from '../sandbox/lexoffice';

const STARTUP_TIMEOUT_MS = 10 * 60_000;
jest.setTimeout(120_000);

const TEMPLATE = 'lexoffice-bitrix24-create-invoice';
const EDIT_PERMALINK = /https:\/\/app\.lexware\.de\/permalink\/invoices\/edit\/([0-9a-f-]{36})/;

describe('Create invoice workflow in a real n8n', () => {
	let n8n: N8nInstance | undefined;
	let lexoffice: LexofficeSandbox | undefined;
	let bitrix24: Bitrix24Sandbox | undefined;
	let workflowId: string;
	let handlerUrl: string;

	const api = (): N8nInstance => {
		if (!n8n) throw new Error('n8n did not start (see beforeAll)');
		return n8n;
	};
	const lx = () => lexoffice as LexofficeSandbox;
	const bx = () => bitrix24 as Bitrix24Sandbox;

	/** A record created through the sandbox's REST API, as a user would in Bitrix24. */
	const addRecord = async (
		method: 'crm.contact.add' | 'crm.company.add',
		fields: Record<string, unknown>,
	): Promise<number> => {
		const response = await axios.post(`${bx().webhookUrl}${method}`, { fields }, { proxy: false });
		return Number(response.data.result);
	};
	const contactRow = (id: number) => bx().state.contacts.find((row) => Number(row.ID) === id);
	const lexofficeContactsWithEmail = (email: string) =>
		[...lx().state.contacts.values()].filter((contact) =>
			Object.values(contact.emailAddresses ?? {})
				.flat()
				.includes(email),
		);
	const click = async (placement: string, id: number) => await bx().simulate.placementCall(placement, { ID: id });

	beforeAll(async () => {
		lexoffice = await startLexofficeSandbox({ limits: 'off' });
		bitrix24 = await startBitrix24Sandbox({ limits: 'off' });
		// A busy machine can take minutes to migrate a fresh database; beforeAll allows 10.
		n8n = await startN8n({ readinessTimeoutMs: 8 * 60_000 });
		await createSandboxCredentials(n8n, lexoffice, bitrix24, { app: true });
		workflowId = (await n8n.importWorkflow(bundledWorkflow(TEMPLATE))).id;
		handlerUrl = n8n.webhookUrl(`${await n8n.webhookIdOf(workflowId, 'Button clicked')}/webhook`);
		await n8n.publish(workflowId);
		await n8n.waitPublished(workflowId);
	}, STARTUP_TIMEOUT_MS);

	afterAll(async () => {
		await n8n?.stop();
		await lexoffice?.close();
		await bitrix24?.close();
	}, 60_000);

	it("publishing binds the button on contact and company cards to this workflow's own trigger URL", () => {
		// The template carries no webhookId: the handler is the URL n8n gave this import (issue #13).
		expect(
			bx()
				.state.placements.map(({ placement, handler }) => ({ placement, handler }))
				.sort((a, b) => a.placement.localeCompare(b.placement)),
		).toEqual([
			{ placement: 'CRM_COMPANY_DETAIL_TOOLBAR', handler: handlerUrl },
			{ placement: 'CRM_CONTACT_DETAIL_TOOLBAR', handler: handlerUrl },
		]);
	});

	it('a click on an unlinked contact creates the LexOffice contact, stores the link, drafts the invoice and links its editor', async () => {
		const email = 'inge.musterfrau@example.de';
		const id = await addRecord('crm.contact.add', {
			NAME: 'Inge',
			LAST_NAME: 'Musterfrau',
			EMAIL: [{ VALUE: email, VALUE_TYPE: 'WORK' }],
			PHONE: [{ VALUE: '+49 170 1234567', VALUE_TYPE: 'MOBILE' }],
		});
		const invoicesBefore = lx().state.invoices.size;

		const response = await click('CRM_CONTACT_DETAIL_TOOLBAR', id);

		expect(response.status).toBe(200);
		expect(response.headers['content-type']).toMatch(/text\/html/);
		const [created] = lexofficeContactsWithEmail(email);
		expect(lexofficeContactsWithEmail(email)).toHaveLength(1);
		expect(created).toMatchObject({
			roles: { customer: expect.any(Object) },
			person: { firstName: 'Inge', lastName: 'Musterfrau' },
			phoneNumbers: { mobile: ['+49 170 1234567'] },
		});
		expect(contactRow(id)).toMatchObject({ ORIGINATOR_ID: 'lexoffice', ORIGIN_ID: created.id });
		expect(contactRow(id)?.ORIGIN_VERSION ?? '').toBe('');

		expect(lx().state.invoices.size).toBe(invoicesBefore + 1);
		const invoiceId = EDIT_PERMALINK.exec(response.body)?.[1];
		const invoice = lx().state.invoices.get(String(invoiceId));
		expect(invoice).toMatchObject({ voucherStatus: 'draft', address: { contactId: created.id } });
		expect(response.body).toContain(
			`href="https://app.lexware.de/permalink/invoices/edit/${String(invoiceId)}" target="_blank"`,
		);
		expect(response.body).toContain('Inge Musterfrau');
		expect(response.body).toContain('neu angelegt');

		// A second click: the same LexOffice contact (found by the link), no second link write, a new draft.
		const updatesBefore = bx()
			.requests.calls()
			.filter((call) => call.path.endsWith('crm.contact.update')).length;
		const again = await click('CRM_CONTACT_DETAIL_TOOLBAR', id);
		expect(again.status).toBe(200);
		expect(lexofficeContactsWithEmail(email)).toHaveLength(1);
		const secondInvoiceId = EDIT_PERMALINK.exec(again.body)?.[1];
		expect(secondInvoiceId).toBeDefined();
		expect(secondInvoiceId).not.toBe(invoiceId);
		expect(lx().state.invoices.get(String(secondInvoiceId))?.address.contactId).toBe(created.id);
		expect(again.body).not.toContain('neu angelegt');
		expect(
			bx()
				.requests.calls()
				.filter((call) => call.path.endsWith('crm.contact.update')),
		).toHaveLength(updatesBefore);
	});

	it('a click on a company creates a LexOffice company and links the Bitrix24 company', async () => {
		const id = await addRecord('crm.company.add', {
			TITLE: 'Rechnungstest GmbH',
			EMAIL: [{ VALUE: 'info@rechnungstest.de', VALUE_TYPE: 'WORK' }],
		});
		const response = await click('CRM_COMPANY_DETAIL_TOOLBAR', id);
		expect(response.status).toBe(200);
		const [company] = lexofficeContactsWithEmail('info@rechnungstest.de');
		expect(company?.company?.name).toBe('Rechnungstest GmbH');
		expect(bx().state.companies.find((row) => Number(row.ID) === id)).toMatchObject({
			ORIGINATOR_ID: 'lexoffice',
			ORIGIN_ID: company?.id,
		});
		expect(response.body).toMatch(EDIT_PERMALINK);
	});

	it('two clicks at once on a record without e-mail give one LexOffice contact; each click drafts its own invoice for it', async () => {
		const id = await addRecord('crm.contact.add', { NAME: 'Doris', LAST_NAME: 'Doppelklick' });
		const contactsNamedDoppelklick = () =>
			[...lx().state.contacts.values()].filter((contact) => contact.person?.lastName === 'Doppelklick');
		// Every LexOffice answer takes 300 ms, so both executions are in flight together (issue #12).
		lx().setFaults({ latencyMs: 300 });
		let pages: Array<Awaited<ReturnType<typeof click>>>;
		try {
			pages = await Promise.all([click('CRM_CONTACT_DETAIL_TOOLBAR', id), click('CRM_CONTACT_DETAIL_TOOLBAR', id)]);
		} finally {
			lx().setFaults({});
		}

		expect(contactsNamedDoppelklick()).toHaveLength(1);
		const [doris] = contactsNamedDoppelklick();
		expect(contactRow(id)).toMatchObject({ ORIGINATOR_ID: 'lexoffice', ORIGIN_ID: doris.id });
		const invoiceIds = pages.map((page) => EDIT_PERMALINK.exec(page.body)?.[1]);
		for (const [index, page] of pages.entries()) {
			expect(page.status).toBe(200);
			expect(invoiceIds[index]).toBeDefined();
			expect(lx().state.invoices.get(String(invoiceIds[index]))?.address.contactId).toBe(doris.id);
			expect(page.body).toContain('Doris Doppelklick');
		}
		expect(new Set(invoiceIds).size).toBe(2);
		// One click created the contact and says so; the other does not claim it.
		expect(pages.filter((page) => page.body.includes('neu angelegt'))).toHaveLength(1);
	});

	it('when LexOffice refuses the invoice, the click gets a readable page and nothing is half-linked', async () => {
		const id = await addRecord('crm.contact.add', {
			NAME: 'Otto',
			LAST_NAME: 'Fehlschlag',
			EMAIL: [{ VALUE: 'otto@example.de', VALUE_TYPE: 'HOME' }],
		});
		lx().setFaults({
			failNext: [
				{
					method: 'POST',
					pathIncludes: '/v1/invoices',
					status: 406,
					body: { message: 'Die Rechnung ist ungültig (Test)' },
				},
			],
		});
		const invoicesBefore = lx().state.invoices.size;

		const response = await click('CRM_CONTACT_DETAIL_TOOLBAR', id);

		expect(response.status).toBe(200);
		expect(response.headers['content-type']).toMatch(/text\/html/);
		expect(response.body).toContain('Die Rechnung konnte nicht erstellt werden');
		expect(response.body).toMatch(/ungültig \(Test\)/);
		// Readable: no stack trace, no raw JSON.
		expect(response.body).not.toMatch(/\bat \S+ \(|NodeApiError|"stack"/);
		expect(lx().state.invoices.size).toBe(invoicesBefore);
		// The contact itself was found or created and linked before the invoice failed: the next click reuses it,
		// and the page says so instead of "nothing else changed" alone.
		const [otto] = lexofficeContactsWithEmail('otto@example.de');
		expect(contactRow(id)).toMatchObject({ ORIGINATOR_ID: 'lexoffice', ORIGIN_ID: otto?.id });
		expect(response.body).toContain(
			'Der Kunde „Otto Fehlschlag“ wurde dafür in LexOffice neu angelegt und mit diesem Datensatz verknüpft. Sonst wurde nichts geändert.',
		);
	});

	it('a contact LexOffice cannot take (no name) gets a page naming the missing field', async () => {
		const id = await addRecord('crm.contact.add', {
			NAME: '',
			LAST_NAME: '',
			EMAIL: [{ VALUE: 'namenlos@example.de', VALUE_TYPE: 'WORK' }],
		});
		const response = await click('CRM_CONTACT_DETAIL_TOOLBAR', id);
		expect(response.status).toBe(200);
		expect(response.body).toContain('Die Rechnung konnte nicht erstellt werden');
		expect(response.body).toContain('NAME and LAST_NAME');
		expect(lexofficeContactsWithEmail('namenlos@example.de')).toHaveLength(0);
		// The claim made before the failure was released: "nothing else changed" is true.
		expect(response.body).toMatch(/NAME and LAST_NAME.* Sonst wurde nichts geändert\./s);
		expect(response.body).not.toContain('neu angelegt');
		expect(contactRow(id)?.ORIGIN_ID ?? '').toBe('');
	});

	it('unpublishing removes the buttons, so none leads to a workflow that no longer answers', async () => {
		await api().unpublish(workflowId);
		await pollUntil(async () => (bx().state.placements.length === 0 ? true : undefined), {
			what: 'the buttons to be unbound',
			timeoutMs: 60_000,
		});
		expect(bx().state.placements).toEqual([]);
	});
});
