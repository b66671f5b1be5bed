/**
 * Application-context methods: placements (widgets, bitrix24-api.md §9) and event handlers
 * (event.bind, §10). A webhook gets WRONG_AUTH_TYPE (placement.*) or ACCESS_DENIED (event.*).
 */
import { isIP } from 'node:net';

import { done, param, positiveInt, type CallContext, type MethodTable } from '../context';
import { B24Error } from '../errors';
import { nextId } from '../state';

const CRM_PLACEMENT_OWNERS = ['CONTACT', 'COMPANY', 'LEAD', 'DEAL', 'QUOTE', 'SMART_INVOICE'];
const CRM_PLACEMENT_SLOTS = [
	'DETAIL_TOOLBAR',
	'DETAIL_ACTIVITY',
	'DETAIL_TAB',
	'LIST_MENU',
	'LIST_TOOLBAR',
	'DOCUMENTGENERATOR_BUTTON',
];
/** ACTIVITY_TIMELINE_MENU exists for these owners only, not for contacts or companies (§9). */
const TIMELINE_MENU_OWNERS = ['LEAD', 'DEAL', 'QUOTE', 'SMART_INVOICE'];

export const PLACEMENT_CODES: string[] = [
	...CRM_PLACEMENT_OWNERS.flatMap((owner) => CRM_PLACEMENT_SLOTS.map((slot) => `CRM_${owner}_${slot}`)),
	...TIMELINE_MENU_OWNERS.map((owner) => `CRM_${owner}_ACTIVITY_TIMELINE_MENU`),
	'CRM_SMART_INVOICE_ROBOT_DESIGNER_TOOLBAR',
	'LEFT_MENU',
	'REST_APP_URI',
	'PAGE_BACKGROUND_WORKER',
	'DEFAULT',
];

function isPlacementCode(code: string): boolean {
	return (
		PLACEMENT_CODES.includes(code) ||
		/^CRM_DYNAMIC_\d+_(DETAIL_TOOLBAR|DETAIL_ACTIVITY|DETAIL_TAB|LIST_MENU|LIST_TOOLBAR|DOCUMENTGENERATOR_BUTTON|ACTIVITY_TIMELINE_MENU)$/.test(
			code,
		)
	);
}

function isPrivateHost(hostname: string): boolean {
	const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
	if (host === 'localhost' || host.endsWith('.localhost') || host === '::1') return true;
	if (isIP(host) !== 4) return false;
	const [a, b] = host.split('.').map(Number);
	return (
		a === 127 ||
		a === 10 ||
		a === 0 ||
		(a === 192 && b === 168) ||
		(a === 172 && b >= 16 && b <= 31) ||
		(a === 169 && b === 254)
	);
}

/** Handler URL rules (§9): http(s) only, a public host (loopback allowed by a sandbox option). */
function checkHandlerUrl(context: CallContext, raw: unknown): string {
	const handler = String(raw ?? '').trim();
	let url: URL;
	try {
		url = new URL(handler);
	} catch {
		throw new B24Error(400, 'ERROR_WRONG_HANDLER_URL', 'Wrong handler URL');
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new B24Error(400, 'ERROR_UNSUPPORTED_PROTOCOL', 'Unsupported event handler protocol');
	}
	if (isPrivateHost(url.hostname) && !context.portal.config.allowLoopbackHandlers) {
		throw new B24Error(400, 'ERROR_WRONG_HANDLER_URL', 'Wrong handler URL');
	}
	return handler;
}

const placement = { scope: 'placement', appOnly: 'WRONG_AUTH_TYPE' } as const;

const placementMethods: MethodTable = {
	'placement.bind': {
		...placement,
		adminOnly: true,
		handler: (context) => {
			const code = String(param(context.params, 'PLACEMENT') ?? '').toUpperCase();
			if (!isPlacementCode(code)) throw new B24Error(400, 'ERROR_PLACEMENT_NOT_FOUND', 'Placement not found');
			const handler = checkHandlerUrl(context, param(context.params, 'HANDLER'));
			const { placements } = context.portal.state;
			if (placements.some((binding) => binding.placement === code && binding.handler === handler)) {
				throw new B24Error(400, 'ERROR_PLACEMENT_HANDLER_ALREADY_BINDED', 'Handler already binded');
			}
			placements.push({
				id: nextId(context.portal.state, 'placement'),
				placement: code,
				handler,
				title: String(param(context.params, 'TITLE') ?? ''),
				description: String(param(context.params, 'DESCRIPTION') ?? ''),
				groupName: String(param(context.params, 'GROUP_NAME') ?? ''),
				langAll: param(context.params, 'LANG_ALL') ?? null,
				options: param(context.params, 'OPTIONS') ?? [],
				userId: positiveInt(param(context.params, 'USER_ID')) ?? 0,
			});
			return done(true);
		},
	},
	'placement.unbind': {
		...placement,
		adminOnly: true,
		handler: (context) => {
			const code = String(param(context.params, 'PLACEMENT') ?? '').toUpperCase();
			const handler = param(context.params, 'HANDLER');
			const { state } = context.portal;
			const before = state.placements.length;
			state.placements = state.placements.filter(
				(binding) => !(binding.placement === code && (handler === undefined || binding.handler === handler)),
			);
			return done({ count: before - state.placements.length });
		},
	},
	'placement.get': {
		...placement,
		handler: (context) =>
			done(
				context.portal.state.placements.map((binding) => ({
					placement: binding.placement,
					userId: binding.userId,
					handler: binding.handler,
					options: binding.options,
					title: binding.title,
					description: binding.description,
					groupName: binding.groupName,
					langAll: binding.langAll,
				})),
			),
	},
	'placement.list': { ...placement, handler: () => done(PLACEMENT_CODES) },
};

