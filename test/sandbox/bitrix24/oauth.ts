/**
 * The installed local application and its OAuth server (bitrix24-api.md §1.2): the sandbox plays
 * both the portal and oauth.bitrix.info. Access tokens live 1 h, refresh tokens 180 days; every
 * refresh hands out a NEW refresh token and retires the old one.
 */
import { randomBytes } from 'node:crypto';

import { json, type ApiRequest, type ApiResponse } from '../common';
import { systemErrors } from './errors';

export interface TokenResponse {
	access_token: string;
	refresh_token: string;
	expires: number;
	expires_in: number;
	scope: string;
	domain: string;
	server_endpoint: string;
	client_endpoint: string;
	member_id: string;
	user_id: number;
	status: 'L';
}

export interface OAuthAppOptions {
	clientId?: string;
	clientSecret?: string;
	applicationToken?: string;
	memberId?: string;
	/** Where /oauth/authorize/ sends the browser (Bitrix24 takes it from the app settings, §1.2). */
	redirectUri?: string;
	scopes?: string[];
	/** User the app's tokens act as (default 1, an admin). */
	userId?: number;
	accessTokenLifetimeSeconds?: number;
}

const REFRESH_LIFETIME_MS = 180 * 24 * 3600 * 1000;
const CODE_LIFETIME_MS = 30 * 1000;

function secret(bytes: number): string {
	return randomBytes(bytes).toString('hex');
}

interface Grant {
	userId: number;
	expiresAt: number;
}

export class OAuthApp {
	readonly clientId: string;
	readonly clientSecret: string;
	readonly applicationToken: string;
	readonly memberId: string;
	readonly scopes: string[];
	readonly userId: number;
	redirectUri: string | undefined;
	private readonly accessLifetimeMs: number;
	private readonly accessTokens = new Map<string, Grant>();
	private readonly refreshTokens = new Map<string, Grant>();
	private readonly codes = new Map<string, Grant>();
	/** Every access and refresh token ever handed out, for tests that look for leaks. */
	readonly issuedTokens: string[] = [];

	constructor(
		options: OAuthAppOptions,
		private readonly now: () => number,
		private readonly endpoints: () => { url: string; domain: string },
	) {
		this.clientId = options.clientId ?? `local.${secret(7)}.${secret(4)}`;
		this.clientSecret = options.clientSecret ?? secret(24);
		this.applicationToken = options.applicationToken ?? secret(16);
		this.memberId = options.memberId ?? secret(16);
		this.scopes = options.scopes ?? ['crm', 'user', 'placement', 'bizproc'];
		this.userId = options.userId ?? 1;
		this.redirectUri = options.redirectUri;
		this.accessLifetimeMs = (options.accessTokenLifetimeSeconds ?? 3600) * 1000;
	}

	/** Tokens as the token endpoint would return them (the install callback, tests). */
	issue(userId = this.userId): TokenResponse {
		const accessToken = secret(24);
		const refreshToken = secret(24);
		const now = this.now();
		this.accessTokens.set(accessToken, { userId, expiresAt: now + this.accessLifetimeMs });
		this.refreshTokens.set(refreshToken, { userId, expiresAt: now + REFRESH_LIFETIME_MS });
		this.issuedTokens.push(accessToken, refreshToken);
		const { url, domain } = this.endpoints();
		return {
			access_token: accessToken,
			refresh_token: refreshToken,
			expires: Math.floor((now + this.accessLifetimeMs) / 1000),
			expires_in: this.accessLifetimeMs / 1000,
			scope: this.scopes.join(','),
			domain,
			server_endpoint: `${url}/rest/`,
			client_endpoint: `${url}/rest/`,
			member_id: this.memberId,
			user_id: userId,
			status: 'L',
		};
	}

	/** Every access token issued so far answers 401 expired_token from now on. */
	expireAccessTokens(): void {
		for (const grant of this.accessTokens.values()) grant.expiresAt = 0;
	}

	/** The user behind a portal call's access token; throws the documented 401s. */
	authenticate(token: string): number {
		const grant = this.accessTokens.get(token);
		if (!grant) throw systemErrors.noAuthFound();
		if (grant.expiresAt <= this.now()) throw systemErrors.expiredToken();
		return grant.userId;
	}

	/** GET /oauth/authorize/: the user "allows" at once; redirect with code, state, domain, … (§1.2). */
	authorize(request: ApiRequest): ApiResponse {
		if (request.query.client_id !== this.clientId) {
			return json(400, { error: 'invalid_client', error_description: 'Unknown client_id' });
		}
		const code = secret(16);
		this.codes.set(code, { userId: this.userId, expiresAt: this.now() + CODE_LIFETIME_MS });
		const { url, domain } = this.endpoints();
		const callback = {
			code,
			state: request.query.state ?? '',
			domain,
			member_id: this.memberId,
			scope: this.scopes.join(','),
			server_domain: new URL(url).host,
		};
		// Bitrix24 ignores redirect_uri and uses the app's settings; a sandbox without that setting
		// falls back to the caller's redirect_uri so an OAuth client can complete the flow.
		const target = this.redirectUri ?? request.query.redirect_uri;
		if (!target) return json(200, callback);
		const location = new URL(target);
		for (const [key, value] of Object.entries(callback)) location.searchParams.set(key, value);
		return { status: 302, headers: { Location: location.toString() }, bytes: Buffer.alloc(0) };
	}

	/**
	 * /oauth/token/ as on oauth.bitrix.info: parameters from the query (documented GET) or a form/JSON
	 * body (what SDKs POST). Errors are OAuth-style `{error, error_description}`.
	 */
	token(params: Record<string, unknown>): ApiResponse {
		const text = (name: string) => (typeof params[name] === 'string' ? (params[name] as string) : '');
		const grantType = text('grant_type');
		if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
			return oauthError(400, 'invalid_request', 'grant_type must be authorization_code or refresh_token');
		}
		if (text('client_id') !== this.clientId || text('client_secret') !== this.clientSecret) {
			return oauthError(401, 'invalid_client', 'Invalid client credentials');
		}
		const store = grantType === 'authorization_code' ? this.codes : this.refreshTokens;
		const presented = grantType === 'authorization_code' ? text('code') : text('refresh_token');
		const grant = store.get(presented);
		if (!grant || grant.expiresAt <= this.now()) {
			return oauthError(
				400,
				'invalid_grant',
				grantType === 'authorization_code' ? 'Invalid authorization code' : 'Invalid refresh token',
			);
		}
		// Codes are single-use; a used refresh token is replaced by the new one.
		store.delete(presented);
		return json(200, this.issue(grant.userId));
	}
}

function oauthError(status: number, error: string, description: string): ApiResponse {
	return json(status, { error, error_description: description });
}

/** Reads the token from `Authorization: Bearer …` or the `auth` / `access_token` parameter (§1.2). */
export function accessTokenFrom(headers: ApiRequest['headers'], params: Record<string, unknown>): string | undefined {
	const header = headers.authorization;
	if (typeof header === 'string' && /^bearer\s+/i.test(header)) return header.replace(/^bearer\s+/i, '').trim();
	for (const name of ['auth', 'access_token']) {
		if (typeof params[name] === 'string' && params[name] !== '') return params[name] as string;
	}
	return undefined;
}
