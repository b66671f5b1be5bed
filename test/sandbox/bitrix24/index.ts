/**
 * A faithful fake of a Bitrix24 cloud portal's REST API v2 (bitrix24-api.md), on a loopback port.
 *
 *   const sb = await startBitrix24Sandbox({ limits: 'off' });
 *   await fetch(`${sb.webhookUrl}crm.contact.add`, { method: 'POST', headers: {'Content-Type': 'application/json'},
 *     body: JSON.stringify({ fields: { NAME: 'Jürgen' } }) });
 *   sb.state.contacts; sb.requests.calls(); await sb.close();
 */
import { randomBytes } from 'node:crypto';

import {
	FaultInjector,
	startSandboxServer,
	type ApiRequest,
	type ApiResponse,
	type FaultOptions,
	type FaultStats,
} from '../common';
import { accessTokenFrom } from './oauth';
import { bitrix24ControlApi } from './control';
import { seedCrm, type CrmSeedOptions, type CrmSeedSummary } from './crmSeed';
import { defaultFaultBody, gatewayFaultAnswer } from './errors';
import type { EventDelivery, EventDeliveryMode } from './events';
import { createApiHandler } from './httpApi';
import { parseBitrix24Limits, type Bitrix24Limits } from './limits';
import { allMethods } from './methods';
import type { OAuthAppOptions, TokenResponse } from './oauth';
import { Portal, type PortalConfig } from './portal';
import { Bitrix24RequestLog } from './requestLog';
import { Simulator } from './simulate';
import type { Bitrix24State } from './state';

export type { Bitrix24Limits } from './limits';
export type { Bitrix24RequestLogEntry } from './requestLog';
export type { Bitrix24State } from './state';
export type { EventDelivery } from './events';
export type { CrmSeedOptions } from './crmSeed';
export { crmSnapshot, snapshotDifferences, type CrmSnapshot } from './crmSnapshot';
export { PRESET_XML_IDS, ADDRESS_TYPES } from './seedData';

export interface Bitrix24SandboxOptions {
	port?: number;
	host?: string;
	/** Default 'published' (50 burst, 2/s drain, 480 s operating time per 10 min). */
	limits?: Bitrix24Limits;
	faults?: FaultOptions;
	/** Clock for token expiry, operating-time windows and timestamps (default Date.now). */
	now?: () => number;
	/** Default 'Europe/Berlin'. */
	timeZone?: string;
	/** Secret of user 1's incoming webhook (default random). */
	webhookSecret?: string;
	oauth?: OAuthAppOptions;
	/** Requisite preset ids are offset+1… (default 6): look presets up by XML_ID. */
	presetIdOffset?: number;
	/** Default smart-invoice category id (default 7): read it from crm.category.list. */
	invoiceCategoryId?: number;
	/** Default 57. */
	userCount?: number;
	/**
	 * Server time (ms) charged per call for the operating-time limit, accounted and never slept:
	 * a number, or per method with `write`, `read` and `*` fall-backs, e.g. `{ write: 50, read: 5 }`.
	 */
	executionTimeMs?: number | Record<string, number>;
	/** §8 VERIFY: default 'target-not-found' (what the mirrored core does for SMART_INVOICE_x). */
	smartInvoiceWebhookTrigger?: 'target-not-found' | 'fires';
	/** §6 VERIFY: default 'writable'; 'ignored' models a portal where accountNumber is read-only. */
	smartInvoiceAccountNumber?: 'writable' | 'ignored';
	/** Default true; false applies the real rule "no localhost/private handler URLs" (§9). */
	allowLoopbackHandlers?: boolean;
	/** Default 'auto'. */
	eventDelivery?: EventDeliveryMode;
	eventTimeoutMs?: number;
	/** Load German CRM content (contacts, companies, requisites, invoices) at start. */
	seed?: boolean | CrmSeedOptions;
}

