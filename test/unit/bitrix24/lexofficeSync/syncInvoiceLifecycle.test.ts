/**
 * The invoice lifecycle (issue #13 item 4) and side effects that record themselves after they
 * happened (issue #12 item 4), run the way the bundled invoice-status workflow runs them: Sync
 * Invoice, then Post Invoice Link, the PDF upload and the trigger firing, each followed by Record
 * Invoice Effect with its outcome. Every run is a separate "worker" (its own module registry).
 */
import { randomUUID } from 'node:crypto';

import { DateTime } from 'luxon';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../../sandbox/bitrix24';
import { addRecord } from '../crm/helpers';
import { Gate, loadWorker, runOn } from '../workers';

const berlinDay = (offsetDays: number) =>
	DateTime.now().setZone('Europe/Berlin').plus({ days: offsetDays }).toISODate() as string;

/** A LexOffice invoice as Invoice → Get returns it (lexoffice-api.md §4.2). */
const lexofficeInvoice = (id: string, contactId: string, voucherStatus: string, updatedDate?: string): IDataObject => ({
	id,
	voucherStatus,
	voucherNumber: 'RE4711',
	voucherDate: `${berlinDay(-3)}T00:00:00.000+01:00`,
	dueDate: voucherStatus === 'draft' ? null : `${berlinDay(11)}T00:00:00.000+01:00`,
	...(updatedDate ? { updatedDate } : {}),
	address: { contactId, name: 'Bäckerei Müller GmbH', countryCode: 'DE' },
	totalPrice: { currency: 'EUR', totalNetAmount: 100, totalGrossAmount: 119, totalTaxAmount: 19 },
});

/** The item "Get the event's voucher" puts out for invoice.deleted (eventItem.ts). */
const deletionEvent = (id: string): IDataObject => ({
	eventType: 'invoice.deleted',
	resourceId: id,
	eventDate: '2026-12-05T10:00:00.000+01:00',
	resource: { deleted: true },
});

const PDF = Buffer.from('%PDF-1.4\n% invoice\n').toString('base64');
const DOCX = Buffer.from('PK\u0003\u0004 docx').toString('base64');

