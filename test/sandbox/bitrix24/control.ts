/**
 * `/_sandbox/*` for other processes (a real n8n, `npm start`): common's routes (state, requests,
 * reset, seed, faults) plus
 *   GET info · GET state/full · GET|PUT limits · PUT execution-time · PUT options ·
 *   POST oauth/expire-tokens · POST oauth/tokens {userId?} · POST webhooks {userId, scopes?} ·
 *   GET events · POST events/flush · POST events/outgoing-webhooks {handler, events, applicationToken?} ·
 *   POST events/deliver {handler, event, fields} ·
 *   POST simulate/placement-call {placement, options, handler?, userId?} · POST simulate/app-install {url}.
 */
import {
	json,
	mountControlApi,
	type ApiRequest,
	type ApiResponse,
	type ControlRoute,
	type FaultInjector,
	type LimitSetting,
} from '../common';
import { isRecord } from './context';
import type { CrmSeedOptions } from './crmSeed';
import { parseBitrix24Limits, type Bitrix24Limits } from './limits';
import type { Portal } from './portal';
import type { Bitrix24RequestLog } from './requestLog';
import type { Simulator } from './simulate';

export interface ControlParts {
	portal: Portal;
	requests: Bitrix24RequestLog;
	faults: FaultInjector;
	simulate: Simulator;
	info(): Record<string, unknown>;
	summary(): Record<string, unknown>;
	reset(seed?: CrmSeedOptions | boolean): void;
	seed(options: CrmSeedOptions): unknown;
	setLimits(limits: Bitrix24Limits): void;
}

function body(value: unknown): Record<string, unknown> {
	return isRecord(value) ? value : {};
}

/** common's LimitSetting has no 'enterprise'; it is only shown, our own routes handle the real value. */
function asCommonSetting(limits: Bitrix24Limits): LimitSetting {
	if (limits === 'off' || limits === 'published') return limits;
	if (limits === 'enterprise') return { capacity: 250, refillPerSecond: 5 };
	return { capacity: limits.capacity, refillPerSecond: limits.drainPerSecond };
}

export function bitrix24ControlApi(parts: ControlParts): (request: ApiRequest) => Promise<ApiResponse> {
	const { portal } = parts;
	const routes: Record<string, ControlRoute> = {
		'GET /info': () => json(200, parts.info()),
		'GET /state/full': () => json(200, portal.state),
		'GET /limits': () => json(200, { limits: portal.limits.get() }),
		'PUT /limits': (_request, value) => {
			parts.setLimits(parseBitrix24Limits(isRecord(value) && 'limits' in value ? value.limits : value));
			return json(200, { limits: portal.limits.get() });
		},
		'PUT /execution-time': (_request, value) => {
			const setting = isRecord(value) && 'ms' in value ? value.ms : value;
			portal.executionTimeMs =
				typeof setting === 'number' || isRecord(setting) ? (setting as number | Record<string, number>) : undefined;
			return json(200, { executionTimeMs: portal.executionTimeMs ?? null });
		},
		'PUT /options': (_request, value) => {
			const options = body(value);
			if (options.smartInvoiceWebhookTrigger === 'fires' || options.smartInvoiceWebhookTrigger === 'target-not-found') {
				portal.config.smartInvoiceWebhookTrigger = options.smartInvoiceWebhookTrigger;
			}
			if (typeof options.allowLoopbackHandlers === 'boolean')
				portal.config.allowLoopbackHandlers = options.allowLoopbackHandlers;
			if (options.smartInvoiceAccountNumber === 'writable' || options.smartInvoiceAccountNumber === 'ignored') {
				portal.config.smartInvoiceAccountNumber = options.smartInvoiceAccountNumber;
			}
			if (options.eventDelivery === 'auto' || options.eventDelivery === 'manual')
				portal.events.mode = options.eventDelivery;
			return json(200, {
				smartInvoiceWebhookTrigger: portal.config.smartInvoiceWebhookTrigger,
				allowLoopbackHandlers: portal.config.allowLoopbackHandlers,
				smartInvoiceAccountNumber: portal.config.smartInvoiceAccountNumber,
				eventDelivery: portal.events.mode,
			});
		},
		'POST /oauth/expire-tokens': () => {
			portal.oauth.expireAccessTokens();
			return json(200, { expired: true });
		},
		'POST /oauth/tokens': (_request, value) => {
			const userId = Number(body(value).userId);
			return json(200, portal.oauth.issue(Number.isInteger(userId) && userId > 0 ? userId : undefined));
		},
		'POST /webhooks': (_request, value) => {
			const options = body(value);
			const scopes = Array.isArray(options.scopes) ? options.scopes.map(String) : undefined;
			return json(200, { url: portal.addWebhook(Number(options.userId), scopes) });
		},
		'GET /events': () => json(200, { pending: portal.events.pending(), deliveries: portal.events.deliveries }),
		'POST /events/flush': async () => json(200, await portal.events.flush()),
		'POST /events/outgoing-webhooks': (_request, value) => {
			const options = body(value);
			const events = Array.isArray(options.events) ? options.events.map(String) : [];
			const token = portal.events.addOutgoingWebhook(
				String(options.handler),
				events,
				typeof options.applicationToken === 'string' ? options.applicationToken : undefined,
			);
			return json(200, { applicationToken: token });
		},
		'POST /events/deliver': async (_request, value) => {
			const options = body(value);
			return json(
				200,
				await portal.events.deliverTo(String(options.handler), String(options.event), body(options.fields)),
			);
		},
		'POST /simulate/placement-call': async (_request, value) => {
			const options = body(value);
			const response = await parts.simulate.placementCall(String(options.placement), body(options.options), {
				handler: typeof options.handler === 'string' ? options.handler : undefined,
				userId: typeof options.userId === 'number' ? options.userId : undefined,
			});
			return json(200, response);
		},
		'POST /simulate/app-install': async (_request, value) =>
			json(200, await parts.simulate.appInstall(String(body(value).url))),
	};
	return mountControlApi(
		{
			state: () => parts.summary(),
			reset: (value) => {
				const seed = body(value).seed;
				parts.reset(isRecord(seed) ? (seed as CrmSeedOptions) : seed === true);
			},
			seed: (value) => parts.seed(body(value) as CrmSeedOptions),
			limits: {
				get: () => asCommonSetting(portal.limits.get()),
				set: (setting) => parts.setLimits(parseBitrix24Limits(setting)),
			},
			routes,
		},
		{ log: parts.requests, faults: parts.faults },
	);
}
