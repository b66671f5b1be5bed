/**
 * Search semantics of the contact and voucherlist filters (lexoffice-api.md §3.2).
 *
 * LexOffice compares search strings against HTML-encoded stored values: a client must send
 * "johnson & partner" as `johnson &amp; partner` (then URL-encoded); a plain `&` finds nothing
 * (verified live, §3.2). Matching against the encoded value reproduces exactly that.
 */
export function htmlEncode(value: string): string {
	return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A case-insensitive substring matcher for an SQL-LIKE pattern: `_` is one character, `%` any
 * number, a backslash makes the next character literal (§3.2: `email=n_d_e@example.com` also finds
 * `john.doe@example.com`).
 */
export function likeMatcher(pattern: string): (candidate: string) => boolean {
	let source = '';
	for (let i = 0; i < pattern.length; i++) {
		const char = pattern[i];
		if (char === '\\' && i + 1 < pattern.length) {
			source += escapeRegExp(pattern[++i]);
		} else if (char === '_') {
			source += '.';
		} else if (char === '%') {
			source += '.*';
		} else {
			source += escapeRegExp(char);
		}
	}
	const regExp = new RegExp(source, 'is');
	return (candidate) => regExp.test(htmlEncode(candidate));
}

function escapeRegExp(char: string): string {
	return char.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
