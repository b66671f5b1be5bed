/**
 * Links in timeline comments and CRM comment fields, which Bitrix24 renders as BBCode
 * (bitrix24-api.md §7.1): `[URL=https://…]text[/URL]`. BBCode has no escaping, so whatever could
 * end the tag early is taken out of the URL and the text instead.
 */

/**
 * An absolute http(s) URL whose characters cannot close the `[URL=…]` tag: brackets, quotes and
 * whitespace are percent-encoded. Anything else (javascript:, relative paths) gives undefined.
 */
export function bbcodeSafeUrl(raw: string): string | undefined {
	let url: URL;
	try {
		url = new URL(raw.trim());
	} catch {
		return undefined;
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
	return url.href.replace(/[[\]"'\s]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** Link text on one line, with square brackets (tag delimiters) turned into round ones. */
export function bbcodeSafeText(raw: string): string {
	return raw.replace(/\[/g, '(').replace(/\]/g, ')').replace(/\s+/g, ' ').trim();
}

/** `[URL=url]text[/URL]` (the text defaults to the URL), or undefined for a URL that is not http(s). */
export function bbcodeLink(url: string, text?: string): string | undefined {
	const safeUrl = bbcodeSafeUrl(url);
	if (!safeUrl) return undefined;
	const safeText = bbcodeSafeText(text ?? '') || safeUrl;
	return `[URL=${safeUrl}]${safeText}[/URL]`;
}
