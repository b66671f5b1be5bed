/**
 * One simulated cloud portal: state, credentials, limits, outbound events. The HTTP layer
 * (httpApi.ts) and the REST methods (methods/) work against this object.
 */
import { randomBytes } from 'node:crypto';

import { DateTime } from 'luxon';

import type { MethodTable } from './context';
import { EventDispatcher, type EventDeliveryMode } from './events';
import { PortalLimits, type Bitrix24Limits } from './limits';
import { OAuthApp, type OAuthAppOptions } from './oauth';
import type { ReferenceDataConfig } from './seedData';
import { createInitialState, replaceState, type Bitrix24State, type User } from './state';

export interface PortalConfig extends ReferenceDataConfig {
	timeZone: string;
	limits: Bitrix24Limits;
	now: () => number;
	oauth: OAuthAppOptions;
	webhookSecret: string;
	webhookUserId: number;
	/** Simulated execution time per call (ms), for the operating-time limit; per method or for all. */
	executionTimeMs: number | Record<string, number> | undefined;
	/** §8 VERIFY: crm.automation.trigger splits target on '_', so SMART_INVOICE_5 is "not found". */
	smartInvoiceWebhookTrigger: 'target-not-found' | 'fires';
	/** §6 VERIFY: whether crm.item.add/update store a smart invoice's accountNumber or ignore it. */
	smartInvoiceAccountNumber: 'writable' | 'ignored';
	/** Real portals refuse loopback/private handler URLs (§9); the sandbox allows them unless false. */
	allowLoopbackHandlers: boolean;
	eventDelivery: EventDeliveryMode;
	eventTimeoutMs: number;
}

export interface Webhook {
	userId: number;
	secret: string;
	/** Scopes chosen when the webhook was created. */
	scopes: string[];
}

const WRITE_METHOD = /\.(add|update|delete|set)$/;

export const ALL_SCOPES = [
	'crm',
	'user',
	'user_basic',
	'bizproc',
	'placement',
	'documentgenerator',
	'disk',
	'im',
	'basic',
];

export class Portal {
	readonly state: Bitrix24State;
	readonly limits: PortalLimits;
	readonly oauth: OAuthApp;
	readonly events: EventDispatcher;
	readonly webhooks: Webhook[];
	readonly now: () => number;
	methods: MethodTable = {};
	executionTimeMs: number | Record<string, number> | undefined;
	/** Set once the server listens. */
	url = '';

	constructor(readonly config: PortalConfig) {
		this.now = config.now;
		this.state = createInitialState(config);
		this.limits = new PortalLimits(this.now, config.limits);
		this.oauth = new OAuthApp(config.oauth, this.now, () => this.endpoints());
		this.events = new EventDispatcher(this, config.eventDelivery, config.eventTimeoutMs);
		this.webhooks = [{ userId: config.webhookUserId, secret: config.webhookSecret, scopes: ALL_SCOPES }];
		this.executionTimeMs = config.executionTimeMs;
	}

	endpoints(): { url: string; domain: string } {
		return { url: this.url, domain: this.url ? new URL(this.url).host : 'sandbox.bitrix24.invalid' };
	}

	webhookUrl(webhook: Webhook = this.webhooks[0]): string {
		return `${this.url}/rest/${webhook.userId}/${webhook.secret}/`;
	}

	/** Adds an incoming webhook for another user (e.g. a non-admin) and returns its URL. */
	addWebhook(userId: number, scopes = ALL_SCOPES, secret = randomBytes(8).toString('hex')): string {
		const webhook = { userId, secret, scopes };
		this.webhooks.push(webhook);
		return this.webhookUrl(webhook);
	}

	user(id: number): User | undefined {
		return this.state.users.find((user) => user.ID === id);
	}

	/** Dates as Bitrix24 writes them: ISO 8601 with the portal's offset, no milliseconds (§2). */
	iso(ms: number = this.now()): string {
		const seconds = Math.floor(ms / 1000) * 1000;
		return DateTime.fromMillis(seconds, { zone: this.config.timeZone }).toISO({ suppressMilliseconds: true }) ?? '';
	}

	today(): string {
		return DateTime.fromMillis(this.now(), { zone: this.config.timeZone }).toISODate() ?? '';
	}

	/** Back to the initial reference data; credentials, webhooks and tokens survive. */
	reset(): void {
		replaceState(this.state, createInitialState(this.config));
		this.limits.operating.clear();
	}

	/**
	 * Server time charged for one call (accounted, never slept): a number for every method, or a
	 * map by method name with `write` (add/update/delete/set), `read` and `*` as fall-backs.
	 */
	simulatedExecutionMs(method: string): number | undefined {
		const setting = this.executionTimeMs;
		if (typeof setting === 'number') return setting;
		if (!setting) return undefined;
		return setting[method] ?? (WRITE_METHOD.test(method) ? setting.write : setting.read) ?? setting['*'];
	}
}
