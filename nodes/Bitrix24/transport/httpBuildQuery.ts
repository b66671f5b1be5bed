/**
 * PHP `http_build_query` for batch commands: a batch `cmd` value is `method?query` and Bitrix24
 * parses the query with PHP's `parse_str` (bitrix24-api.md §3.3).
 *
 * Matches PHP's defaults: nested keys as `a[b][0]=c` (brackets percent-encoded), RFC 1738
 * (`urlencode`: space → `+`, only `A-Za-z0-9-_.` left as is), `true`/`false` → `1`/`0`, `null`
 * skipped, empty arrays/objects skipped.
 *
 * Batch references (`$result[key][field]`, `$result_error[key]`, …) are the exception: Bitrix24
 * substitutes them in the query text, so they are written unencoded wherever they occur in a value.
 */

/** `$result[cmd]`, `$result_error[cmd][...]`, `$result_total[cmd]`, `$result_next[cmd]`, `$result_time[cmd]`. */
export const BATCH_REFERENCE = /\$result(?:_error|_total|_next|_time)?((?:\[[^[\]]*\])+)/g;

export function phpUrlencode(text: string): string {
	return encodeURIComponent(text)
		.replace(/[!'()*~]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
		.replace(/%20/g, '+');
}

/** Encodes a value but keeps batch references readable for Bitrix24. */
function encodeValue(text: string): string {
	let encoded = '';
	let last = 0;
	for (const match of text.matchAll(BATCH_REFERENCE)) {
		encoded += phpUrlencode(text.slice(last, match.index)) + match[0];
		last = (match.index ?? 0) + match[0].length;
	}
	return encoded + phpUrlencode(text.slice(last));
}

function scalarText(value: unknown): string | undefined {
	if (value === null || value === undefined) return undefined;
	if (typeof value === 'boolean') return value ? '1' : '0';
	if (typeof value === 'number' || typeof value === 'bigint') return String(value);
	if (value instanceof Date) return value.toISOString();
	return String(value);
}

function appendPairs(pairs: string[], key: string, value: unknown): void {
	if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
		const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
		for (const [childKey, childValue] of entries) appendPairs(pairs, `${key}[${childKey}]`, childValue);
		return;
	}
	const text = scalarText(value);
	if (text !== undefined) pairs.push(`${phpUrlencode(key)}=${encodeValue(text)}`);
}

export function httpBuildQuery(params: Record<string, unknown>): string {
	const pairs: string[] = [];
	for (const [key, value] of Object.entries(params)) appendPairs(pairs, key, value);
	return pairs.join('&');
}

/** The command keys a parameter tree refers to through `$result[...]` references. */
export function referencedCommandKeys(params: unknown): Set<string> {
	const keys = new Set<string>();
	const visit = (value: unknown): void => {
		if (typeof value === 'string') {
			for (const match of value.matchAll(BATCH_REFERENCE)) keys.add(match[1].slice(1, match[1].indexOf(']')));
		} else if (value !== null && typeof value === 'object') {
			Object.values(value).forEach(visit);
		}
	};
	visit(params);
	return keys;
}