/** The events the sandbox can deliver, plus app lifecycle ones (§10). */
export const KNOWN_EVENTS = [
	...['CONTACT', 'COMPANY', 'LEAD', 'DEAL', 'REQUISITE', 'DYNAMICITEM'].flatMap((type) =>
		['ADD', 'UPDATE', 'DELETE'].map((change) => `ONCRM${type}${change}`),
	),
	'ONCRMDEALMOVETOCATEGORY',
	'ONAPPINSTALL',
	'ONAPPUNINSTALL',
	'ONAPPUPDATE',
];

const eventMethodBase = { scope: 'basic', appOnly: 'ACCESS_DENIED' } as const;

const eventMethods: MethodTable = {
	'event.bind': {
		...eventMethodBase,
		handler: (context) => {
			const event = String(param(context.params, 'event') ?? '').toUpperCase();
			if (!KNOWN_EVENTS.includes(event)) throw new B24Error(400, 'ERROR_EVENT_NOT_FOUND', 'Event not found');
			const offline = String(param(context.params, 'event_type') ?? 'online').toLowerCase() === 'offline';
			const authType = positiveInt(param(context.params, 'auth_type')) ?? 0;
			// Non-admins may bind online events only, as themselves (§10).
			if (!context.auth.user.isAdmin && (offline || (authType !== 0 && authType !== context.auth.user.ID))) {
				throw new B24Error(
					403,
					'ACCESS_DENIED',
					'Access denied! Offline events binding requires administrator access rights',
				);
			}
			const handler = offline
				? String(param(context.params, 'handler') ?? '')
				: checkHandlerUrl(context, param(context.params, 'handler'));
			const { eventBindings } = context.portal.state;
			if (
				eventBindings.some(
					(binding) =>
						binding.source === 'app' &&
						binding.event === event &&
						binding.handler === handler &&
						binding.authType === authType,
				)
			) {
				throw new B24Error(400, 'ERROR_CORE', 'Unable to set event handler: Handler already binded');
			}
			eventBindings.push({
				id: nextId(context.portal.state, 'event'),
				event,
				handler,
				authType,
				offline,
				authConnector: String(param(context.params, 'auth_connector') ?? ''),
				source: 'app',
				applicationToken: context.portal.oauth.applicationToken,
			});
			return done(true);
		},
	},
	'event.unbind': {
		...eventMethodBase,
		handler: (context) => {
			const event = String(param(context.params, 'event') ?? '').toUpperCase();
			const handler = param(context.params, 'handler');
			const offline = String(param(context.params, 'event_type') ?? 'online').toLowerCase() === 'offline';
			const { state } = context.portal;
			const before = state.eventBindings.length;
			state.eventBindings = state.eventBindings.filter(
				(binding) =>
					!(
						binding.source === 'app' &&
						binding.event === event &&
						binding.offline === offline &&
						(handler === undefined || binding.handler === handler)
					),
			);
			return done({ count: before - state.eventBindings.length });
		},
	},
	'event.get': {
		...eventMethodBase,
		handler: (context) =>
			done(
				context.portal.state.eventBindings
					.filter((binding) => binding.source === 'app')
					.map((binding) => ({
						event: binding.event,
						handler: binding.handler,
						auth_type: String(binding.authType),
						offline: binding.offline ? 1 : 0,
					})),
			),
	},
	events: { scope: 'basic', handler: () => done(KNOWN_EVENTS) },
};

/**
 * `app.info` (dev.1c-bitrix.ru rest_help/general/app_info.php; basic scope, any user of the app):
 * which application the calling token belongs to. `CODE` is the app's client id.
 */
const appInfoMethods: MethodTable = {
	'app.info': {
		scope: 'basic',
		appOnly: 'ACCESS_DENIED',
		handler: (context) =>
			done({
				ID: '7',
				CODE: context.portal.oauth.clientId,
				VERSION: 1,
				STATUS: 'L',
				INSTALLED: true,
				PAYMENT_EXPIRED: 'N',
				DAYS: null,
				LICENSE: 'de_project',
			}),
	},
};

export const appMethods: MethodTable = { ...placementMethods, ...eventMethods, ...appInfoMethods };
