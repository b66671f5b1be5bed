/**
 * Sync Invoice on several n8n workers (issue #12, item 4): each execution runs on its own copy of
 * the node (workers.ts), so the per-process lock does not order them; the interleavings of the
 * issue are forced with gates on the requests.
 */
import { randomUUID } from 'node:crypto';

import { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../../sandbox/bitrix24';
import { Gate, loadWorker, runOn } from '../workers';

const berlinDay = (offsetDays: number) =>
	DateTime.now().setZone('Europe/Berlin').plus({ days: offsetDays }).toISODate() as string;
const PARAMETERS = { resource: 'lexofficeSync', operation: 'syncInvoice', invoice: '={{ $json }}' };

/** A LexOffice invoice as Invoice → Get returns it (lexoffice-api.md §4.2), in the state of `updatedDate`. */
const lexofficeInvoice = (id: string, voucherStatus: string, updatedDate: string): IDataObject => ({
	id,
	voucherStatus,
	voucherNumber: 'RE4711',
	voucherDate: `${berlinDay(-3)}T00:00:00.000+01:00`,
	dueDate: `${berlinDay(11)}T00:00:00.000+01:00`,
	updatedDate,
	address: { name: 'Laufkundschaft', countryCode: 'DE' },
	totalPrice: { currency: 'EUR', totalNetAmount: 100, totalGrossAmount: 119, totalTaxAmount: 19 },
});

describe('Sync Invoice on two workers (issue #12)', () => {
	let sb: Bitrix24Sandbox;
	beforeAll(async () => (sb = await startBitrix24Sandbox({ limits: 'off' })));
	afterAll(async () => await sb.close());
	beforeEach(() => sb.reset());

	const sync = async (worker: ReturnType<typeof loadWorker>, invoice: IDataObject, gates: Gate[] = []) =>
		(await runOn(worker, sb, { parameters: PARAMETERS, items: [{ json: structuredClone(invoice) }], gates }))[0];
	const smartInvoices = (id: string) => sb.state.items.filter((item) => item.XML_ID === id);
	const stageCode = (id: string) => String(smartInvoices(id)[0]?.STAGE_ID).split(':')[1];
	/** Right after the lookup answered: before the execution's second request. */
	const afterLookup = () => new Gate((_request, sentBefore) => sentBefore.length === 1);
	const reported = (outcomes: IDataObject[]) => ({
		links: outcomes.filter((outcome) => outcome.firstSight === true).length,
		pdfs: outcomes.filter((outcome) => outcome.attachPdf === true).length,
		triggers: outcomes.flatMap((outcome) => (outcome.triggerCode ? [outcome.triggerCode] : [])),
	});

	it('adds one smart invoice and reports link, PDF and trigger once when both workers miss the lookup', async () => {
		const id = randomUUID();
		const invoice = lexofficeInvoice(id, 'open', '2026-12-01T10:00:00.000+01:00');
		const beforeAdd = new Gate((request) => request.includes('crm.item.add'));
		const first = sync(loadWorker(), invoice, [beforeAdd]);
		await beforeAdd.reached; // worker 1 found nothing and is about to add
		const second = await sync(loadWorker(), invoice);
		beforeAdd.release();
		const outcomes = [await first, second];

		expect(smartInvoices(id)).toHaveLength(1);
		expect(outcomes.map((outcome) => outcome.id)).toEqual([smartInvoices(id)[0].ID, smartInvoices(id)[0].ID]);
		expect(reported(outcomes)).toEqual({ links: 1, pdfs: 1, triggers: ['lexoffice_invoice_open'] });
	});

	it('never moves the stage back or fires for a stale status processed after a newer one', async () => {
		const id = randomUUID();
		await sync(loadWorker(), lexofficeInvoice(id, 'draft', '2026-12-01T10:00:00.000+01:00'));
		const stale = afterLookup();
		const staleRun = sync(loadWorker(), lexofficeInvoice(id, 'open', '2026-12-01T11:00:00.000+01:00'), [stale]);
		await stale.reached; // the "open" snapshot has read the draft state …
		const paid = await sync(loadWorker(), lexofficeInvoice(id, 'paid', '2026-12-01T12:00:00.000+01:00'));
		stale.release(); // … and goes on after "paid" was synced
		const staleOutcome = await staleRun;

		expect(paid).toMatchObject({ status: 'paid', triggerCode: 'lexoffice_invoice_paid' });
		expect(stageCode(id)).toBe('P');
		expect(staleOutcome).toMatchObject({ action: 'unchanged', triggerCode: null, attachPdf: false });
		expect(smartInvoices(id)).toHaveLength(1);
	});

	it('reports a status change once when two deliveries of it run on two workers', async () => {
		const id = randomUUID();
		await sync(loadWorker(), lexofficeInvoice(id, 'open', '2026-12-01T10:00:00.000+01:00'));
		const paidState = lexofficeInvoice(id, 'paid', '2026-12-01T12:00:00.000+01:00');
		const held = afterLookup();
		const heldRun = sync(loadWorker(), paidState, [held]);
		await held.reached;
		const other = await sync(loadWorker(), paidState);
		held.release();
		const outcomes = [await heldRun, other];

		expect(reported(outcomes)).toEqual({ links: 0, pdfs: 0, triggers: ['lexoffice_invoice_paid'] });
		expect(stageCode(id)).toBe('P');
	});

	it('reports a status change once even when both executions have checked the state and are about to write it', async () => {
		const id = randomUUID();
		await sync(loadWorker(), lexofficeInvoice(id, 'open', '2026-12-01T10:00:00.000+01:00'));
		const paidState = lexofficeInvoice(id, 'paid', '2026-12-01T12:00:00.000+01:00');
		// Held at the request that writes the stage: everything it read before is stale by the time it goes on.
		const beforeWrite = new Gate((request) => request.includes('crm.item.update'));
		const heldRun = sync(loadWorker(), paidState, [beforeWrite]);
		await beforeWrite.reached;
		const other = await sync(loadWorker(), paidState);
		beforeWrite.release();
		const outcomes = [await heldRun, other];

		expect(reported(outcomes)).toEqual({ links: 0, pdfs: 0, triggers: ['lexoffice_invoice_paid'] });
		expect(outcomes.map((outcome) => outcome.action)).toEqual(['unchanged', 'updated']);
	});
});
