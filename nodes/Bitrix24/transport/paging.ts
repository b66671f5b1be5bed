import { NodeOperationError, type IDataObject } from 'n8n-workflow';

import { bitrix24Call, type CallOptions } from './call';
import type { Bitrix24Context } from './connection';
import type { Bitrix24Envelope } from './request';

/** bitrix24-api.md §2: list methods return pages of 50. */
export const PAGE_SIZE = 50;

export interface ScanOptions extends CallOptions {
	/** `ID` for crm.contact.list style, `id` for crm.item.list; guessed from the method when omitted. */
	idKey?: string;
	/** Stop after this many rows. */
	limit?: number;
}

/** crm.item.list and friends answer `{result: {items: [...]}}` and use camelCase `id` (§4.3). */
function usesItemsEnvelope(method: string): boolean {
	return /^crm\.item\./i.test(method);
}

/** The rows of a list answer: `result` itself or `result.items`. */
export function rowsOf(result: unknown): IDataObject[] {
	if (Array.isArray(result)) return result as IDataObject[];
	if (typeof result === 'object' && result !== null && Array.isArray((result as IDataObject).items)) {
		return (result as { items: IDataObject[] }).items;
	}
	return [];
}

function numericId(this: Bitrix24Context, row: IDataObject, idKey: string): number {
	const id = Number(row[idKey]);
	if (Number.isFinite(id)) return id;
	throw new NodeOperationError(this.getNode(), `Bitrix24 returned a row without a numeric ${idKey}`, {
		description: `The fast scan pages by ${idKey}; make sure ${idKey} is in "select" (or select everything).`,
	});
}

/**
 * Fast full scan (§2 "Fast full scan", settings/performance/huge-data.md): order by id ascending,
 * filter `>id` above the last id seen, `start: -1` so Bitrix24 skips counting, until a page has
 * fewer than 50 rows. Yields one page at a time. The caller's `filter` and `select` are kept; its
 * `order` and `start` are replaced, because the cursor depends on them.
 */
export async function* bitrix24ScanAll(
	this: Bitrix24Context,
	method: string,
	params: IDataObject = {},
	options: ScanOptions = {},
): AsyncGenerator<IDataObject[]> {
	const idKey = options.idKey ?? (usesItemsEnvelope(method) ? 'id' : 'ID');
	const filter = { ...((params.filter as IDataObject | undefined) ?? {}) };
	const cursorFilterKey = `>${idKey}`;
	let lastId = Number(filter[cursorFilterKey] ?? 0) || 0;
	let remaining = options.limit ?? Infinity;
	while (remaining > 0) {
		const page = await bitrix24Call.call(
			this,
			method,
			{ ...params, filter: { ...filter, [cursorFilterKey]: lastId }, order: { [idKey]: 'ASC' }, start: -1 },
			options,
		);
		const rows = rowsOf(page.result);
		const kept = rows.slice(0, remaining);
		if (kept.length > 0) yield kept;
		remaining -= kept.length;
		if (rows.length < PAGE_SIZE) return;
		lastId = numericId.call(this, rows[rows.length - 1], idKey);
	}
}

/**
 * Classic `start`/`next` paging for methods without the `>ID` cursor (user.get and others, §11).
 * Yields one page at a time.
 */
export async function* bitrix24Paginate(
	this: Bitrix24Context,
	method: string,
	params: IDataObject = {},
	options: CallOptions & { limit?: number } = {},
): AsyncGenerator<IDataObject[]> {
	let start: number | undefined = 0;
	let remaining = options.limit ?? Infinity;
	while (start !== undefined && remaining > 0) {
		const page: Bitrix24Envelope = await bitrix24Call.call(this, method, { ...params, start }, options);
		const rows = rowsOf(page.result).slice(0, remaining);
		if (rows.length > 0) yield rows;
		remaining -= rows.length;
		start = typeof page.next === 'number' && page.next > start ? page.next : undefined;
	}
}

/** Collects every row of a paged generator. */
export async function collectRows(pages: AsyncIterable<IDataObject[]>): Promise<IDataObject[]> {
	const rows: IDataObject[] = [];
	for await (const page of pages) rows.push(...page);
	return rows;
}
