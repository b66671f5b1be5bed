/**
 * The pure invoice-status rules: status derivation, stage meaning, trigger, the memory line, and
 * the claims that make each effect happen once and be recorded after it happened (issue #12).
 */
import { DateTime } from 'luxon';

import {
	CLAIM_LEASE_MINUTES,
	formatMemory,
	INVOICE_TRIGGERS,
	invoiceStatusOf,
	isOlderState,
	parseMemory,
	planInvoiceSync,
	recordEffect,
	STAGE_OF_STATUS,
	type EffectState,
	type SyncedStatus,
	type SyncMemory,
} from '../../../../nodes/shared/contract/invoiceStatus';

const TODAY = '2025-03-10';

describe('invoiceStatusOf', () => {
	it.each([
		['draft', undefined, 'draft'],
		['open', '2025-03-10', 'open'], // due today is not overdue yet
		['open', '2025-03-11', 'open'],
		['open', '2025-03-09', 'overdue'],
		['open', undefined, 'open'],
		['OPEN ', '2025-03-09', 'overdue'],
		['sepadebit', '2025-03-01', 'overdue'],
		['transferred', '2025-03-20', 'open'],
		['overdue', '2025-03-01', 'overdue'],
		['paid', '2025-03-01', 'paid'], // paid late is paid
		['paidoff', undefined, 'paid'],
		['voided', '2025-03-01', 'voided'],
		['accepted', undefined, undefined],
		['', undefined, undefined],
	])('%s due %s → %s', (voucherStatus, dueDay, expected) => {
		expect(invoiceStatusOf(voucherStatus, dueDay, TODAY)).toBe(expected);
	});
});

const NOW = DateTime.fromISO('2026-12-05T22:00:00.000Z');
const EARLIER = (minutes: number) => NOW.minus({ minutes }).toUTC().toISO() as string;
const STAMP = NOW.toUTC().toISO() as string;

/** A memory with everything done unless said otherwise. */
function memory(status: SyncedStatus, changes: Partial<SyncMemory> = {}): SyncMemory {
	return { status, link: 'done', pdf: 'done', overdue: false, note: 'done', ...changes };
}

describe('stage and trigger of each status', () => {
	it.each([
		['draft', 'new', undefined],
		['open', 'sent', ['lexoffice_invoice_open', 'LexOffice: Rechnung offen']],
		['overdue', 'sent', ['lexoffice_invoice_overdue', 'LexOffice: Rechnung überfällig']],
		['paid', 'paid', ['lexoffice_invoice_paid', 'LexOffice: Rechnung bezahlt']],
		['voided', 'failed', ['lexoffice_invoice_voided', 'LexOffice: Rechnung storniert']],
		['deleted', 'failed', undefined],
	] as Array<[SyncedStatus, string, [string, string] | undefined]>)(
		'%s → stage %s, trigger %j',
		(status, meaning, trigger) => {
			expect(STAGE_OF_STATUS[status]).toBe(meaning);
			const plan = planInvoiceSync(undefined, status, NOW);
			expect(plan.trigger ? [plan.trigger.code, plan.trigger.name] : undefined).toEqual(trigger);
		},
	);

	it('uses codes Bitrix24 accepts for app triggers ([a-z0-9.-_])', () => {
		for (const { code } of Object.values(INVOICE_TRIGGERS)) expect(code).toMatch(/^[a-z0-9._-]+$/);
	});
});

