import { createHash } from 'node:crypto';

import {
	escapeHtml,
	REDIRECT_PAGE_CONTENT_SECURITY_POLICY,
	renderRedirectPage,
	type RedirectPageContent,
} from '../../../nodes/Bitrix24/helpers/redirectPage';

/** Everything between tags, i.e. what a browser would treat as markup rather than text. */
function tagsOf(html: string): string[] {
	return html.match(/<[^>]*>/g) ?? [];
}

function scriptsOf(html: string): string[] {
	return [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => match[1]);
}

function linkOf(html: string): { href: string; target: string; text: string } | undefined {
	const match = /<a id="target" href="([^"]*)" target="([^"]*)"[^>]*>([^<]*)<\/a>/.exec(html);
	return match ? { href: match[1], target: match[2], text: match[3] } : undefined;
}

const decode = (text: string) =>
	text
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&quot;/g, '"')
		.replace(/&#39;/g, "'")
		.replace(/&amp;/g, '&');

describe('renderRedirectPage', () => {
	const hostile: Array<[string, RedirectPageContent]> = [
		['script in the title', { title: '<script>alert(1)</script>', url: 'https://app.lexoffice.de/' }],
		[
			'script in the message',
			{ title: 'T', message: '</p><script>alert(1)</script>', url: 'https://app.lexoffice.de/' },
		],
		[
			'script in the link text',
			{ title: 'T', url: 'https://app.lexoffice.de/', linkText: '<script>alert(1)</script>' },
		],
		['quotes breaking out of href', { title: 'T', url: 'https://app.lexoffice.de/?q="><script>alert(1)</script>' }],
		['single quotes and ampersands', { title: "O'Reilly & Söhne", url: "https://x.example/?a=1&b='2'" }],
		['script in the fragment', { title: 'T', url: 'https://x.example/#"><img src=x onerror=alert(1)>' }],
	];

	it.each(hostile)('keeps %s as text', (_case, content) => {
		const html = renderRedirectPage(content);
		// The only tags are the page's own: no tag carries injected script or handlers.
		expect(tagsOf(html).filter((tag) => /<script>/i.test(tag))).toHaveLength(1);
		expect(tagsOf(html).some((tag) => /onerror|alert/i.test(tag) && !tag.startsWith('<a '))).toBe(false);
		expect(scriptsOf(html)).toHaveLength(1);
		expect(scriptsOf(html)[0]).not.toContain('alert');
		// Title text survives escaping unchanged.
		const title = /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? '';
		expect(decode(title)).toBe(content.title);
	});

	it.each([
		[
			'https://app.lexoffice.de/vouchers#/VoucherView/Invoice/abc',
			'https://app.lexoffice.de/vouchers#/VoucherView/Invoice/abc',
		],
		['  https://app.lexoffice.de/  ', 'https://app.lexoffice.de/'],
		['http://127.0.0.1:5678/x?a=1&b=2', 'http://127.0.0.1:5678/x?a=1&b=2'],
	])('links %s in the top window and redirects by script', (url, expectedHref) => {
		const html = renderRedirectPage({ title: 'Rechnung', url, linkText: 'Weiter' });
		const link = linkOf(html);
		expect(link).toBeDefined();
		expect(decode(link!.href)).toBe(expectedHref);
		expect(link!.target).toBe('_top');
		expect(link!.text).toBe('Weiter');
		expect(scriptsOf(html)[0]).toContain('window.top.location.href');
	});

	it.each([
		'javascript:alert(1)',
		'data:text/html,<script>alert(1)</script>',
		'ftp://x.example/',
		'/relative/path',
		'not a url',
	])('refuses %s as a redirect target', (url) => {
		expect(() => renderRedirectPage({ title: 'T', url })).toThrow(/redirect URL/);
	});

	it('shows only the text when there is no URL (no script, no link)', () => {
		const html = renderRedirectPage({ title: 'Zugriff verweigert', message: 'Nein.' });
		expect(scriptsOf(html)).toHaveLength(0);
		expect(linkOf(html)).toBeUndefined();
		expect(html).toContain('<p>Nein.</p>');
	});

	it('uses a safe language tag or falls back to de', () => {
		expect(renderRedirectPage({ title: 'T', language: 'en' })).toContain('<html lang="en">');
		expect(renderRedirectPage({ title: 'T', language: '"><script>' })).toContain('<html lang="de">');
	});

	it('allows exactly its own script through the Content-Security-Policy', () => {
		const html = renderRedirectPage({ title: 'T', url: 'https://app.lexoffice.de/' });
		const hash = createHash('sha256').update(scriptsOf(html)[0], 'utf8').digest('base64');
		expect(REDIRECT_PAGE_CONTENT_SECURITY_POLICY).toContain(`script-src 'sha256-${hash}'`);
		expect(REDIRECT_PAGE_CONTENT_SECURITY_POLICY).toMatch(/default-src 'none'/);
		expect(REDIRECT_PAGE_CONTENT_SECURITY_POLICY).toMatch(/sandbox [^;]*allow-top-navigation(?!-)/);
	});

	it('escapes the five HTML-special characters', () => {
		expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
			'&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
		);
	});
});

describe('renderRedirectPage opening a new tab', () => {
	it('links with target _blank and tries a new tab before replacing the top window', () => {
		const html = renderRedirectPage({
			title: 'Rechnung',
			url: 'https://app.lexware.de/permalink/invoices/edit/1',
			openIn: 'newTab',
		});
		expect(html).toContain('href="https://app.lexware.de/permalink/invoices/edit/1" target="_blank"');
		expect(html).toMatch(/window\.open\(a\.href,'_blank'\)\)\{window\.top\.location\.href=a\.href/);
		expect(renderRedirectPage({ title: 'Rechnung', url: 'https://example.de/' })).toContain('target="_top"');
	});
});
