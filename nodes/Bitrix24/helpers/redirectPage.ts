import { createHash } from 'crypto';

/**
 * The small HTML page a placement handler answers with (bitrix24-api.md §9: the answer is shown
 * inside Bitrix24's slider or iframe). Pure: use it from the trigger's "answer immediately"
 * option, or build the body for a "Respond to Webhook" node with it.
 */
export interface RedirectPageContent {
	title: string;
	message?: string;
	/** Absolute http(s) URL to open in the top window. Without it the page only shows the text. */
	url?: string;
	linkText?: string;
	/** `lang` of the document, e.g. the `LANG` Bitrix24 sends with a placement call. */
	language?: string;
	/** Replace Bitrix24 in the top window (default), or open the target in a new tab and keep Bitrix24 open. */
	openIn?: 'top' | 'newTab';
}

/**
 * Navigating the top window from a cross-origin frame needs the browser's permission (a user
 * gesture, or a sandbox that allows it), so the script tries and the link stays as the way
 * that always works. The script is constant (it reads the link's href), so its CSP hash is too.
 */
const REDIRECT_SCRIPT =
	"(function(){var a=document.getElementById('target');if(!a)return;try{window.top.location.href=a.href;}catch(e){a.focus();}})();";

const REDIRECT_SCRIPT_HASH = createHash('sha256').update(REDIRECT_SCRIPT, 'utf8').digest('base64');

/** A new tab needs a popup permission the browser may refuse; then the top window is used after all. */
const NEW_TAB_SCRIPT =
	"(function(){var a=document.getElementById('target');if(!a)return;try{if(!window.open(a.href,'_blank')){window.top.location.href=a.href;}}catch(e){a.focus();}})();";

/**
 * For pages the trigger sends itself: nothing may load, only the redirect script may run, and
 * the page is sandboxed away from n8n's origin (as n8n does for webhook HTML) while still being
 * allowed to navigate the top window.
 */
export const REDIRECT_PAGE_CONTENT_SECURITY_POLICY = [
	"default-src 'none'",
	`script-src 'sha256-${REDIRECT_SCRIPT_HASH}'`,
	"style-src 'unsafe-inline'",
	"base-uri 'none'",
	"form-action 'none'",
	'sandbox allow-scripts allow-top-navigation allow-popups allow-popups-to-escape-sandbox',
].join('; ');

const HTML_ESCAPES: Record<string, string> = {
	'&': '&amp;',
	'<': '&lt;',
	'>': '&gt;',
	'"': '&quot;',
	"'": '&#39;',
};

export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]);
}

function parseUrl(text: string): URL | undefined {
	try {
		return new URL(text.trim());
	} catch {
		return undefined;
	}
}

/** Only absolute http(s) URLs: anything else (`javascript:`, `data:`) would run in the page. */
export function redirectTarget(url: string): string {
	const parsed = parseUrl(url);
	if (!parsed) throw new Error('The redirect URL is not a valid absolute URL (expected https://…)');
	if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
		throw new Error('The redirect URL must start with https:// or http://');
	}
	return parsed.href;
}

const STYLE =
	'body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem;color:#1f2d3d;line-height:1.5}' +
	'h1{font-size:1.25rem}a{color:#0b66c3;font-weight:600}';

export function renderRedirectPage(content: RedirectPageContent): string {
	const target = content.url ? redirectTarget(content.url) : undefined;
	const language =
		content.language && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(content.language) ? content.language : 'de';
	const parts = [
		'<!DOCTYPE html>',
		`<html lang="${language}">`,
		'<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
		`<title>${escapeHtml(content.title)}</title><style>${STYLE}</style></head>`,
		`<body><h1>${escapeHtml(content.title)}</h1>`,
	];
	if (content.message) parts.push(`<p>${escapeHtml(content.message)}</p>`);
	if (target) {
		const linkText = content.linkText || target;
		const newTab = content.openIn === 'newTab';
		parts.push(
			`<p><a id="target" href="${escapeHtml(target)}" target="${newTab ? '_blank' : '_top'}" rel="noopener">${escapeHtml(linkText)}</a></p>`,
			`<script>${newTab ? NEW_TAB_SCRIPT : REDIRECT_SCRIPT}</script>`,
		);
	}
	parts.push('</body></html>');
	return parts.join('\n');
}