describe('planInvoiceSync: what is due, and claimed by this execution', () => {
	const claimed: EffectState = { claimedAt: STAMP };
	it.each([
		// previous, now → link, pdf, trigger, note
		[undefined, 'draft', true, false, null, false],
		[undefined, 'open', true, true, 'lexoffice_invoice_open', false],
		[undefined, 'paid', true, true, 'lexoffice_invoice_paid', false],
		[memory('draft', { pdf: 'todo' }), 'draft', false, false, null, false],
		[memory('draft', { pdf: 'todo' }), 'open', false, true, 'lexoffice_invoice_open', false],
		[memory('open'), 'open', false, false, null, false],
		[memory('open'), 'paid', false, false, 'lexoffice_invoice_paid', false],
		[memory('open'), 'overdue', false, false, 'lexoffice_invoice_overdue', false],
		[memory('overdue', { overdue: true }), 'overdue', false, false, null, false],
		[memory('overdue', { overdue: true }), 'paid', false, false, 'lexoffice_invoice_paid', false],
		// Back to draft and finalized again: "offen" again, but no second PDF, and overdue only once.
		[memory('overdue', { overdue: true }), 'draft', false, false, null, false],
		[memory('draft', { overdue: true }), 'open', false, false, 'lexoffice_invoice_open', false],
		[memory('open', { overdue: true }), 'overdue', false, false, null, false],
		[memory('open'), 'voided', false, false, 'lexoffice_invoice_voided', true],
		[memory('draft', { pdf: 'todo' }), 'deleted', false, false, null, true],
		[memory('paid'), 'paid', false, false, null, false],
	] as Array<[SyncMemory | undefined, SyncedStatus, boolean, boolean, string | null, boolean]>)(
		'%j then %s → link %s, pdf %s, trigger %s, note %s',
		(previous, status, link, pdf, trigger, note) => {
			const plan = planInvoiceSync(previous, status, NOW);
			expect([plan.postLink, plan.attachPdf, plan.trigger?.code ?? null, plan.closingNote]).toEqual([
				link,
				pdf,
				trigger,
				note,
			]);
			expect(plan.claim).toBe(link || pdf || trigger !== null || note ? STAMP : null);
			if (link) expect(plan.memory.link).toEqual(claimed);
			if (pdf) expect(plan.memory.pdf).toEqual(claimed);
			if (trigger) expect(plan.memory.trigger).toEqual({ code: trigger, claimedAt: STAMP });
			expect(plan.previousStatus).toBe(previous?.status ?? null);
			expect(plan.statusChanged).toBe(previous?.status !== status);
		},
	);

	it('leaves an effect a running execution claimed to it, and takes on one whose claim ran out', () => {
		const fresh = memory('open', {
			pdf: { claimedAt: EARLIER(1) },
			trigger: { code: 'lexoffice_invoice_open', claimedAt: EARLIER(1) },
		});
		const waiting = planInvoiceSync(fresh, 'open', NOW);
		expect([waiting.attachPdf, waiting.trigger, waiting.claim]).toEqual([false, null, null]);
		expect(waiting.claimedElsewhere).toEqual(['pdf', 'trigger']);
		expect(formatMemory(waiting.memory)).toBe(formatMemory(fresh));

		const stale = memory('open', { pdf: { claimedAt: EARLIER(CLAIM_LEASE_MINUTES + 1) } });
		const again = planInvoiceSync(stale, 'open', NOW);
		expect([again.attachPdf, again.memory.pdf]).toEqual([true, { claimedAt: STAMP }]);
	});

	it('takes on a released effect at once: the trigger whose firing failed fires at the next event', () => {
		const released = memory('paid', { trigger: { code: 'lexoffice_invoice_paid' } });
		const plan = planInvoiceSync(released, 'paid', NOW);
		expect(plan.trigger?.code).toBe('lexoffice_invoice_paid');
		expect(plan.statusChanged).toBe(false);
	});

	it('replaces a trigger not fired yet when the status changes: "offen" never fires after "bezahlt"', () => {
		const pending = memory('open', { trigger: { code: 'lexoffice_invoice_open' } });
		expect(planInvoiceSync(pending, 'paid', NOW).memory.trigger).toEqual({
			code: 'lexoffice_invoice_paid',
			claimedAt: STAMP,
		});
		expect(planInvoiceSync(pending, 'draft', NOW).memory.trigger).toBeUndefined();
	});

	it('takes every state as older than a deletion', () => {
		expect(isOlderState(memory('deleted'), '2030-01-01T00:00:00.000+01:00')).toBe(true);
		expect(isOlderState(memory('deleted'), undefined)).toBe(true);
	});
});