export interface Bitrix24Sandbox {
	url: string;
	/** `${url}/rest/1/<secret>/`: user 1's incoming webhook; methods at `${webhookUrl}<method>`. */
	webhookUrl: string;
	oauth: {
		clientId: string;
		clientSecret: string;
		tokenUrl: string;
		authorizeUrl: string;
		applicationToken: string;
		memberId: string;
		/** Tokens as after installation, for user 1 (or the given user). */
		issueTokens(userId?: number): Promise<TokenResponse>;
	};
	state: Bitrix24State;
	requests: Bitrix24RequestLog;
	setLimits(limits: Bitrix24Limits): void;
	setFaults(faults: FaultOptions): void;
	/** What the random faults (FaultOptions.rate) injected since the last setFaults. */
	faultStats(): FaultStats;
	/** Simulated execution time (ms) per call, all methods or per method; undefined = measured. */
	setExecutionTime(ms: number | Record<string, number> | undefined): void;
	/** Every access token issued so far now answers 401 expired_token. */
	expireAccessTokens(): void;
	/** Another incoming webhook (e.g. of a non-admin user); returns its URL. */
	addWebhook(userId: number, scopes?: string[]): string;
	events: {
		/** POST one event to any URL now (e.g. an outgoing-webhook handler). */
		deliverTo(handler: string, event: string, fields: Record<string, unknown>): Promise<EventDelivery>;
		/** Deliver everything queued and wait for deliveries in flight. */
		flush(): Promise<EventDelivery[]>;
		pending(): Array<{ event: string; handler: string; fields: Record<string, unknown> }>;
		deliveries: EventDelivery[];
		/** An outgoing webhook configured in the portal UI; returns its application token. */
		addOutgoingWebhook(handler: string, events: string[], applicationToken?: string): string;
		setMode(mode: EventDeliveryMode): void;
	};
	simulate: Simulator;
	seed(options?: CrmSeedOptions): CrmSeedSummary;
	/** Back to the initial reference data (users, presets, stages); credentials stay valid. */
	reset(options?: { seed?: boolean | CrmSeedOptions }): void;
	/** The portal object behind it all, for tests that need more than the above. */
	portal: Portal;
	close(): Promise<void>;
}

function portalConfig(options: Bitrix24SandboxOptions): PortalConfig {
	return {
		timeZone: options.timeZone ?? 'Europe/Berlin',
		limits: parseBitrix24Limits(options.limits ?? 'published'),
		now: options.now ?? (() => Date.now()),
		oauth: options.oauth ?? {},
		webhookSecret: options.webhookSecret ?? randomBytes(8).toString('hex'),
		webhookUserId: 1,
		presetIdOffset: options.presetIdOffset ?? 6,
		invoiceCategoryId: options.invoiceCategoryId ?? 7,
		userCount: options.userCount ?? 57,
		executionTimeMs: options.executionTimeMs,
		smartInvoiceWebhookTrigger: options.smartInvoiceWebhookTrigger ?? 'target-not-found',
		smartInvoiceAccountNumber: options.smartInvoiceAccountNumber ?? 'writable',
		allowLoopbackHandlers: options.allowLoopbackHandlers ?? true,
		eventDelivery: options.eventDelivery ?? 'auto',
		eventTimeoutMs: options.eventTimeoutMs ?? 10_000,
	};
}

/**
 * A careless portal's error: `error_description` repeats what the request carried — the URL
 * called (with a webhook's secret), the access token (header or `auth` parameter), at the token
 * endpoint the client secret and refresh token — and the application token the portal keeps.
 */
function echoCredentials(portal: Portal, request: ApiRequest, response: ApiResponse): ApiResponse {
	let params: Record<string, unknown> = {};
	try {
		params = JSON.parse(request.rawBody.toString('utf8') || '{}') as Record<string, unknown>;
	} catch {
		params = Object.fromEntries(new URLSearchParams(request.rawBody.toString('utf8')));
	}
	const all = { ...request.query, ...params };
	const carried = (name: string) => (typeof all[name] === 'string' ? `${name} ${all[name] as string}` : '');
	const echoed = [
		`${portal.url}${request.path}`,
		`token ${accessTokenFrom(request.headers, all) ?? ''}`,
		carried('client_secret'),
		carried('refresh_token'),
		`application_token ${portal.oauth.applicationToken}`,
	]
		.filter(Boolean)
		.join(', ');
	const original =
		typeof response.json === 'object' && response.json !== null ? (response.json as Record<string, unknown>) : {};
	const description = typeof original.error_description === 'string' ? original.error_description : '';
	return {
		...response,
		json: { ...original, error: original.error ?? 'ERROR', error_description: `${description} (${echoed})` },
		bytes: undefined,
	};
}

