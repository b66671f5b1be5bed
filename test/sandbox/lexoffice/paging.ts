/** Spring-style paging shared by the contact list and the voucherlist (lexoffice-api.md §9). */

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 250;

export interface SortOrder {
	property: string;
	direction: 'ASC' | 'DESC';
}

export interface Paging {
	page: number;
	size: number;
}

/** `page` is 0-based; `size` defaults to 25 and is capped at 250. Returns an error text for garbage. */
export function parsePaging(query: Record<string, string>): Paging | { error: string } {
	const page = query.page === undefined ? 0 : Number(query.page);
	const size = query.size === undefined ? DEFAULT_PAGE_SIZE : Number(query.size);
	if (!Number.isInteger(page) || page < 0) return { error: 'page' };
	if (!Number.isInteger(size) || size < 1) return { error: 'size' };
	return { page, size: Math.min(size, MAX_PAGE_SIZE) };
}

/**
 * One page of `all`. `reportedTotal` lets the voucherlist cap `totalElements` at its search window
 * while the items themselves come from the full list.
 */
export function springPage<T>(all: T[], { page, size }: Paging, sort: SortOrder[], reportedTotal = all.length) {
	const content = all.slice(page * size, page * size + size);
	const totalPages = Math.ceil(reportedTotal / size);
	return {
		content,
		first: page === 0,
		last: page >= totalPages - 1,
		totalPages,
		totalElements: reportedTotal,
		numberOfElements: content.length,
		size,
		number: page,
		sort: sort.map(({ property, direction }) => ({
			property,
			direction,
			ignoreCase: false,
			nullHandling: 'NATIVE',
			ascending: direction === 'ASC',
		})),
	};
}