describe('recordEffect: after the effect, by the execution that claimed it', () => {
	const claimedNow = memory('open', {
		pdf: { claimedAt: STAMP },
		link: { claimedAt: STAMP },
		trigger: { code: 'lexoffice_invoice_open', claimedAt: STAMP },
	});

	it('marks what happened done', () => {
		expect(recordEffect(claimedNow, 'pdf', STAMP, true)?.pdf).toBe('done');
		expect(recordEffect(claimedNow, 'link', STAMP, true)?.link).toBe('done');
		expect(recordEffect(claimedNow, 'trigger', STAMP, true, 'lexoffice_invoice_open')?.trigger).toBeUndefined();
		expect(recordEffect(memory('open'), 'pdf', STAMP, true)).toBeUndefined();
	});

	it('releases what failed, only while the claim is its own', () => {
		expect(recordEffect(claimedNow, 'pdf', STAMP, false)?.pdf).toBe('todo');
		expect(recordEffect(claimedNow, 'trigger', STAMP, false, 'lexoffice_invoice_open')?.trigger).toEqual({
			code: 'lexoffice_invoice_open',
		});
		expect(recordEffect(claimedNow, 'pdf', EARLIER(20), false)).toBeUndefined();
	});

	it('remembers "überfällig" fired, and a fired trigger replaced meanwhile leaves the newer one pending', () => {
		const overdue = memory('overdue', { trigger: { code: 'lexoffice_invoice_overdue', claimedAt: STAMP } });
		expect(recordEffect(overdue, 'trigger', STAMP, true, 'lexoffice_invoice_overdue')).toEqual(
			memory('overdue', { overdue: true }),
		);
		const newer = memory('paid', { trigger: { code: 'lexoffice_invoice_paid', claimedAt: STAMP } });
		expect(recordEffect(newer, 'trigger', EARLIER(1), true, 'lexoffice_invoice_open')).toBeUndefined();
	});
});

describe('the memory line', () => {
	it.each([
		memory('draft', { pdf: 'todo', link: 'todo' }),
		memory('overdue', { overdue: true }),
		memory('paid', { pdf: { claimedAt: STAMP }, trigger: { code: 'lexoffice_invoice_paid', claimedAt: STAMP } }),
		memory('voided', {
			trigger: { code: 'lexoffice_invoice_voided' },
			note: 'todo',
			updatedDate: '2026-12-05T10:00:00.000+01:00',
		}),
		memory('deleted', { note: { claimedAt: STAMP } }),
	])('round-trips %j', (value) => {
		expect(parseMemory(formatMemory(value))).toEqual(value);
	});

	it('is readable German in the card', () => {
		expect(formatMemory(memory('paid'))).toBe('LexOffice-Abgleich: status=paid; pdf=ja; überfällig=nein');
		expect(
			formatMemory(memory('paid', { pdf: { claimedAt: STAMP }, trigger: { code: 'lexoffice_invoice_paid' } })),
		).toBe(`LexOffice-Abgleich: status=paid; pdf=läuft@${STAMP}; überfällig=nein; auslöser=lexoffice_invoice_paid`);
	});

	it('reads lines of earlier versions: their link was posted and their PDF reported', () => {
		expect(
			parseMemory('LexOffice-Abgleich: status=open; pdf=ja; überfällig=nein; stand=2026-12-01T10:00:00.000+01:00'),
		).toEqual(memory('open', { updatedDate: '2026-12-01T10:00:00.000+01:00' }));
	});

	it.each([undefined, null, '', 'Empfehlung von Herrn Maier', 'LexOffice-Abgleich: status=bogus; pdf=ja', 42])(
		'reads nothing from %j',
		(text) => {
			expect(parseMemory(text)).toBeUndefined();
		},
	);

	it('survives text around it', () => {
		expect(parseMemory(`Notiz\n${formatMemory(memory('open'))}`)).toEqual(memory('open'));
	});
});
