/**
 * LexOffice Sync → Sync Invoice against the Bitrix24 sandbox: the smart invoice it writes, field
 * by field; the stage, trigger and PDF flag it reports per status change; that replays, daily
 * re-checks and parallel deliveries report nothing twice; and bad input.
 */
import { randomUUID } from 'node:crypto';

import { DateTime } from 'luxon';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../../sandbox/bitrix24';
import { caught, restCalls } from '../helpers';
import { addRecord, runBitrix24, writeRequests } from '../crm/helpers';

const berlinDay = (offsetDays: number) =>
	DateTime.now().setZone('Europe/Berlin').plus({ days: offsetDays }).toISODate() as string;
const lexofficeTimestamp = (day: string) => `${day}T00:00:00.000+01:00`;

/** A LexOffice invoice as Invoice → Get returns it (lexoffice-api.md §4.2), trimmed to what matters. */
function lexofficeInvoice(contactId: string | undefined, overrides: IDataObject = {}): IDataObject {
	return {
		id: randomUUID(),
		organizationId: randomUUID(),
		voucherStatus: 'open',
		voucherNumber: `RE${Math.floor(Math.random() * 90000) + 10000}`,
		voucherDate: lexofficeTimestamp(berlinDay(-3)),
		dueDate: lexofficeTimestamp(berlinDay(11)),
		address: contactId
			? { contactId, name: 'Bäckerei Müller GmbH', countryCode: 'DE' }
			: { name: 'Laufkundschaft', countryCode: 'DE' },
		totalPrice: { currency: 'EUR', totalNetAmount: 100, totalGrossAmount: 119, totalTaxAmount: 19 },
		...overrides,
	};
}

