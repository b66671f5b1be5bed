import type { IDataObject } from 'n8n-workflow';

import {
	addDays,
	berlinToday,
	lexofficeRequest,
	lexofficeSearchAll,
	lexofficePages,
	type LexofficeContext,
} from '../../Lexoffice/transport';
import { permalinksFor, resourcePath } from '../../Lexoffice/helpers/eventResources';

/** What the invoice poll remembers between runs (node static data). */
export interface InvoicePollState extends IDataObject {
	/** Berlin day (`yyyy-MM-dd`) of the previous run. */
	cursorDay: string;
	/** `updatedDate` by invoice id, for everything the previous run's window returned. */
	seen: Record<string, string>;
}

const VOUCHERLIST = '/v1/voucherlist';
const INVOICES = { voucherType: 'invoice', voucherStatus: 'any' };

export interface InvoicePollOptions {
	now: number;
	appUrl: string;
	fetchFullInvoice: boolean;
}

/**
 * Invoices changed since the previous run, from the voucherlist (lexoffice-api.md §5).
 * `updatedDateFrom` is a whole Berlin day, so each run asks from the day before the previous run
 * (the overlap covers clocks and late writes) and drops what it already emitted by
 * (id, updatedDate). The first run only records what exists and emits nothing.
 */
export async function pollInvoices(
	this: LexofficeContext,
	state: InvoicePollState | undefined,
	options: InvoicePollOptions,
): Promise<{ items: IDataObject[]; state: InvoicePollState }> {
	const today = berlinToday(options.now);
	const from = addDays(state?.cursorDay ?? today, -1);
	const entries = await lexofficeSearchAll.call(this, {
		path: VOUCHERLIST,
		qs: { ...INVOICES, sort: 'updatedDate,ASC' },
		dateField: 'updatedDate',
		from,
	});
	const seen: Record<string, string> = {};
	const changed: IDataObject[] = [];
	for (const entry of entries) {
		const id = String(entry.id);
		const updatedDate = String(entry.updatedDate);
		seen[id] = updatedDate;
		if (state && state.seen[id] !== updatedDate) changed.push(entry);
	}
	const items: IDataObject[] = [];
	for (const entry of changed) items.push(await invoiceItem.call(this, entry, options));
	return { items, state: { cursorDay: today, seen } };
}

/** The most recently changed invoice, as a sample for the editor's "Fetch Test Event". */
export async function sampleInvoice(this: LexofficeContext, options: InvoicePollOptions): Promise<IDataObject[]> {
	for await (const page of lexofficePages.call(
		this,
		VOUCHERLIST,
		{ ...INVOICES, sort: 'updatedDate,DESC' },
		{ limit: 1 },
	)) {
		return await Promise.all(page.content.map(async (entry) => await invoiceItem.call(this, entry, options)));
	}
	return [];
}

/** Same shape as the webhook trigger's items, so either trigger can feed the same workflow. */
async function invoiceItem(
	this: LexofficeContext,
	entry: IDataObject,
	options: InvoicePollOptions,
): Promise<IDataObject> {
	const id = String(entry.id);
	const isNew = entry.createdDate !== undefined && entry.createdDate === entry.updatedDate;
	const path = resourcePath('invoice.changed', id) as string;
	const resource = options.fetchFullInvoice ? ((await lexofficeRequest.call(this, { path })) as IDataObject) : entry;
	return {
		eventType: isNew ? 'invoice.created' : 'invoice.changed',
		resourceId: id,
		eventDate: entry.updatedDate,
		resource,
		permalinks: { ...permalinksFor('invoice', id, options.appUrl) },
		source: 'poll',
	};
}