export async function startBitrix24Sandbox(options: Bitrix24SandboxOptions = {}): Promise<Bitrix24Sandbox> {
	const portal = new Portal(portalConfig(options));
	portal.methods = allMethods;
	const requests = new Bitrix24RequestLog();
	const faults = new FaultInjector(defaultFaultBody, gatewayFaultAnswer);
	if (options.faults) faults.set(options.faults);
	const simulate = new Simulator(portal);
	const seed = (seedOptions: CrmSeedOptions = {}) => seedCrm(portal, seedOptions);
	const reset = (seedRequest?: boolean | CrmSeedOptions) => {
		portal.reset();
		if (seedRequest) seed(seedRequest === true ? {} : seedRequest);
	};
	const setLimits = (limits: Bitrix24Limits) => portal.limits.set(parseBitrix24Limits(limits));

	const info = () => ({
		url: portal.url,
		webhookUrl: portal.webhookUrl(),
		oauth: {
			clientId: portal.oauth.clientId,
			clientSecret: portal.oauth.clientSecret,
			tokenUrl: `${portal.url}/oauth/token/`,
			authorizeUrl: `${portal.url}/oauth/authorize/`,
			applicationToken: portal.oauth.applicationToken,
			memberId: portal.oauth.memberId,
		},
		limits: portal.limits.get(),
		presetIdOffset: portal.config.presetIdOffset,
		invoiceCategoryId: portal.config.invoiceCategoryId,
	});
	const summary = () => ({
		...Object.fromEntries(
			Object.entries(portal.state)
				.filter(([, value]) => Array.isArray(value))
				.map(([key, value]) => [key, (value as unknown[]).length]),
		),
		pendingEvents: portal.events.pending().length,
		eventDeliveries: portal.events.deliveries.length,
		requests: requests.entries.length,
	});

	const server = await startSandboxServer({
		port: options.port,
		host: options.host,
		log: requests,
		faults,
		api: createApiHandler(portal, requests),
		control: bitrix24ControlApi({ portal, requests, faults, simulate, info, summary, reset, seed, setLimits }),
		echoCredentials: (request, response) => echoCredentials(portal, request, response),
	});
	portal.url = server.url;
	if (options.seed) seed(options.seed === true ? {} : options.seed);

	const { oauth } = portal;
	return {
		url: server.url,
		webhookUrl: portal.webhookUrl(),
		oauth: {
			clientId: oauth.clientId,
			clientSecret: oauth.clientSecret,
			tokenUrl: `${server.url}/oauth/token/`,
			authorizeUrl: `${server.url}/oauth/authorize/`,
			applicationToken: oauth.applicationToken,
			memberId: oauth.memberId,
			issueTokens: async (userId) => oauth.issue(userId),
		},
		state: portal.state,
		requests,
		setLimits,
		setFaults: (faultOptions) => faults.set(faultOptions),
		faultStats: () => faults.stats(),
		setExecutionTime: (ms) => {
			portal.executionTimeMs = ms;
		},
		expireAccessTokens: () => oauth.expireAccessTokens(),
		addWebhook: (userId, scopes) => portal.addWebhook(userId, scopes),
		events: {
			deliverTo: async (handler, event, fields) => await portal.events.deliverTo(handler, event, fields),
			flush: async () => await portal.events.flush(),
			pending: () => portal.events.pending(),
			deliveries: portal.events.deliveries,
			addOutgoingWebhook: (handler, events, applicationToken) =>
				portal.events.addOutgoingWebhook(handler, events, applicationToken),
			setMode: (mode) => {
				portal.events.mode = mode;
			},
		},
		simulate,
		seed,
		reset: (resetOptions) => reset(resetOptions?.seed),
		portal,
		close: async () => {
			await portal.events.flush();
			await server.close();
		},
	};
}