describe('LexOffice Sync → Sync Invoice', () => {
	let sb: Bitrix24Sandbox;
	const companyLexofficeId = randomUUID();
	const personLexofficeId = randomUUID();
	let companyId = 0;
	let personId = 0;
	let contactPersonId = 0;

	beforeAll(async () => (sb = await startBitrix24Sandbox({ limits: 'off' })));
	afterAll(async () => await sb.close());
	beforeEach(async () => {
		sb.reset();
		companyId = await addRecord(sb, 'crm.company.add', {
			TITLE: 'Bäckerei Müller GmbH',
			ORIGINATOR_ID: 'lexoffice',
			ORIGIN_ID: companyLexofficeId,
		});
		// A contact person of that company: never to be taken for the LexOffice contact itself.
		contactPersonId = await addRecord(sb, 'crm.contact.add', {
			NAME: 'Hans',
			LAST_NAME: 'Müller',
			COMPANY_ID: companyId,
			ORIGINATOR_ID: 'lexoffice',
			ORIGIN_ID: `${companyLexofficeId}:person:1`,
		});
		personId = await addRecord(sb, 'crm.contact.add', {
			NAME: 'Greta',
			LAST_NAME: 'Vogel',
			ORIGINATOR_ID: 'lexoffice',
			ORIGIN_ID: personLexofficeId,
		});
		sb.requests.clear();
	});

	const sync = async (invoices: IDataObject[], extra: INodeParameters = {}, continueOnFail = false) => {
		sb.requests.clear();
		const { json } = await runBitrix24(sb, {
			parameters: { resource: 'lexofficeSync', operation: 'syncInvoice', invoice: '={{ $json }}', ...extra },
			items: invoices.map((invoice) => ({ json: structuredClone(invoice) })),
			continueOnFail,
		});
		return json;
	};
	const smartInvoices = (lexofficeId: string) => sb.state.items.filter((item) => item.XML_ID === lexofficeId);
	const defaultCategory = () =>
		sb.state.categories.find((category) => category.entityTypeId === 31 && category.isDefault === 'Y')?.id as number;
	const stage = (code: string, category = defaultCategory()) => `DT31_${category}:${code}`;

	it('creates the smart invoice of a finalized invoice, linked to the company, and reports link, PDF and "offen"', async () => {
		const invoice = lexofficeInvoice(companyLexofficeId);
		const [out] = await sync([invoice]);

		const [item] = smartInvoices(String(invoice.id));
		expect(smartInvoices(String(invoice.id))).toHaveLength(1);
		expect(item).toMatchObject({
			TITLE: `Rechnung ${String(invoice.voucherNumber)}`,
			ACCOUNT_NUMBER: invoice.voucherNumber,
			OPPORTUNITY: 119,
			IS_MANUAL_OPPORTUNITY: 'Y',
			CURRENCY_ID: 'EUR',
			COMPANY_ID: companyId,
			CATEGORY_ID: defaultCategory(),
			STAGE_ID: stage('S'),
		});
		expect(String(item.BEGINDATE)).toMatch(new RegExp(`^${berlinDay(-3)}`));
		expect(String(item.CLOSEDATE)).toMatch(new RegExp(`^${berlinDay(11)}`));
		expect(item.CONTACT_ID ?? null).not.toBe(contactPersonId);
		expect(out).toMatchObject({
			id: item.ID,
			entityTypeId: 31,
			lexofficeInvoiceId: invoice.id,
			action: 'created',
			firstSight: true,
			previousStatus: null,
			status: 'open',
			stageId: stage('S'),
			stageChanged: true,
			triggerCode: 'lexoffice_invoice_open',
			triggerName: 'LexOffice: Rechnung offen',
			attachPdf: true,
			lexofficeUrl: `https://app.lexware.de/permalink/invoices/view/${String(invoice.id)}`,
			clientType: 'company',
			clientId: companyId,
		});
		// Client and existing invoice are looked up in one batch request.
		expect(restCalls(sb).filter((call) => (call.batchMethods ?? []).includes('crm.item.list'))).toHaveLength(1);
	});

	it.each([
		['a 504 after Bitrix24 created it', { status: 504, afterProcessing: true }],
		['a reset connection before it reached Bitrix24', { dropConnection: true }],
	])(
		'a lost answer to crm.item.add (%s) is settled by its xmlId: one smart invoice, reported created, trigger kept',
		async (_name, fault) => {
			const invoice = lexofficeInvoice(companyLexofficeId);
			sb.setFaults({ failNext: [{ pathIncludes: 'crm.item.add', ...fault }] });
			const [out] = await sync([invoice]);
			sb.setFaults({});
			expect(smartInvoices(String(invoice.id))).toHaveLength(1);
			expect(out).toMatchObject({
				action: 'created',
				firstSight: true,
				triggerCode: 'lexoffice_invoice_open',
				attachPdf: true,
				settledByReadBack: true,
			});
			expect(out.id).toBe(smartInvoices(String(invoice.id))[0].ID);
		},
	);

	it('reports nothing and writes nothing when the same invoice comes again', async () => {
		const invoice = lexofficeInvoice(companyLexofficeId);
		await sync([invoice]);
		const [again] = await sync([invoice]);
		expect(again).toMatchObject({
			action: 'unchanged',
			firstSight: false,
			previousStatus: 'open',
			status: 'open',
			stageChanged: false,
			triggerCode: null,
			attachPdf: false,
		});
		expect(writeRequests(sb)).toHaveLength(0);
	});

	it("follows a person's invoice from draft through finalizing to paid, one trigger per change", async () => {
		const draft = lexofficeInvoice(personLexofficeId, { voucherStatus: 'draft', dueDate: null });
		const [created] = await sync([draft]);
		expect(created).toMatchObject({
			action: 'created',
			status: 'draft',
			stageId: stage('N'),
			triggerCode: null,
			attachPdf: false,
			clientType: 'contact',
			clientId: personId,
		});
		expect(smartInvoices(String(draft.id))[0]).toMatchObject({ CONTACT_ID: personId, STAGE_ID: stage('N') });

		const open = { ...draft, voucherStatus: 'open', dueDate: lexofficeTimestamp(berlinDay(14)) };
		const [finalized] = await sync([open]);
		expect(finalized).toMatchObject({
			action: 'updated',
			firstSight: false,
			previousStatus: 'draft',
			status: 'open',
			stageId: stage('S'),
			stageChanged: true,
			triggerCode: 'lexoffice_invoice_open',
			attachPdf: true,
		});
		expect(finalized.changedFields).toEqual(expect.arrayContaining(['stageId', 'closedate', 'sourceDescription']));

		const [paid] = await sync([{ ...open, voucherStatus: 'paid' }]);
		expect(paid).toMatchObject({
			action: 'updated',
			previousStatus: 'open',
			status: 'paid',
			stageId: stage('P'),
			stageChanged: true,
			triggerCode: 'lexoffice_invoice_paid',
			attachPdf: false,
		});
		expect(smartInvoices(String(draft.id))).toHaveLength(1);
		expect(smartInvoices(String(draft.id))[0].STAGE_ID).toBe(stage('P'));
	});

	it('moves a voided invoice to the failure stage and fires "storniert"', async () => {
		const invoice = lexofficeInvoice(companyLexofficeId);
		await sync([invoice]);
		const [voided] = await sync([{ ...invoice, voucherStatus: 'voided' }]);
		expect(voided).toMatchObject({
			status: 'voided',
			stageId: stage('D'),
			triggerCode: 'lexoffice_invoice_voided',
			attachPdf: false,
		});
	});

	it('fires "überfällig" once per invoice, whether it is seen in an event or in the daily overdue list', async () => {
		const invoice = lexofficeInvoice(companyLexofficeId, { dueDate: lexofficeTimestamp(berlinDay(4)) });
		await sync([invoice]);
		const pastDue = {
			...invoice,
			voucherDate: lexofficeTimestamp(berlinDay(-30)),
			dueDate: lexofficeTimestamp(berlinDay(-2)),
		};
		const [overdue] = await sync([pastDue]);
		expect(overdue).toMatchObject({
			previousStatus: 'open',
			status: 'overdue',
			stageId: stage('S'),
			stageChanged: false,
			triggerCode: 'lexoffice_invoice_overdue',
		});

		// The next day's voucherlist row (§5) for the same invoice.
		const row = {
			id: invoice.id,
			voucherType: 'invoice',
			voucherStatus: 'overdue',
			voucherNumber: invoice.voucherNumber,
			voucherDate: pastDue.voucherDate,
			dueDate: pastDue.dueDate,
			contactId: companyLexofficeId,
			contactName: 'Bäckerei Müller GmbH',
			totalAmount: 119,
			openAmount: 119,
			currency: 'EUR',
		};
		const [daily] = await sync([row]);
		expect(daily).toMatchObject({ action: 'unchanged', status: 'overdue', triggerCode: null });
		expect(writeRequests(sb)).toHaveLength(0);

		const [paid] = await sync([{ ...pastDue, voucherStatus: 'paid' }]);
		expect(paid).toMatchObject({ previousStatus: 'overdue', triggerCode: 'lexoffice_invoice_paid' });
	});

	it('reports a change once when its deliveries arrive in parallel executions', async () => {
		const invoice = lexofficeInvoice(companyLexofficeId);
		await sync([invoice]);
		const paid = { ...invoice, voucherStatus: 'paid' };
		// invoice.changed, invoice.status.changed and payment.changed for one payment (§6.2).
		const outputs = await Promise.all([sync([paid]), sync([paid]), sync([paid])]);
		const codes = outputs.map(([out]) => out.triggerCode);
		expect(codes.filter((code) => code !== null)).toEqual(['lexoffice_invoice_paid']);
		expect(outputs.filter(([out]) => out.action === 'updated')).toHaveLength(1);
	});

	it('keeps the newest state when an older snapshot of the invoice arrives later, in parallel or after a restart', async () => {
		const open = lexofficeInvoice(companyLexofficeId, { updatedDate: '2026-12-05T10:00:00.000+01:00', version: 1 });
		const paid = { ...open, voucherStatus: 'paid', updatedDate: '2026-12-05T10:00:05.000+01:00', version: 2 };
		// Each event's execution fetched the invoice at its own moment; the newer one may finish first.
		const [[first], [second], [late]] = await Promise.all([sync([paid]), sync([open]), sync([open])]);
		const item = smartInvoices(String(open.id));
		expect(item).toHaveLength(1);
		expect(item[0].STAGE_ID).toBe(stage('P'));
		expect([first.triggerCode, second.triggerCode, late.triggerCode]).toEqual(['lexoffice_invoice_paid', null, null]);
		expect(second).toMatchObject({
			action: 'unchanged',
			status: 'paid',
			skippedReason: expect.stringContaining('newer state'),
		});
	});

	it('keeps the memory across a fresh run (nothing in n8n) and leaves a stage moved by hand alone until the status changes', async () => {
		const invoice = lexofficeInvoice(companyLexofficeId);
		const [created] = await sync([invoice]);
		// A person (or an automation rule) moves the invoice on by hand.
		const moved = await fetch(`${sb.webhookUrl}crm.item.update`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ entityTypeId: 31, id: created.id, fields: { stageId: stage('N') } }),
		});
		expect(moved.ok).toBe(true);
		const [same] = await sync([invoice]);
		expect(same).toMatchObject({ action: 'unchanged', triggerCode: null, stageId: stage('N') });
		const [paid] = await sync([{ ...invoice, voucherStatus: 'paid' }]);
		expect(paid).toMatchObject({ stageId: stage('P'), stageChanged: true, triggerCode: 'lexoffice_invoice_paid' });
	});

	it('puts new invoices into the chosen category, takes a link the item carries, and a custom state field', async () => {
		const other = sb.state.categories.find((category) => category.entityTypeId === 31 && category.isDefault !== 'Y')
			?.id as number;
		const link = 'https://app.lexoffice.de/permalink/invoices/view/abc';
		const invoice = lexofficeInvoice(companyLexofficeId, { permalinks: { view: link } });
		const [out] = await sync([invoice], { categoryId: String(other), options: { memoryField: 'comments' } });
		expect(out).toMatchObject({ stageId: stage('S', other), lexofficeUrl: link });
		const [item] = smartInvoices(String(invoice.id));
		expect(item).toMatchObject({ CATEGORY_ID: other, STAGE_ID: stage('S', other) });
		expect(String(item.COMMENTS)).toContain('LexOffice-Abgleich: status=open; pdf=läuft@');
		expect(item.SOURCE_DESCRIPTION ?? '').toBe('');
	});

	it('creates the smart invoice without a client when LexOffice has none or it is not in Bitrix24 yet, and links it later', async () => {
		const unknownContact = randomUUID();
		const invoice = lexofficeInvoice(unknownContact);
		const [first] = await sync([invoice]);
		expect(first).toMatchObject({ action: 'created', clientType: null, clientId: null });

		const lateId = await addRecord(sb, 'crm.company.add', {
			TITLE: 'Neu GmbH',
			ORIGINATOR_ID: 'lexoffice',
			ORIGIN_ID: unknownContact,
		});
		const [linked] = await sync([invoice]);
		expect(linked).toMatchObject({
			action: 'updated',
			clientType: 'company',
			clientId: lateId,
			triggerCode: null,
			changedFields: ['companyId'],
		});

		const [oneTime] = await sync([lexofficeInvoice(undefined)]);
		expect(oneTime).toMatchObject({ action: 'created', clientType: null });
	});

	it('fails input that is not a LexOffice invoice alone, saying why, before sending anything; a wrong setting stops the node', async () => {
		const results = await sync([
			{ voucherStatus: 'open' },
			{ ...lexofficeInvoice(companyLexofficeId), voucherType: 'creditnote' },
			lexofficeInvoice(companyLexofficeId, { voucherStatus: 'accepted' }),
			{ id: 'nope' },
		]);
		expect(results.map((row) => row.action)).toEqual(['failed', 'failed', 'failed', 'failed']);
		expect(String(results[0].error)).toContain('"LexOffice Invoice" has no id');
		expect(String(results[1].error)).toContain('not an invoice');
		expect(String(results[2].error)).toContain('"accepted"');
		expect(String(results[3].error)).toContain('not a LexOffice id');
		expect(restCalls(sb)).toHaveLength(0);
		const badField = await caught(
			sync([lexofficeInvoice(companyLexofficeId)], { options: { memoryField: 'SOURCE DESCRIPTION' } }),
		);
		expect(badField.message).toContain('Sync State Field');
		expect(restCalls(sb)).toHaveLength(0);
	});
});
