import {
	assertMethodName,
	parsePortalUrl,
	parseWebhookUrl,
	resolveMethodUrl,
} from '../../../nodes/Bitrix24/transport/urls';

const SECRET = 'k3v9x0s8q1w2e3r4';
const BASE = `https://acme.bitrix24.de/rest/7/${SECRET}/`;

describe('parseWebhookUrl', () => {
	it.each([
		['the URL as Bitrix24 shows it', `https://acme.bitrix24.de/rest/7/${SECRET}/`],
		['without trailing slash', `https://acme.bitrix24.de/rest/7/${SECRET}`],
		['with a method suffix', `https://acme.bitrix24.de/rest/7/${SECRET}/profile.json`],
		['with a method without .json', `https://acme.bitrix24.de/rest/7/${SECRET}/crm.contact.list`],
		['with a method and query string', `https://acme.bitrix24.de/rest/7/${SECRET}/crm.contact.list.json?ID=42`],
		['with surrounding whitespace', `  https://acme.bitrix24.de/rest/7/${SECRET}/ \n`],
		['without a scheme', `acme.bitrix24.de/rest/7/${SECRET}/`],
		['in the REST 3.0 form', `https://acme.bitrix24.de/rest/api/7/${SECRET}/`],
		['with an upper-case host', `https://ACME.Bitrix24.de/rest/7/${SECRET}/`],
	])('normalises %s', (_label, input) => {
		const endpoint = parseWebhookUrl(input);
		expect(endpoint.base).toBe(BASE);
		expect(endpoint).toMatchObject({ host: 'acme.bitrix24.de', userId: '7', secret: SECRET });
	});

	it('keeps a port and a path prefix (on-premise portals behind a sub-path)', () => {
		expect(parseWebhookUrl(`https://crm.example.de:8443/portal/rest/1/${SECRET}/user.current`)).toMatchObject({
			base: `https://crm.example.de:8443/portal/rest/1/${SECRET}/`,
			host: 'crm.example.de:8443',
		});
	});

	it.each(['127.0.0.1:4711', 'localhost:4711'])('allows plain http only for loopback (%s)', (host) => {
		expect(parseWebhookUrl(`http://${host}/rest/1/${SECRET}/`).base).toBe(`http://${host}/rest/1/${SECRET}/`);
	});

	it.each([
		['plain http to a real host', `http://acme.bitrix24.de/rest/7/${SECRET}/`, /https/],
		['no /rest/ part', `https://acme.bitrix24.de/${SECRET}/`, /\/rest\/<user id>\/<secret>/],
		['a non-numeric user id', `https://acme.bitrix24.de/rest/admin/${SECRET}/`, /user id/],
		['no secret', 'https://acme.bitrix24.de/rest/7/', /secret/],
		['credentials before the host', `https://me:${SECRET}@acme.bitrix24.de/rest/7/${SECRET}/`, /user name or password/],
		['another scheme', `ftp://acme.bitrix24.de/rest/7/${SECRET}/`, /https/],
		['garbage', `https://exa mple/rest/7/${SECRET}`, /not a valid URL/],
	])('rejects %s without repeating the secret', (_label, input, message) => {
		let thrown: unknown;
		try {
			parseWebhookUrl(input);
		} catch (error) {
			thrown = error;
		}
		expect((thrown as Error).message).toMatch(message);
		expect((thrown as Error).message).not.toContain(SECRET);
	});

	it.each([undefined, '', '   ', 42])('rejects an empty value (%p)', (input) => {
		expect(() => parseWebhookUrl(input)).toThrow(/empty/);
	});
});

describe('parsePortalUrl', () => {
	it.each([
		['acme.bitrix24.de', 'https://acme.bitrix24.de'],
		['https://acme.bitrix24.de/', 'https://acme.bitrix24.de'],
		['https://acme.bitrix24.de/crm/contact/list/', 'https://acme.bitrix24.de'],
		['http://127.0.0.1:4711', 'http://127.0.0.1:4711'],
	])('%s → %s', (input, origin) => {
		expect(parsePortalUrl(input)).toEqual({ origin, host: new URL(origin).host, restBase: `${origin}/rest/` });
	});

	it('refuses plain http to a real portal', () => {
		expect(() => parsePortalUrl('http://acme.bitrix24.de')).toThrow(/https/);
	});
});

describe('method names', () => {
	it.each(['user.current', 'crm.contact.list', 'batch', 'crm.item.productrow.list', 'profile'])(
		'accepts %s',
		(method) => {
			expect(() => assertMethodName(method)).not.toThrow();
		},
	);

	it.each([
		'',
		'../../admin',
		'crm.contact.list?ID=1',
		'crm/contact',
		`https://acme.bitrix24.de/rest/7/${SECRET}/x`,
		'.x',
		'x..y',
	])('refuses %p without echoing it', (method) => {
		expect(() => assertMethodName(method)).toThrow(/not a Bitrix24 method name/);
		try {
			assertMethodName(method);
		} catch (error) {
			expect((error as Error).message).not.toContain(SECRET);
		}
	});

	it('resolves relative method URLs against the base and leaves absolute ones alone', () => {
		expect(resolveMethodUrl(BASE, 'user.current')).toBe(`${BASE}user.current`);
		expect(resolveMethodUrl(BASE, '/user.current')).toBe(`${BASE}user.current`);
		expect(resolveMethodUrl(BASE, 'https://other.example/x')).toBe('https://other.example/x');
	});
});
