import { createHash } from 'crypto';
import type { IDataObject, IHttpRequestOptions, IN8nHttpFullResponse, INode } from 'n8n-workflow';

import { portalBucket, type Bitrix24Plan } from './limits';

/**
 * Proves that an access token a caller hands us (a placement call's `AUTH_ID`, the install
 * callback's `auth[access_token]`) is a live token of an application on OUR portal: the portal
 * we are configured for is asked `app.info` with it (bitrix24-api.md §1.2: the portal accepts
 * the token as `auth`; app.info is in the basic scope and names the app's `CODE`, its client id).
 * The portal the caller claims (`DOMAIN`, `auth[domain]`) is never contacted.
 */
export interface AccessTokenCheckContext {
	getNode(): INode;
	helpers: { httpRequest(options: IHttpRequestOptions): Promise<unknown> };
}

export type AccessTokenCheck = { valid: true; clientId: string } | { valid: false; reason: string };

/** A proven token is trusted this long (at most its own lifetime), so a busy button costs one check. */
export const PROVEN_TOKEN_TTL_MS = 5 * 60 * 1000;
const MAX_CACHED_TOKENS = 1000;
const CHECK_TIMEOUT_MS = 10_000;

/** sha256(portal + token) → { clientId, expiresAt }: the token itself is never kept. */
const provenTokens = new Map<string, { clientId: string; expiresAt: number }>();

function cacheKey(restBase: string, token: string): string {
	return createHash('sha256').update(`${restBase}\n${token}`).digest('hex');
}

function remember(key: string, clientId: string, lifetimeMs: number): void {
	const now = Date.now();
	for (const [cached, entry] of provenTokens) {
		if (provenTokens.size < MAX_CACHED_TOKENS && entry.expiresAt > now) break;
		provenTokens.delete(cached);
	}
	provenTokens.set(key, { clientId, expiresAt: now + Math.min(PROVEN_TOKEN_TTL_MS, lifetimeMs) });
}

/** Forgets every proven token (tests). */
export function forgetProvenTokens(): void {
	provenTokens.clear();
}

export interface AccessTokenCheckOptions {
	/** `https://portal/rest/` of the configured portal. */
	restBase: string;
	host: string;
	plan: Bitrix24Plan;
	token: string;
	/** Seconds the caller says the token lives (`AUTH_EXPIRES`); caps the cache time. */
	expiresInSeconds?: number;
}

export async function checkAccessToken(
	context: AccessTokenCheckContext,
	options: AccessTokenCheckOptions,
): Promise<AccessTokenCheck> {
	const { restBase, token } = options;
	if (!/^[A-Za-z0-9._-]{8,512}$/.test(token))
		return { valid: false, reason: 'The call carries no usable access token' };
	const key = cacheKey(restBase, token);
	const cached = provenTokens.get(key);
	if (cached && cached.expiresAt > Date.now()) return { valid: true, clientId: cached.clientId };

	await portalBucket(options.host, options.plan).take();
	let response: IN8nHttpFullResponse;
	try {
		response = (await context.helpers.httpRequest({
			method: 'POST',
			url: `${restBase}app.info`,
			body: { auth: token },
			json: true,
			headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: CHECK_TIMEOUT_MS,
		})) as IN8nHttpFullResponse;
	} catch {
		return { valid: false, reason: 'The Bitrix24 portal could not be reached to verify the call' };
	}
	const body = (typeof response.body === 'object' && response.body !== null ? response.body : {}) as IDataObject;
	const result = (typeof body.result === 'object' && body.result !== null ? body.result : {}) as IDataObject;
	if (response.statusCode !== 200 || typeof result.CODE !== 'string') {
		const code =
			typeof body.error === 'string' && /^[A-Za-z_]{1,64}$/.test(body.error)
				? body.error
				: `HTTP ${response.statusCode}`;
		return { valid: false, reason: `The portal did not accept the call's access token (${code})` };
	}
	const lifetimeSeconds = Number(options.expiresInSeconds);
	remember(
		key,
		result.CODE,
		Number.isFinite(lifetimeSeconds) && lifetimeSeconds > 0 ? lifetimeSeconds * 1000 : PROVEN_TOKEN_TTL_MS,
	);
	return { valid: true, clientId: result.CODE };
}
