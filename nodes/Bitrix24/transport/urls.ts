/**
 * Where Bitrix24 calls go. Pure functions shared by the credentials (which must not leak the
 * webhook secret) and the transport.
 *
 * Errors thrown here are plain `Error`s whose messages never repeat the input: a webhook URL
 * carries its secret in the path (bitrix24-api.md §1.1).
 */

/** Loopback hosts may use plain http (the local sandbox); everything else must be https. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export interface WebhookEndpoint {
	/** `https://portal/rest/<userId>/<secret>/`: method names are appended to it. Contains the secret. */
	base: string;
	/** `host[:port]`: the key of the portal's rate limit (limits are per portal, §3.1). */
	host: string;
	userId: string;
	secret: string;
}

export interface PortalEndpoint {
	/** `https://portal`, no trailing slash. */
	origin: string;
	host: string;
	/** `https://portal/rest/`: method names are appended to it. */
	restBase: string;
}

const WEBHOOK_EXAMPLE = 'https://your-portal.bitrix24.de/rest/1/abcdef1234567890/';

function parseAbsoluteUrl(raw: string, what: string, example: string): URL {
	const text = raw.trim();
	const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
	const url = URL.canParse(withScheme) ? new URL(withScheme) : undefined;
	if (!url) throw new Error(`The ${what} is not a valid URL. It should look like ${example}`);
	const secure = url.protocol === 'https:';
	const loopbackHttp = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
	if (!secure && !loopbackHttp) {
		throw new Error(`The ${what} must start with https:// (Bitrix24 refuses plain http)`);
	}
	if (url.username || url.password) {
		throw new Error(`The ${what} must not contain a user name or password before the host`);
	}
	return url;
}

/**
 * Accepts what users paste from Bitrix24's webhook page: with or without a trailing slash, with a
 * method suffix (`…/profile.json`, `…/crm.contact.list`), with a query string, or in the REST 3.0
 * form `/rest/api/<id>/<secret>/` (same secret; CRM still lives on the v2 paths, §1.1).
 */
export function parseWebhookUrl(raw: unknown): WebhookEndpoint {
	if (typeof raw !== 'string' || raw.trim() === '') {
		throw new Error(
			`The webhook URL is empty. Paste the URL Bitrix24 shows for the incoming webhook, e.g. ${WEBHOOK_EXAMPLE}`,
		);
	}
	const url = parseAbsoluteUrl(raw, 'webhook URL', WEBHOOK_EXAMPLE);
	const segments = url.pathname.split('/').filter((segment) => segment !== '');
	const restIndex = segments.indexOf('rest');
	const afterRest = restIndex === -1 ? [] : segments.slice(restIndex + 1);
	const [userId, secret] = afterRest[0] === 'api' ? afterRest.slice(1) : afterRest;
	if (!userId || !/^\d+$/.test(userId) || !secret || !/^[A-Za-z0-9_-]+$/.test(secret)) {
		throw new Error(
			`The webhook URL must contain /rest/<user id>/<secret>/ after the portal address, e.g. ${WEBHOOK_EXAMPLE}`,
		);
	}
	const prefix = segments
		.slice(0, restIndex)
		.map((segment) => `/${segment}`)
		.join('');
	return {
		base: `${url.origin}${prefix}/rest/${userId}/${secret}/`,
		host: url.host,
		userId,
		secret,
	};
}

/** The portal address of an OAuth2 credential: `your-portal.bitrix24.de` or a full URL. */
export function parsePortalUrl(raw: unknown): PortalEndpoint {
	if (typeof raw !== 'string' || raw.trim() === '') {
		throw new Error('The portal address is empty. Enter it like https://your-portal.bitrix24.de');
	}
	const url = parseAbsoluteUrl(raw, 'portal address', 'https://your-portal.bitrix24.de');
	return { origin: url.origin, host: url.host, restBase: `${url.origin}/rest/` };
}

/**
 * Bitrix24 method names are dotted identifiers (`crm.contact.list`). Anything else (slashes,
 * `..`, `?`) would change which URL the credential's secret is sent to.
 */
export function isMethodName(method: unknown): method is string {
	return typeof method === 'string' && /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/.test(method);
}

export function assertMethodName(method: unknown): asserts method is string {
	if (!isMethodName(method)) {
		// The rejected text is not echoed: users paste whole URLs (with secrets) into this field.
		throw new Error('The method name is not a Bitrix24 method name (expected something like crm.contact.list)');
	}
}

/** Makes a relative method URL absolute against a base ending in `/`; absolute URLs pass through. */
export function resolveMethodUrl(base: string, url: string): string {
	if (/^https?:\/\//i.test(url)) return url;
	return `${base}${url.replace(/^\/+/, '')}`;
}
