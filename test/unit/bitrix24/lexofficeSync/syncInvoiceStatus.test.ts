/** The pure invoice-status rules: status derivation, stage meaning, trigger, and the memory line. */
import {
	decideStatusChange,
	formatMemory,
	INVOICE_TRIGGERS,
	invoiceStatusOf,
	parseMemory,
	STAGE_OF_STATUS,
	type InvoiceStatus,
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

describe('stage and trigger of each status', () => {
	it.each([
		['draft', 'new', undefined],
		['open', 'sent', ['lexoffice_invoice_open', 'LexOffice: Rechnung offen']],
		['overdue', 'sent', ['lexoffice_invoice_overdue', 'LexOffice: Rechnung überfällig']],
		['paid', 'paid', ['lexoffice_invoice_paid', 'LexOffice: Rechnung bezahlt']],
		['voided', 'failed', ['lexoffice_invoice_voided', 'LexOffice: Rechnung storniert']],
	] as Array<[InvoiceStatus, string, [string, string] | undefined]>)(
		'%s → stage %s, trigger %j',
		(status, meaning, trigger) => {
			expect(STAGE_OF_STATUS[status]).toBe(meaning);
			const decision = decideStatusChange(undefined, status);
			expect(decision.trigger ? [decision.trigger.code, decision.trigger.name] : undefined).toEqual(trigger);
		},
	);

	it('uses codes Bitrix24 accepts for app triggers ([a-z0-9.-_])', () => {
		for (const { code } of Object.values(INVOICE_TRIGGERS)) expect(code).toMatch(/^[a-z0-9._-]+$/);
	});
});

describe('decideStatusChange', () => {
	const memory = (status: InvoiceStatus, pdf = false, overdue = false): SyncMemory => ({ status, pdf, overdue });
	it.each([
		// previous, now → trigger, attachPdf, remembered
		[undefined, 'draft', null, false, memory('draft')],
		[undefined, 'open', 'lexoffice_invoice_open', true, memory('open', true)],
		[undefined, 'paid', 'lexoffice_invoice_paid', true, memory('paid', true)],
		[memory('draft'), 'draft', null, false, memory('draft')],
		[memory('draft'), 'open', 'lexoffice_invoice_open', true, memory('open', true)],
		[memory('open', true), 'open', null, false, memory('open', true)],
		[memory('open', true), 'paid', 'lexoffice_invoice_paid', false, memory('paid', true)],
		[memory('open', true), 'overdue', 'lexoffice_invoice_overdue', false, memory('overdue', true, true)],
		[memory('overdue', true, true), 'overdue', null, false, memory('overdue', true, true)],
		[memory('overdue', true, true), 'paid', 'lexoffice_invoice_paid', false, memory('paid', true, true)],
		// Back to draft and finalized again: "offen" again, but no second PDF, and overdue only once.
		[memory('overdue', true, true), 'draft', null, false, memory('draft', true, true)],
		[memory('draft', true, true), 'open', 'lexoffice_invoice_open', false, memory('open', true, true)],
		[memory('open', true, true), 'overdue', null, false, memory('overdue', true, true)],
		[memory('open', true), 'voided', 'lexoffice_invoice_voided', false, memory('voided', true)],
		[memory('paid', true), 'paid', null, false, memory('paid', true)],
	] as Array<[SyncMemory | undefined, InvoiceStatus, string | null, boolean, SyncMemory]>)(
		'%j then %s → %s, pdf %s',
		(previous, status, trigger, attachPdf, remembered) => {
			const decision = decideStatusChange(previous, status);
			expect(decision.trigger?.code ?? null).toBe(trigger);
			expect(decision.attachPdf).toBe(attachPdf);
			expect(decision.memory).toEqual(remembered);
			expect(decision.previousStatus).toBe(previous?.status ?? null);
			expect(decision.statusChanged).toBe(previous?.status !== status);
		},
	);
});

describe('the memory line', () => {
	it.each([memory('draft'), memory('overdue', true, true), memory('paid', true, false), memory('voided', false, true)])(
		'round-trips %j',
		(value) => {
			expect(parseMemory(formatMemory(value))).toEqual(value);
		},
	);

	it('is readable German in the card', () => {
		expect(formatMemory({ status: 'paid', pdf: true, overdue: false })).toBe(
			'LexOffice-Abgleich: status=paid; pdf=ja; überfällig=nein',
		);
	});

	it.each([undefined, null, '', 'Empfehlung von Herrn Maier', 'LexOffice-Abgleich: status=bogus; pdf=ja', 42])(
		'reads nothing from %j',
		(text) => {
			expect(parseMemory(text)).toBeUndefined();
		},
	);

	it('survives text around it', () => {
		expect(parseMemory(`Notiz\n${formatMemory({ status: 'open', pdf: true, overdue: false })}`)).toEqual({
			status: 'open',
			pdf: true,
			overdue: false,
		});
	});

	function memory(status: InvoiceStatus, pdf = false, overdue = false): SyncMemory {
		return { status, pdf, overdue };
	}
});
