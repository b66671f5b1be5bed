/**
 * The LexOffice invoice an item carries, in either shape the LexOffice nodes put out: the full
 * invoice (Invoice → Get, the LexOffice Trigger's `resource`; lexoffice-api.md §4.2) or a
 * voucherlist row (Voucher List → Get Many; §5), which has the same facts under other names.
 */
import { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

import { DEFAULT_APP_URL, permalinksFor } from '../../../shared/contract/permalinks';
import { invoiceStatusOf, type SyncedStatus } from '../../../shared/contract/invoiceStatus';

export interface LexofficeInvoice {
	id: string;
	voucherNumber: string;
	/** `deleted`: a draft deleted in LexOffice (deletedInvoice below), nothing else is known of it. */
	status: SyncedStatus;
	/** LexOffice contact id; absent for one-time addresses and the collective contact. */
	contactId?: string;
	contactName?: string;
	amount?: number;
	currency?: string;
	/** Calendar days as written in LexOffice (`yyyy-MM-dd`). */
	invoiceDay?: string;
	dueDay?: string;
	/** Where the invoice opens in the LexOffice web app (§4.4). */
	url: string;
	/** LexOffice's updatedDate (full invoice and voucherlist row alike): which of two states is newer. */
	updatedDate?: string;
}

export class InvalidInvoice extends Error {
	constructor(
		message: string,
		readonly hint: string,
	) {
		super(message);
	}
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const text = (value: unknown): string | undefined =>
	typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
const record = (value: unknown): IDataObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as IDataObject) : {};

/** The calendar day of a LexOffice timestamp as written: `2024-05-01T00:00:00.000+02:00` is the 1st. */
function calendarDay(value: unknown): string | undefined {
	const raw = text(value);
	if (!raw) return undefined;
	const parsed = DateTime.fromISO(raw, { setZone: true });
	return parsed.isValid ? (parsed.toISODate() ?? undefined) : undefined;
}

function amountOf(value: unknown): number | undefined {
	const amount = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.replace(',', '.')) : NaN;
	return Number.isFinite(amount) ? amount : undefined;
}

/**
 * A deleted draft, in the shapes that announce one: the LexOffice event item (`invoice.deleted`,
 * or any invoice event whose resource LexOffice answered 404 for: `resource.deleted`, as Event →
 * Get Resource puts it out) or `{ id, deleted: true }`. Only drafts can be deleted (§6.2, §4.1).
 */
function deletedInvoice(input: IDataObject, appUrl: string): LexofficeInvoice | undefined {
	const eventType = text(input.eventType);
	const gone =
		input.deleted === true ||
		eventType === 'invoice.deleted' ||
		(eventType?.startsWith('invoice.') === true && record(input.resource).deleted === true);
	if (!gone) return undefined;
	const id = text(input.resourceId) ?? text(input.id);
	if (!id || !UUID.test(id)) {
		throw new InvalidInvoice(
			`The deletion of an invoice names no LexOffice id: "${id ?? ''}"`,
			"Map the LexOffice Trigger's item (resourceId) or { id, deleted: true }.",
		);
	}
	return {
		id,
		voucherNumber: '',
		status: 'deleted',
		url: permalinksFor('invoice', id, appUrl || DEFAULT_APP_URL).view as string,
	};
}

/** Today in Berlin, the day LexOffice measures "overdue" in (§5). */
export const berlinToday = (): string => DateTime.now().setZone('Europe/Berlin').toISODate() as string;

/**
 * Reads the invoice; throws InvalidInvoice (message + hint) for anything that is not one.
 * A link the item already has (`permalinks.view`, `viewUrl`) wins over one built from `appUrl`.
 */
export function readLexofficeInvoice(raw: unknown, appUrl: string, today: string): LexofficeInvoice {
	const input = record(typeof raw === 'string' && raw.trim().startsWith('{') ? (JSON.parse(raw) as unknown) : raw);
	const deleted = deletedInvoice(input, appUrl);
	if (deleted) return deleted;
	const id = text(input.id);
	if (!id || !UUID.test(id)) {
		throw new InvalidInvoice(
			id ? `"LexOffice Invoice" has an id that is not a LexOffice id: "${id}"` : '"LexOffice Invoice" has no id',
			"Map the invoice as LexOffice's Invoice → Get or Voucher List → Get Many puts it out, e.g. {{ $json }}.",
		);
	}
	const voucherType = text(input.voucherType);
	if (voucherType && voucherType !== 'invoice') {
		throw new InvalidInvoice(
			`Voucher ${id} is a "${voucherType}", not an invoice`,
			'List only the voucher type "Invoice" before this node.',
		);
	}
	const voucherStatus = text(input.voucherStatus) ?? '';
	const dueDay = calendarDay(input.dueDate);
	const status = invoiceStatusOf(voucherStatus, dueDay, today);
	if (!status) {
		throw new InvalidInvoice(
			`Invoice ${id} has the status "${voucherStatus}", which is not an invoice status`,
			'Expected draft, open, overdue, paid or voided (the voucherStatus LexOffice reports).',
		);
	}
	const address = record(input.address);
	const totalPrice = record(input.totalPrice);
	const links = record(input.permalinks);
	return {
		id,
		voucherNumber: text(input.voucherNumber) ?? '',
		status,
		contactId: text(address.contactId) ?? text(input.contactId),
		contactName: text(address.name) ?? text(input.contactName),
		amount: amountOf(totalPrice.totalGrossAmount ?? input.totalAmount),
		currency: text(totalPrice.currency) ?? text(input.currency),
		invoiceDay: calendarDay(input.voucherDate),
		dueDay,
		url:
			text(links.view) ??
			text(input.viewUrl) ??
			(permalinksFor('invoice', id, appUrl || DEFAULT_APP_URL).view as string),
		...(text(input.updatedDate) ? { updatedDate: text(input.updatedDate) } : {}),
	};
}
