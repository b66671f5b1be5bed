import { randomUUID } from 'node:crypto';

import { json } from '../common';
import { callCallback } from './callbackClient';
import { isObject, type Handler, type LexofficeContext } from './context';
import { invalid, notNull, regularError, regularValidationError } from './errors';
import { lexofficeTimestamp } from './time';
import type { EventSubscription } from './types';

/** Event subscriptions: lexoffice-api.md §6.1–§6.2. Errors use the REGULAR format (§7.2). */

const withStatus = (resource: string) => [
	`${resource}.created`,
	`${resource}.changed`,
	`${resource}.deleted`,
	`${resource}.status.changed`,
];
const withoutStatus = (resource: string) => [`${resource}.created`, `${resource}.changed`, `${resource}.deleted`];

/** The 42 documented event types (§6.2). */
export const EVENT_TYPES: readonly string[] = [
	...withoutStatus('article'),
	...withoutStatus('contact'),
	...withStatus('credit-note'),
	...withStatus('delivery-note'),
	...withStatus('down-payment-invoice'),
	...withoutStatus('dunning'),
	...withStatus('invoice'),
	...withStatus('order-confirmation'),
	'payment.changed',
	...withStatus('quotation'),
	...withoutStatus('recurring-template'),
	'token.revoked',
	...withStatus('voucher'),
];

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]', '::1'];

function callbackUrlProblem(ctx: LexofficeContext, value: string): string | undefined {
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		return 'keine gültige URL';
	}
	if (url.protocol === 'https:') return undefined;
	if (url.protocol !== 'http:') return 'nur HTTPS wird unterstützt';
	const policy = ctx.options.allowHttpCallbacks;
	if (policy === 'any' || (policy === 'loopback' && LOOPBACK_HOSTS.includes(url.hostname))) return undefined;
	return 'nur HTTPS wird unterstützt';
}

/**
 * §6.1: "A HEAD request will be sent to the given URL to determine if SSL certificates are
 * correct." By default any HTTP answer passes (the documented connection/TLS check); with
 * strictProbe only a 2xx does.
 */
export async function probeCallback(ctx: LexofficeContext, url: string): Promise<string | undefined> {
	const result = await callCallback(url, { method: 'HEAD', timeoutMs: ctx.options.deliveryTimeoutMs });
	if ('error' in result) return `callback not reachable: ${result.error}`;
	if (ctx.options.strictProbe && (result.status < 200 || result.status > 299)) {
		return `callback answered HEAD with ${result.status}`;
	}
	return undefined;
}

export const createSubscription: Handler = async (ctx, request, _params, body) => {
	const { path } = request;
	if (!isObject(body)) return regularValidationError(path, [notNull('eventType'), notNull('callbackUrl')]);
	const { eventType, callbackUrl } = body;
	const violations = [];
	if (typeof eventType !== 'string' || eventType === '') violations.push(notNull('eventType'));
	else if (!EVENT_TYPES.includes(eventType)) violations.push(invalid('eventType', 'unbekannter Ereignistyp'));
	if (typeof callbackUrl !== 'string' || callbackUrl === '') violations.push(notNull('callbackUrl'));
	else {
		const problem = callbackUrlProblem(ctx, callbackUrl);
		if (problem) violations.push(invalid('callbackUrl', problem));
	}
	if (violations.length > 0) return regularValidationError(path, violations);

	const duplicate = [...ctx.state.subscriptions.values()].some(
		(existing) => existing.eventType === eventType && existing.callbackUrl === callbackUrl,
	);
	if (duplicate) return regularError(409, path, 'Subscription for this event type and callback URL already exists.');

	const probeProblem = await ctx.probeCallback(callbackUrl as string);
	if (probeProblem) {
		return regularValidationError(path, [invalid('callbackUrl', probeProblem)]);
	}

	const subscription: EventSubscription = {
		subscriptionId: randomUUID(),
		organizationId: ctx.state.organizationId,
		createdDate: lexofficeTimestamp(),
		eventType: eventType as string,
		callbackUrl: callbackUrl as string,
	};
	ctx.state.subscriptions.set(subscription.subscriptionId, subscription);
	const resourceUri = `http://${String(request.headers.host)}/v1/event-subscriptions/${subscription.subscriptionId}`;
	return json(
		201,
		{
			id: subscription.subscriptionId,
			resourceUri,
			createdDate: subscription.createdDate,
			updatedDate: subscription.createdDate,
			version: 0,
		},
		{ Location: resourceUri },
	);
};

export const listSubscriptions: Handler = (ctx) => json(200, { content: [...ctx.state.subscriptions.values()] });

export const getSubscription: Handler = (ctx, request, [id]) => {
	const subscription = ctx.state.subscriptions.get(id);
	return subscription ? json(200, subscription) : regularError(404, request.path, 'Not Found');
};

export const deleteSubscription: Handler = (ctx, request, [id]) => {
	if (!ctx.state.subscriptions.delete(id)) return regularError(404, request.path, 'Not Found');
	ctx.subscriptionDeleted(id);
	return json(204);
};
