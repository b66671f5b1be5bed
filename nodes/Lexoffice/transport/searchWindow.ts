import type { IDataObject, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { addDays, daysBetween, formatLexofficeDate } from './dates';
import type { Query } from './encoding';
import { lexofficePages, MAX_PAGE_SIZE } from './paging';
import { LEXOFFICE_CREDENTIAL_TYPE, type LexofficeContext, type LexofficeCredentials } from './request';

/** LexOffice serves at most this many results of one search (lexoffice-api.md §5, §9). */
export const SEARCH_WINDOW = 10_000;

/** The credential's search window (a test server may serve fewer), else LexOffice's. */
async function credentialWindow(this: LexofficeContext): Promise<number> {
	const { searchWindow } = await this.getCredentials<LexofficeCredentials>(LEXOFFICE_CREDENTIAL_TYPE);
	return typeof searchWindow === 'number' && Number.isInteger(searchWindow) && searchWindow > 0
		? searchWindow
		: SEARCH_WINDOW;
}

export type SearchDateField = 'voucherDate' | 'createdDate' | 'updatedDate';

export interface WindowedSearchOptions {
	/** e.g. `/v1/voucherlist`. */
	path: string;
	/** The search's own filters (without the `<dateField>From/To` pair). */
	qs: Query;
	/** The date filter used to cut the search into smaller ones (`<dateField>From`/`To`, day-granular). */
	dateField: SearchDateField;
	/** First and last day (`yyyy-MM-dd`, Berlin); found from the data when missing and needed. */
	from?: string;
	to?: string;
	limit?: number;
	/** Default: the credential's Search Window (10,000); tests use a sandbox with a small window. */
	windowSize?: number;
	pageSize?: number;
}

/**
 * All results of a search that may exceed LexOffice's 10,000-result window: when a range holds
 * too many (by `totalElements`, or LexOffice's "Maximum search window size exceeded" answer), it is
 * cut in two by day and each half searched on its own, recursively. Results are merged by `id`,
 * so an item seen twice (e.g. updated between two requests) appears once, with its latest data.
 * Order: the ranges in ascending date order, each in the order LexOffice returned it.
 */
export async function lexofficeSearchAll(
	this: LexofficeContext,
	options: WindowedSearchOptions,
): Promise<IDataObject[]> {
	const windowSize = options.windowSize ?? (await credentialWindow.call(this));
	const limit = options.limit ?? Infinity;
	const pageSize = Math.min(options.pageSize ?? MAX_PAGE_SIZE, windowSize);
	const results = new Map<string, IDataObject>();
	const withoutId: IDataObject[] = [];
	const collected = () => results.size + withoutId.length;

	const search = async (from: string | undefined, to: string | undefined): Promise<void> => {
		const qs = { ...options.qs, ...dateRange(options.dateField, from, to) };
		try {
			for await (const page of lexofficePages.call(this, options.path, qs, { limit: limit - collected(), pageSize })) {
				// Split only if we need more than one window can give (a limit may make it unnecessary).
				if ((page.totalElements ?? 0) >= windowSize && limit - collected() > windowSize) return await split(from, to);
				for (const item of page.content) {
					if (typeof item.id === 'string') results.set(item.id, item);
					else withoutId.push(item);
				}
			}
		} catch (error) {
			if (!isWindowExceeded(error)) throw new NodeApiError(this.getNode(), error as JsonObject);
			await split(from, to);
		}
	};

	const split = async (from: string | undefined, to: string | undefined): Promise<void> => {
		const first = from ?? (await boundaryDay.call(this, options, 'ASC', from, to));
		const last = to ?? (await boundaryDay.call(this, options, 'DESC', from, to));
		const days = daysBetween(first, last);
		if (days <= 0) {
			const message = `More than ${windowSize} results on ${first}: LexOffice cannot return them all`;
			throw new NodeApiError(this.getNode(), { message } as JsonObject, {
				message,
				description: `Add filters (e.g. voucher type or status) so that one day of ${options.dateField} holds fewer results.`,
			});
		}
		const middle = addDays(first, Math.floor(days / 2));
		await search(first, middle);
		if (collected() < limit) await search(addDays(middle, 1), last);
	};

	await search(options.from, options.to);
	return [...results.values(), ...withoutId].slice(0, limit);
}

function dateRange(field: SearchDateField, from: string | undefined, to: string | undefined): Query {
	return { [`${field}From`]: from, [`${field}To`]: to };
}

/** The earliest (ASC) or latest (DESC) day of `dateField` among the search's results. */
async function boundaryDay(
	this: LexofficeContext,
	options: WindowedSearchOptions,
	direction: 'ASC' | 'DESC',
	from: string | undefined,
	to: string | undefined,
): Promise<string> {
	const qs = { ...options.qs, ...dateRange(options.dateField, from, to), sort: `${options.dateField},${direction}` };
	for await (const page of lexofficePages.call(this, options.path, qs, { limit: 1 })) {
		const value = page.content[0]?.[options.dateField];
		if (typeof value === 'string') return formatLexofficeDate(value);
	}
	const message = `Could not read ${options.dateField} from the search results to split the search`;
	throw new NodeApiError(this.getNode(), { message } as JsonObject, { message });
}

function isWindowExceeded(error: unknown): boolean {
	return error instanceof NodeApiError && /search window/i.test(`${error.message} ${error.description ?? ''}`);
}
