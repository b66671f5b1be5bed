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
export const STAGE_OF_STATUS: Record<SyncedStatus, StageMeaning> = {
	draft: 'new',
	open: 'sent',
	overdue: 'sent',
	paid: 'paid',
	voided: 'failed',
	deleted: 'failed',
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

/**
 * What the sync knows of an invoice: `deleted` is not a LexOffice status but the end of a draft
 * deleted in LexOffice (`invoice.deleted`, §6.2); LexOffice never brings it back.
 */
export type SyncedStatus = InvoiceStatus | 'deleted';

export const SYNCED_STATUSES: SyncedStatus[] = [...INVOICE_STATUSES, 'deleted'];

/** Statuses that close the smart invoice: it gets the closing note (invoiceNotes.ts). */
export const CLOSING_STATUSES: SyncedStatus[] = ['voided', 'deleted'];

const FINALIZED: SyncedStatus[] = ['open', 'overdue', 'paid', 'voided'];

/**
 * A side effect as the memory knows it: done, to do, or taken on by one execution at a moment
 * (`claimedAt`, ISO). A claim stops other executions (other workers) from doing it at the same
 * time; the execution records it done after it happened, or releases it when it failed.
 */
export type EffectState = 'done' | 'todo' | { claimedAt: string };

/**
 * A claim older than this is taken as abandoned (its execution died between doing and recording):
 * the next sync takes the effect on again, after reading back what Bitrix24 can show.
 */
export const CLAIM_LEASE_MINUTES = 15;

/** What the sync has acted on for one invoice; kept on the smart invoice itself. */
export interface SyncMemory {
	status: SyncedStatus;
	/** The timeline link (smart invoice and client). */
	link: EffectState;
	/** The PDF as a CRM document (once, the first time seen finalized). */
	pdf: EffectState;
	/** "überfällig" was fired (once per invoice, however often it is seen overdue again). */
	overdue: boolean;
	/** The automation trigger still to fire for the current status, if any. */
	trigger?: { code: string; claimedAt?: string };
	/** The closing note of a voided or deleted invoice. */
	note: EffectState;
	/** LexOffice's updatedDate of the newest invoice state synced; an older snapshot is not synced over it. */
	updatedDate?: string;
}

export type Effect = 'link' | 'pdf' | 'note' | 'trigger';

const MEMORY_PREFIX = 'LexOffice-Abgleich:';
const CLAIMED = 'läuft@';

function stateText(state: EffectState): string {
	if (state === 'done') return 'ja';
	if (state === 'todo') return 'nein';
	return `${CLAIMED}${state.claimedAt}`;
}

function stateOf(text: string | undefined, absent: EffectState): EffectState {
	if (text === undefined) return absent;
	if (text === 'ja') return 'done';
	if (text.startsWith(CLAIMED)) return { claimedAt: text.slice(CLAIMED.length) };
	return 'todo';
}

/**
 * A line a person can read in the card and the sync can read back, e.g.
 * `LexOffice-Abgleich: status=paid; pdf=ja; überfällig=nein`. Link and note are written only
 * while not done (lines of earlier versions have neither, and their link was posted).
 */
export function formatMemory(memory: SyncMemory): string {
	const yesNo = (value: boolean) => (value ? 'ja' : 'nein');
	const parts = [`status=${memory.status}`, `pdf=${stateText(memory.pdf)}`, `überfällig=${yesNo(memory.overdue)}`];
	if (memory.updatedDate) parts.push(`stand=${memory.updatedDate}`);
	if (memory.link !== 'done') parts.push(`link=${stateText(memory.link)}`);
	if (memory.trigger)
		parts.push(`auslöser=${memory.trigger.code}${memory.trigger.claimedAt ? `@${memory.trigger.claimedAt}` : ''}`);
	if (memory.note !== 'done') parts.push(`notiz=${stateText(memory.note)}`);
	return `${MEMORY_PREFIX} ${parts.join('; ')}`;
}

/** The memory in a field's value, or undefined when the field holds none (empty, or edited away). */
export function parseMemory(text: unknown): SyncMemory | undefined {
	if (typeof text !== 'string' || !text.includes(MEMORY_PREFIX)) return undefined;
	const line = text.slice(text.indexOf(MEMORY_PREFIX));
	const value = (key: string) => new RegExp(`(?:^|[\\s;])${key}=([^;\\s]+)`).exec(line)?.[1];
	const status = value('status') as SyncedStatus | undefined;
	if (!status || !SYNCED_STATUSES.includes(status)) return undefined;
	const updatedDate = value('stand');
	const trigger = value('auslöser');
	const [code, claimedAt] = trigger ? trigger.split('@') : [];
	return {
		status,
		link: stateOf(value('link'), 'done'),
		pdf: stateOf(value('pdf'), 'todo'),
		overdue: value('überfällig') === 'ja',
		...(code ? { trigger: claimedAt ? { code, claimedAt } : { code } } : {}),
		note: stateOf(value('notiz'), 'done'),
		...(updatedDate ? { updatedDate } : {}),
	};
}

/**
 * Whether the input is an older state of the invoice than the one already synced (events of one
 * change run in parallel, and each carries the invoice as fetched at its own moment). A deleted
 * invoice never comes back: every state of it is older than its deletion.
 */
export function isOlderState(previous: SyncMemory | undefined, updatedDate: string | undefined): boolean {
	if (previous?.status === 'deleted') return true;
	if (!previous?.updatedDate || !updatedDate) return false;
	const before = DateTime.fromISO(previous.updatedDate, { setZone: true });
	const now = DateTime.fromISO(updatedDate, { setZone: true });
	return before.isValid && now.isValid && now < before;
}

export interface SyncPlan {
	previousStatus: SyncedStatus | null;
	status: SyncedStatus;
	statusChanged: boolean;
	/** The memory to write: the new status and the effects this execution claims. */
	memory: SyncMemory;
	/** The claim stamp of the effects below (they are this execution's to do and record), if any. */
	claim: string | null;
	postLink: boolean;
	attachPdf: boolean;
	trigger: InvoiceTrigger | null;
	closingNote: boolean;
	/** Effects another execution claimed less than CLAIM_LEASE_MINUTES ago: it does them. */
	claimedElsewhere: Effect[];
}

const isFresh = (state: { claimedAt?: string }, now: DateTime): boolean => {
	if (!state.claimedAt) return false;
	const claimed = DateTime.fromISO(state.claimedAt, { setZone: true });
	return claimed.isValid && now.diff(claimed, 'minutes').minutes < CLAIM_LEASE_MINUTES;
};

const triggerOfCode = (code: string): InvoiceTrigger =>
	Object.values(INVOICE_TRIGGERS).find((trigger) => trigger.code === code) ?? { code, name: code };

/**
 * What a sync of an invoice now in `status` does, given the memory (`previous`, undefined on
 * first sight) and the time: which effects are due and which of them this execution claims.
 * Replaying the same state claims nothing while the effects are done or claimed by a running
 * execution; an effect released after a failure, or whose claim ran out, is claimed again.
 *
 * A status change replaces a trigger not fired yet: firing "offen" after "bezahlt" could move the
 * invoice back. "überfällig" fires once per invoice.
 */
export function planInvoiceSync(
	previous: SyncMemory | undefined,
	status: SyncedStatus,
	now: DateTime,
	updatedDate?: string,
): SyncPlan {
	const statusChanged = previous?.status !== status;
	const memory: SyncMemory = {
		...(previous ?? { link: 'todo', pdf: 'todo', overdue: false, note: 'done' }),
		status,
	};
	if (updatedDate ?? previous?.updatedDate) memory.updatedDate = updatedDate ?? previous?.updatedDate;
	if (statusChanged) {
		delete memory.trigger;
		const overdueAgain = status === 'overdue' && memory.overdue;
		if (status !== 'draft' && status !== 'deleted' && !overdueAgain)
			memory.trigger = { code: INVOICE_TRIGGERS[status].code };
		if (CLOSING_STATUSES.includes(status)) memory.note = 'todo';
	}

	const stamp = now.toUTC().toISO() as string;
	const claimedElsewhere: Effect[] = [];
	let claimed = false;
	/** Claims a due effect unless a running execution has it. */
	const take = (effect: Effect, state: EffectState | { code: string; claimedAt?: string }): boolean => {
		if (state === 'done') return false;
		if (typeof state === 'object' && isFresh(state, now)) {
			claimedElsewhere.push(effect);
			return false;
		}
		claimed = true;
		return true;
	};
	const postLink = status !== 'deleted' && take('link', memory.link);
	if (postLink) memory.link = { claimedAt: stamp };
	const attachPdf = FINALIZED.includes(status) && take('pdf', memory.pdf);
	if (attachPdf) memory.pdf = { claimedAt: stamp };
	const closingNote = CLOSING_STATUSES.includes(status) && take('note', memory.note);
	if (closingNote) memory.note = { claimedAt: stamp };
	const fire = memory.trigger !== undefined && take('trigger', memory.trigger);
	if (fire && memory.trigger) memory.trigger = { code: memory.trigger.code, claimedAt: stamp };
	return {
		previousStatus: previous?.status ?? null,
		status,
		statusChanged,
		memory,
		claim: claimed ? stamp : null,
		postLink,
		attachPdf,
		trigger: fire && memory.trigger ? triggerOfCode(memory.trigger.code) : null,
		closingNote,
		claimedElsewhere,
	};
}

/**
 * The memory after an effect ended: done when it `succeeded`, released (to do again at the next
 * sync) when it failed and the claim is still this execution's. Undefined: nothing to write.
 */
export function recordEffect(
	memory: SyncMemory,
	effect: Effect,
	claim: string,
	succeeded: boolean,
	triggerCode?: string,
): SyncMemory | undefined {
	if (effect === 'trigger') {
		const pending = memory.trigger;
		if (succeeded) {
			const overdue = memory.overdue || triggerCode === INVOICE_TRIGGERS.overdue.code;
			const fired = pending !== undefined && pending.code === triggerCode;
			if (!fired && overdue === memory.overdue) return undefined;
			const next: SyncMemory = { ...memory, overdue };
			if (fired) delete next.trigger;
			return next;
		}
		if (!pending || pending.code !== triggerCode || pending.claimedAt !== claim) return undefined;
		return { ...memory, trigger: { code: pending.code } };
	}
	const state = memory[effect];
	if (succeeded) return state === 'done' ? undefined : { ...memory, [effect]: 'done' };
	if (typeof state !== 'object' || state.claimedAt !== claim) return undefined;
	return { ...memory, [effect]: 'todo' };
}
