/**
 * LexOffice invoice status → smart-invoice stage meaning → app automation trigger, and what the
 * sync remembers on the smart invoice so that a replayed event or a daily re-check fires nothing
 * twice. Pure; table-tested.
 *
 * LexOffice statuses (lexoffice-api.md §4.2, §5, §8.1): an invoice is `draft`, `open`, `paid` or
 * `voided`. `overdue` is not a stored status and no event announces it: the voucherlist reports it
 * for an open invoice whose due day has passed, so the sync derives it the same way from `dueDate`
 * (and takes the voucherlist's word for it). `paidoff` (credit notes), `transferred` and
 * `sepadebit` come from the voucherlist and payments endpoints and are folded into the four.
 */
import { DateTime } from 'luxon';

import { USER_TEXTS, type Language, type TriggeredStatus } from './userTexts';

/** What a smart-invoice stage means, whatever the portal named its stages (invoiceStages.ts finds them). */
export type StageMeaning = 'new' | 'sent' | 'paid' | 'failed';

export type InvoiceStatus = 'draft' | 'open' | 'overdue' | 'paid' | 'voided';

export const INVOICE_STATUSES: InvoiceStatus[] = ['draft', 'open', 'overdue', 'paid', 'voided'];

/** What each LexOffice voucherStatus means for an invoice; anything else is not an invoice status. */
const STATUS_OF_VOUCHER_STATUS: Record<string, InvoiceStatus> = {
	draft: 'draft',
	open: 'open',
	overdue: 'overdue',
	paid: 'paid',
	paidoff: 'paid',
	voided: 'voided',
	// Payment by SEPA debit or transfer is under way: still unpaid, and can become overdue (§5).
	sepadebit: 'open',
	transferred: 'open',
};

export interface InvoiceTrigger {
	code: string;
	name: string;
}

/** The app triggers the setup branch registers (crm.automation.trigger.add, bitrix24-api.md §8); names in German, userTexts.ts has them in each language. */
export const INVOICE_TRIGGERS: Record<Exclude<InvoiceStatus, 'draft'>, InvoiceTrigger> = {
	open: { code: 'lexoffice_invoice_open', name: USER_TEXTS.de.invoiceTriggers.open },
	paid: { code: 'lexoffice_invoice_paid', name: USER_TEXTS.de.invoiceTriggers.paid },
	voided: { code: 'lexoffice_invoice_voided', name: USER_TEXTS.de.invoiceTriggers.voided },
	overdue: { code: 'lexoffice_invoice_overdue', name: USER_TEXTS.de.invoiceTriggers.overdue },
};

/** The name of one of these triggers in `language`; undefined for a code that is not one of them. */
export function invoiceTriggerName(code: unknown, language: Language): string | undefined {
	const status = Object.entries(INVOICE_TRIGGERS).find(([, trigger]) => trigger.code === code)?.[0];
	return status ? USER_TEXTS[language].invoiceTriggers[status as TriggeredStatus] : undefined;
}

/** Stage meanings (stages.ts resolves them to the portal's N/S/P/D stages of the category). */
export const STAGE_OF_STATUS: Record<InvoiceStatus, StageMeaning> = {
	draft: 'new',
	open: 'sent',
	overdue: 'sent',
	paid: 'paid',
	voided: 'failed',
};

/**
 * The status the sync works with. `today` is the calendar day in Berlin (`yyyy-MM-dd`), the day
 * LexOffice's "overdue" is measured in (§5); `dueDate` keeps its own calendar day as written.
 */
export function invoiceStatusOf(
	voucherStatus: string,
	dueDay: string | undefined,
	today: string,
): InvoiceStatus | undefined {
	const status = STATUS_OF_VOUCHER_STATUS[voucherStatus.trim().toLowerCase()];
	if (status === 'open' && dueDay !== undefined && dueDay < today) return 'overdue';
	return status;
}