describe('Sync Invoice: lifecycle, and effects recorded after they happened', () => {
	let sb: Bitrix24Sandbox;
	const clientLexofficeId = randomUUID();
	let companyId = 0;
	/** Triggers the test's "Fire automation trigger" fired: [smart invoice, code]. */
	let fired: Array<[unknown, unknown]> = [];

	beforeAll(async () => (sb = await startBitrix24Sandbox({ limits: 'off' })));
	afterAll(async () => await sb.close());
	beforeEach(async () => {
		sb.reset();
		fired = [];
		companyId = await addRecord(sb, 'crm.company.add', {
			TITLE: 'Bäckerei Müller GmbH',
			ORIGINATOR_ID: 'lexoffice',
			ORIGIN_ID: clientLexofficeId,
		});
	});
	afterEach(() => jest.restoreAllMocks());

	const smartInvoices = (id: string) => sb.state.items.filter((item) => item.XML_ID === id);
	const defaultCategory = () =>
		sb.state.categories.find((category) => category.entityTypeId === 31 && category.isDefault === 'Y')?.id as number;
	const stage = (code: string, category = defaultCategory()) => `DT31_${category}:${code}`;
	const comments = (entityTypeId: number, entityId: unknown) =>
		sb.state.timeline.filter(
			(entry) => entry.kind === 'comment' && entry.entityTypeId === entityTypeId && entry.entityId === entityId,
		);
	const documents = (entityId: unknown) =>
		sb.state.documents.filter((document) => document.entityTypeId === 31 && document.entityId === entityId);

	const sync = async (input: IDataObject, options: IDataObject = {}, gates: Gate[] = []) =>
		(
			await runOn(loadWorker(), sb, {
				parameters: {
					resource: 'lexofficeSync',
					operation: 'syncInvoice',
					invoice: '={{ $json }}',
					options,
				} as INodeParameters,
				items: [{ json: structuredClone(input) }],
				gates,
			})
		)[0];
	const postLink = async (result: IDataObject) =>
		await runOn(loadWorker(), sb, {
			parameters: { resource: 'lexofficeSync', operation: 'postInvoiceLink', syncResult: '={{ $json }}' },
			items: [{ json: result }],
		});
	/** Record Invoice Effect with the effect node's output item (an error item when it failed). */
	const record = async (effect: 'pdf' | 'trigger', result: IDataObject, outcome: IDataObject) =>
		await runOn(loadWorker(), sb, {
			parameters: {
				resource: 'lexofficeSync',
				operation: 'recordInvoiceEffect',
				effect,
				smartInvoiceId: String(result.id),
				claim: String(result.claim),
				triggerCode: String(result.triggerCode ?? ''),
			},
			items: [{ json: outcome }],
		});
	const uploadPdf = async (id: unknown): Promise<IDataObject> => {
		const answer = await fetch(`${sb.webhookUrl}crm.documentgenerator.document.upload`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({
				fields: {
					entityTypeId: 31,
					entityId: id,
					title: 'Rechnung',
					number: 'RE4711',
					region: 'de',
					fileContent: DOCX,
					pdfContent: PDF,
				},
			}),
		});
		return ((await answer.json()) as { result: IDataObject }).result;
	};

	/**
	 * The bundled workflow after Sync Invoice: each reported effect, then its record. `fail` makes
	 * the PDF upload or the trigger firing fail (the error item "Continue (using error output)" gives).
	 */
	const effects = async (result: IDataObject, fail: { pdf?: boolean; trigger?: boolean } = {}) => {
		if (result.firstSight === true) await postLink(result);
		if (result.attachPdf === true) {
			if (fail.pdf) await expect(record('pdf', result, { error: 'Bitrix24 did not answer' })).rejects.toThrow('PDF');
			else await record('pdf', result, await uploadPdf(result.id));
		}
		if (result.triggerCode) {
			if (fail.trigger)
				await expect(record('trigger', result, { error: 'ERROR_WRONG_CONTEXT' })).rejects.toThrow('automation trigger');
			else {
				fired.push([result.id, result.triggerCode]);
				await record('trigger', result, { fired: true });
			}
		}
	};
	const run = async (
		input: IDataObject,
		fail: { pdf?: boolean; trigger?: boolean } = {},
		options: IDataObject = {},
	) => {
		const result = await sync(input, options);
		await effects(result, fail);
		return result;
	};

	it('closes the smart invoice of a draft deleted in LexOffice: failure stage and one closing note; the draft does not come back', async () => {
		const id = randomUUID();
		await run(lexofficeInvoice(id, clientLexofficeId, 'draft', '2026-12-05T09:00:00.000+01:00'));
		const [item] = smartInvoices(id);
		expect(item.STAGE_ID).toBe(stage('N'));

		const closed = await run(deletionEvent(id));
		expect(closed).toMatchObject({
			action: 'updated',
			status: 'deleted',
			previousStatus: 'draft',
			closed: true,
			triggerCode: null,
		});
		expect(smartInvoices(id)).toHaveLength(1);
		expect(smartInvoices(id)[0]).toMatchObject({
			STAGE_ID: stage('D'),
			TITLE: item.TITLE,
			OPPORTUNITY: item.OPPORTUNITY,
		});
		const notes = () =>
			comments(31, item.ID).filter((entry) => entry.kind === 'comment' && entry.comment.includes('invoice.deleted'));
		expect(notes()).toHaveLength(1);
		const [note] = notes();
		expect(note.kind === 'comment' ? note.comment : '').toContain('in LexOffice gelöscht');

		// LexOffice delivers the deletion again; an execution that fetched the draft before it was deleted finishes late.
		expect(await run(deletionEvent(id))).toMatchObject({ action: 'unchanged', claim: null });
		expect(await run(lexofficeInvoice(id, clientLexofficeId, 'draft', '2026-12-05T09:00:00.000+01:00'))).toMatchObject({
			action: 'unchanged',
			status: 'deleted',
		});
		expect(notes()).toHaveLength(1);
		expect(smartInvoices(id)[0].STAGE_ID).toBe(stage('D'));

		// A deletion of a draft Bitrix24 never had (drafts left out) changes nothing.
		expect(await sync(deletionEvent(randomUUID()))).toMatchObject({ action: 'skipped', id: null });
	});

	it('closes a voided draft: failure stage, closing note and "storniert", each once', async () => {
		const id = randomUUID();
		await run(lexofficeInvoice(id, clientLexofficeId, 'draft'));
		const voided = await run(lexofficeInvoice(id, clientLexofficeId, 'voided'));
		expect(voided).toMatchObject({
			status: 'voided',
			stageId: stage('D'),
			closed: true,
			triggerCode: 'lexoffice_invoice_voided',
		});
		await run(lexofficeInvoice(id, clientLexofficeId, 'voided'));
		const [item] = smartInvoices(id);
		expect(
			comments(31, item.ID).filter((entry) => entry.kind === 'comment' && entry.comment.includes('storniert')),
		).toHaveLength(1);
		expect(fired).toEqual([[item.ID, 'lexoffice_invoice_voided']]);
	});

	it('leaves drafts out when asked: no smart invoice until the invoice is finalized', async () => {
		const id = randomUUID();
		const draft = await run(lexofficeInvoice(id, clientLexofficeId, 'draft'), {}, { skipDrafts: true });
		expect(draft).toMatchObject({ action: 'skipped', id: null, firstSight: false });
		expect(smartInvoices(id)).toHaveLength(0);
		const open = await run(lexofficeInvoice(id, clientLexofficeId, 'open'), {}, { skipDrafts: true });
		expect(open).toMatchObject({ action: 'created', stageId: stage('S'), triggerCode: 'lexoffice_invoice_open' });
		// Back to draft in LexOffice: the smart invoice that exists follows it.
		expect(await run(lexofficeInvoice(id, clientLexofficeId, 'draft'), {}, { skipDrafts: true })).toMatchObject({
			action: 'updated',
			stageId: stage('N'),
		});
	});

	it('moves to the stage picked per status; a picked stage of another category falls back to the default with a warning', async () => {
		const category = defaultCategory();
		sb.state.statuses.push({
			ID: 9000,
			ENTITY_ID: `SMART_INVOICE_STAGE_${category}`,
			STATUS_ID: `DT31_${category}:UC_STORNO`,
			NAME: 'Storniert',
			NAME_INIT: 'Storniert',
			SORT: 45,
			SYSTEM: 'N',
			CATEGORY_ID: category,
			COLOR: null,
			SEMANTICS: 'F',
		});
		const options = { stage_voided: stage('UC_STORNO'), stage_draft: 'sent', stage_paid: 'DT31_999:P' };
		const id = randomUUID();
		expect(await run(lexofficeInvoice(id, clientLexofficeId, 'draft'), {}, options)).toMatchObject({
			stageId: stage('S'),
		});
		expect(await run(lexofficeInvoice(id, clientLexofficeId, 'voided'), {}, options)).toMatchObject({
			stageId: stage('UC_STORNO'),
		});
		const other = randomUUID();
		const paid = await run(lexofficeInvoice(other, clientLexofficeId, 'paid'), {}, options);
		expect(paid).toMatchObject({ stageId: stage('P') });
		expect(String(paid.warning)).toContain('DT31_999:P');
		// Without the options: today's mapping.
		expect(await run(lexofficeInvoice(randomUUID(), clientLexofficeId, 'voided'))).toMatchObject({
			stageId: stage('D'),
		});
	});

	it("posts the link on the smart invoice and on the client's card, once, however often it is run", async () => {
		const id = randomUUID();
		const result = await run(lexofficeInvoice(id, clientLexofficeId, 'open'));
		const [item] = smartInvoices(id);
		const link = `[URL=https://app.lexware.de/permalink/invoices/view/${id}]`;
		const linked = (entries: ReturnType<typeof comments>) =>
			entries.filter((entry) => entry.kind === 'comment' && entry.comment.includes(link));
		expect(linked(comments(31, item.ID))).toHaveLength(1);
		expect(linked(comments(4, companyId))).toHaveLength(1);
		// A replay of the link step (its record was lost) finds both and posts nothing.
		const [again] = await postLink(result);
		expect(again).toMatchObject({ recorded: 'unchanged' });
		expect(linked(comments(31, item.ID))).toHaveLength(1);
		expect(linked(comments(4, companyId))).toHaveLength(1);
		expect(await sync(lexofficeInvoice(id, clientLexofficeId, 'open'))).toMatchObject({
			firstSight: false,
			claim: null,
		});
	});

	it('attaches the PDF exactly once when the upload failed and the next event comes', async () => {
		const id = randomUUID();
		const first = await run(lexofficeInvoice(id, clientLexofficeId, 'open'), { pdf: true });
		expect(first.attachPdf).toBe(true);
		const [item] = smartInvoices(id);
		expect(documents(item.ID)).toHaveLength(0);
		expect(String(item.SOURCE_DESCRIPTION)).toContain('pdf=nein');

		const next = await run(lexofficeInvoice(id, clientLexofficeId, 'open'));
		expect(next).toMatchObject({ attachPdf: true, triggerCode: null, firstSight: false });
		expect(documents(item.ID)).toHaveLength(1);
		expect(await run(lexofficeInvoice(id, clientLexofficeId, 'paid'))).toMatchObject({ attachPdf: false });
		expect(documents(item.ID)).toHaveLength(1);
		expect(String(smartInvoices(id)[0].SOURCE_DESCRIPTION)).toContain('pdf=ja');
	});

	it('finds a PDF attached but not recorded (the execution died in between) instead of attaching it again', async () => {
		const id = randomUUID();
		const result = await sync(lexofficeInvoice(id, clientLexofficeId, 'open'));
		await uploadPdf(result.id); // … and no record: the worker died here
		expect(await sync(lexofficeInvoice(id, clientLexofficeId, 'open'))).toMatchObject({
			attachPdf: false,
			claim: null,
		});
		// After the claim's lease the next event takes the PDF on again: it reads back first.
		// Each worker loads its own luxon; all of them read the clock through Date.now.
		const realNow = Date.now.bind(Date);
		jest.spyOn(Date, 'now').mockImplementation(() => realNow() + 16 * 60_000);
		const retaken = await sync(lexofficeInvoice(id, clientLexofficeId, 'open'));
		expect(retaken).toMatchObject({ attachPdf: false, firstSight: true, triggerCode: 'lexoffice_invoice_open' });
		expect(documents(result.id)).toHaveLength(1);
		expect(String(smartInvoices(id)[0].SOURCE_DESCRIPTION)).toContain('pdf=ja');
	});

	it('fires the trigger at the next event when firing failed, once', async () => {
		const id = randomUUID();
		await run(lexofficeInvoice(id, clientLexofficeId, 'open'));
		const [item] = smartInvoices(id);
		expect(await run(lexofficeInvoice(id, clientLexofficeId, 'paid'), { trigger: true })).toMatchObject({
			triggerCode: 'lexoffice_invoice_paid',
		});
		expect(String(smartInvoices(id)[0].SOURCE_DESCRIPTION)).toMatch(/auslöser=lexoffice_invoice_paid$/);
		expect(await run(lexofficeInvoice(id, clientLexofficeId, 'paid'))).toMatchObject({
			triggerCode: 'lexoffice_invoice_paid',
		});
		expect(await run(lexofficeInvoice(id, clientLexofficeId, 'paid'))).toMatchObject({ triggerCode: null });
		expect(fired).toEqual([
			[item.ID, 'lexoffice_invoice_open'],
			[item.ID, 'lexoffice_invoice_paid'],
		]);
	});

	it('does each effect once when deliveries of each change run on two workers at the same time', async () => {
		const id = randomUUID();
		const deliver = async (input: IDataObject) => {
			// Worker A has read the smart invoice (or found none) and is held; worker B runs the whole flow; then A goes on.
			const held = new Gate((_request, sentBefore) => sentBefore.length === 1);
			const first = sync(input, {}, [held]);
			await held.reached;
			await run(input);
			held.release();
			await effects(await first);
		};
		await deliver(lexofficeInvoice(id, clientLexofficeId, 'open', '2026-12-05T10:00:00.000+01:00'));
		await deliver(lexofficeInvoice(id, clientLexofficeId, 'paid', '2026-12-05T11:00:00.000+01:00'));
		await Promise.all([
			run(lexofficeInvoice(id, clientLexofficeId, 'paid', '2026-12-05T11:00:00.000+01:00')),
			run(lexofficeInvoice(id, clientLexofficeId, 'paid', '2026-12-05T11:00:00.000+01:00')),
		]);

		expect(smartInvoices(id)).toHaveLength(1);
		const [item] = smartInvoices(id);
		expect(item.STAGE_ID).toBe(stage('P'));
		expect(fired).toEqual([
			[item.ID, 'lexoffice_invoice_open'],
			[item.ID, 'lexoffice_invoice_paid'],
		]);
		expect(documents(item.ID)).toHaveLength(1);
		expect(comments(31, item.ID)).toHaveLength(1);
		expect(comments(4, companyId)).toHaveLength(1);
		expect(String(item.SOURCE_DESCRIPTION)).toBe(
			'LexOffice-Abgleich: status=paid; pdf=ja; überfällig=nein; stand=2026-12-05T11:00:00.000+01:00',
		);
	});
});
