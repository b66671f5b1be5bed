/**
 * Search strings for the contact, voucher and voucherlist filters must be HTML-encoded and then
 * URL-encoded (lexoffice-api.md §3.2): LexOffice compares them with HTML-encoded stored values,
 * so "johnson & partner" is only found as `johnson%20%26amp%3B%20partner`.
 *
 * This does the HTML half; `toQueryString` does the URL half exactly once.
 */
export function encodeSearchValue(value: string, { literal = false }: { literal?: boolean } = {}): string {
	// `_` and `%` are SQL-like wildcards (§3.2); a backslash makes them literal.
	const pattern = literal ? value.replace(/[\\_%]/g, (char) => `\\${char}`) : value;
	return pattern.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export type QueryValue = string | number | boolean | Array<string | number> | null | undefined;
export type Query = Record<string, QueryValue>;

/**
 * Builds the query string ourselves rather than handing `qs` to n8n, whose serializer differs
 * between n8n versions: here every value is percent-encoded once, lists are comma-separated
 * (`voucherType=invoice,creditnote`, §5) and empty values are left out.
 */
export function toQueryString(query: Query = {}): string {
	const parts: string[] = [];
	for (const [key, value] of Object.entries(query)) {
		if (value === undefined || value === null || value === '') continue;
		const text = Array.isArray(value) ? value.join(',') : String(value);
		parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(text)}`);
	}
	return parts.join('&');
}