/** What the sync has already acted on for one invoice; kept on the smart invoice itself. */
export interface SyncMemory {
	status: InvoiceStatus;
	/** The PDF was handed to the workflow for attaching (once, the first time seen finalized). */
	pdf: boolean;
	/** "überfällig" was fired (once per invoice, however often it is seen overdue again). */
	overdue: boolean;
	/** LexOffice's updatedDate of the newest invoice state synced; an older snapshot is not synced over it. */
	updatedDate?: string;
}

const MEMORY_PREFIX = 'LexOffice-Abgleich:';

/** A line a person can read in the card and the sync can read back, e.g. `LexOffice-Abgleich: status=paid; pdf=ja; überfällig=nein`. */
export function formatMemory(memory: SyncMemory): string {
	const yesNo = (value: boolean) => (value ? 'ja' : 'nein');
	const stand = memory.updatedDate ? `; stand=${memory.updatedDate}` : '';
	return `${MEMORY_PREFIX} status=${memory.status}; pdf=${yesNo(memory.pdf)}; überfällig=${yesNo(memory.overdue)}${stand}`;
}

/** The memory in a field's value, or undefined when the field holds none (empty, or edited away). */
export function parseMemory(text: unknown): SyncMemory | undefined {
	if (typeof text !== 'string' || !text.includes(MEMORY_PREFIX)) return undefined;
	const value = (key: string) => new RegExp(`${key}=([a-zäöü]+)`).exec(text)?.[1];
	const status = value('status') as InvoiceStatus | undefined;
	if (!status || !INVOICE_STATUSES.includes(status)) return undefined;
	const updatedDate = /stand=([^\s;]+)/.exec(text)?.[1];
	return {
		status,
		pdf: value('pdf') === 'ja',
		overdue: value('überfällig') === 'ja',
		...(updatedDate ? { updatedDate } : {}),
	};
}

export interface StatusDecision {
	previousStatus: InvoiceStatus | null;
	status: InvoiceStatus;
	statusChanged: boolean;
	/** The trigger to fire, or null: unchanged status, a draft, or overdue fired before. */
	trigger: InvoiceTrigger | null;
	/** True exactly once per invoice: the first time it is seen finalized. */
	attachPdf: boolean;
	memory: SyncMemory;
}

/**
 * What a sync of an invoice now in `status` does, given what was acted on before (`previous`,
 * undefined on first sight). Replaying the same state changes nothing and fires nothing.
 */
/**
 * Whether the input is an older state of the invoice than the one already synced (events of one
 * change run in parallel, and each carries the invoice as fetched at its own moment).
 */
export function isOlderState(previous: SyncMemory | undefined, updatedDate: string | undefined): boolean {
	if (!previous?.updatedDate || !updatedDate) return false;
	const before = DateTime.fromISO(previous.updatedDate, { setZone: true });
	const now = DateTime.fromISO(updatedDate, { setZone: true });
	return before.isValid && now.isValid && now < before;
}

export function decideStatusChange(
	previous: SyncMemory | undefined,
	status: InvoiceStatus,
	updatedDate?: string,
): StatusDecision {
	const statusChanged = previous?.status !== status;
	const overdueAgain = status === 'overdue' && previous?.overdue === true;
	const trigger = statusChanged && status !== 'draft' && !overdueAgain ? INVOICE_TRIGGERS[status] : null;
	const attachPdf = status !== 'draft' && previous?.pdf !== true;
	return {
		previousStatus: previous?.status ?? null,
		status,
		statusChanged,
		trigger,
		attachPdf,
		memory: {
			status,
			pdf: previous?.pdf === true || attachPdf,
			overdue: previous?.overdue === true || trigger?.code === INVOICE_TRIGGERS.overdue.code,
			...((updatedDate ?? previous?.updatedDate) ? { updatedDate: updatedDate ?? previous?.updatedDate } : {}),
		},
	};
}
