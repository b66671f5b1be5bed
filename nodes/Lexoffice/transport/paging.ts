import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import type { Query } from './encoding';
import { unexpectedResponseError } from './errors';
import { lexofficeRequest, type LexofficeContext } from './request';

/** The largest page LexOffice serves for contacts, voucherlist, vouchers, articles (§9). */
export const MAX_PAGE_SIZE = 250;

/** A Spring page (§9); only the fields we rely on are checked. */
const pageSchema = z
	.object({
		content: z.array(z.record(z.unknown())),
		last: z.boolean().optional(),
		totalElements: z.number().optional(),
		number: z.number().optional(),
	})
	.passthrough();

export interface LexofficePage {
	content: IDataObject[];
	/** Capped at the search window (10,000) by LexOffice; undefined for unpaged lists. */
	totalElements?: number;
	last: boolean;
}

export interface PagingOptions {
	/** Stop after this many items. */
	limit?: number;
	/** Default 250 (the maximum). */
	pageSize?: number;
	/** 0-based page to start at (default 0), e.g. for a picker that loads one page per call. */
	startPage?: number;
}

/**
 * Walks a paged list page by page until `last` (or the limit). A list without paging fields
 * (e.g. `GET /v1/event-subscriptions`, §6.1) is one page.
 */
export async function* lexofficePages(
	this: LexofficeContext,
	path: string,
	qs: Query = {},
	{ limit = Infinity, pageSize = MAX_PAGE_SIZE, startPage = 0 }: PagingOptions = {},
): AsyncGenerator<LexofficePage> {
	let remaining = limit;
	const size = Math.max(1, Math.min(pageSize, MAX_PAGE_SIZE, remaining));
	for (let page = startPage; remaining > 0; page++) {
		const body = await lexofficeRequest.call(this, { path, qs: { ...qs, page, size } });
		const parsed = pageSchema.safeParse(body);
		if (!parsed.success) {
			throw unexpectedResponseError(this.getNode(), `a page with "content" from ${path}`, parsed.error.message);
		}
		const content = parsed.data.content.slice(0, remaining) as IDataObject[];
		remaining -= content.length;
		const last = parsed.data.last ?? true;
		yield { content, totalElements: parsed.data.totalElements, last };
		if (last || parsed.data.content.length === 0) return;
	}
}

/** Every item of a paged list (up to `limit`). */
export async function lexofficeGetAll(
	this: LexofficeContext,
	path: string,
	qs: Query = {},
	options: PagingOptions = {},
): Promise<IDataObject[]> {
	const items: IDataObject[] = [];
	for await (const page of lexofficePages.call(this, path, qs, options)) items.push(...page.content);
	return items;
}
