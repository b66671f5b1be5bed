/**
 * What the portal sends to an app's handlers, for tests: a placement click (§9) and the install
 * callback of a local app (§1.2, §1.3). Both return the handler's answer.
 */
import { randomBytes } from 'node:crypto';

import { postForm, type HandlerResponse } from './form';
import type { Portal } from './portal';

export interface PlacementCallOptions {
	/** Which bound handler, when several are bound to the placement (default: the first). */
	handler?: string;
	userId?: number;
	lang?: string;
	/**
	 * A caller who is not this user: sends this instead of the user's real access token (e.g. a
	 * portal user who read the application token from the frame and forges a click).
	 */
	forgedAuthId?: string;
	/** How long to wait for the handler's answer (default 10 s), e.g. for a click that waits for another. */
	timeoutMs?: number;
}

export interface AppInstallOptions {
	/** A forger's callback: this access token instead of one the portal issued. */
	forgedAccessToken?: string;
	/** A forger's callback: this `auth[domain]` instead of the portal's. */
	domain?: string;
}

export class Simulator {
	constructor(private readonly portal: Portal) {}

	/**
	 * A user opens a placement: POST to the handler with DOMAIN/PROTOCOL/LANG/APP_SID in the query
	 * and AUTH_ID, APPLICATION_TOKEN, member_id, PLACEMENT, PLACEMENT_OPTIONS (a JSON string) in
	 * the form body (widgets/_includes/widget_data.md).
	 */
	async placementCall(
		placement: string,
		placementOptions: Record<string, unknown>,
		options: PlacementCallOptions = {},
	): Promise<HandlerResponse> {
		const code = placement.toUpperCase();
		const binding = this.portal.state.placements.find(
			(candidate) =>
				candidate.placement === code && (options.handler === undefined || candidate.handler === options.handler),
		);
		if (!binding) throw new Error(`no handler is bound to placement ${code}`);
		const tokens = this.portal.oauth.issue(options.userId);
		const { url, domain } = this.portal.endpoints();
		// CRM placements carry ids as strings: {"ID":"8061"}.
		const stringified = Object.fromEntries(
			Object.entries(placementOptions).map(([key, value]) => [key, typeof value === 'number' ? String(value) : value]),
		);
		return await postForm(
			binding.handler,
			{
				AUTH_ID: options.forgedAuthId ?? tokens.access_token,
				AUTH_EXPIRES: tokens.expires_in,
				REFRESH_ID: tokens.refresh_token,
				SERVER_ENDPOINT: tokens.server_endpoint,
				APPLICATION_TOKEN: this.portal.oauth.applicationToken,
				APPLICATION_SCOPE: tokens.scope,
				member_id: this.portal.oauth.memberId,
				status: 'L',
				PLACEMENT: code,
				PLACEMENT_OPTIONS: JSON.stringify(stringified),
			},
			{
				query: {
					DOMAIN: domain,
					PROTOCOL: url.startsWith('https:') ? '1' : '0',
					LANG: options.lang ?? 'de',
					APP_SID: randomBytes(16).toString('hex'),
				},
				timeoutMs: options.timeoutMs,
			},
		);
	}

	/** The install callback: ONAPPINSTALL with a full set of tokens, incl. application_token. */
	async appInstall(handlerUrl: string, options: AppInstallOptions = {}): Promise<HandlerResponse> {
		const tokens = this.portal.oauth.issue();
		return await postForm(handlerUrl, {
			event: 'ONAPPINSTALL',
			data: { VERSION: 1, ACTIVE: 'Y', INSTALLED: 'Y', LANGUAGE_ID: 'de' },
			ts: Math.floor(this.portal.now() / 1000),
			auth: {
				access_token: options.forgedAccessToken ?? tokens.access_token,
				expires: tokens.expires,
				expires_in: tokens.expires_in,
				scope: tokens.scope,
				domain: options.domain ?? tokens.domain,
				server_endpoint: tokens.server_endpoint,
				status: tokens.status,
				client_endpoint: tokens.client_endpoint,
				member_id: tokens.member_id,
				user_id: tokens.user_id,
				refresh_token: tokens.refresh_token,
				application_token: this.portal.oauth.applicationToken,
			},
		});
	}
}
