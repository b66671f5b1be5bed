import { NodeApiError, type IDataObject, type JsonObject } from 'n8n-workflow';
import { z } from 'zod';

import { listSubscriptions, type Subscription } from './eventSubscriptions';
import { httpCodeOf } from '../transport/errors';
import { lexofficeRequest, type LexofficeContext } from '../transport/request';

/** POST answers with the action result; its `id` is the subscription id (§6.1). */
const createdSchema = z.object({ id: z.string() }).passthrough();

/** Subscription ids by event type, for one callback URL. */
export type SubscriptionIds = Record<string, string>;

/** One subscription per event type for this URL; LexOffice refuses a second one with 409 (§6.1). */
export function subscriptionsFor(all: Subscription[], callbackUrl: string, eventTypes: string[]): SubscriptionIds {
	const ids: SubscriptionIds = {};
	for (const subscription of all) {
		if (subscription.callbackUrl !== callbackUrl || !eventTypes.includes(subscription.eventType)) continue;
		ids[subscription.eventType] ??= subscription.subscriptionId;
	}
	return ids;
}

/** DELETE answers 204; a 404 means it is gone already (deleted by hand, or by LexOffice after 404s, §6.5). */
export async function deleteSubscription(this: LexofficeContext, subscriptionId: string): Promise<void> {
	try {
		await lexofficeRequest.call(this, {
			method: 'DELETE',
			path: `/v1/event-subscriptions/${encodeURIComponent(subscriptionId)}`,
		});
	} catch (error) {
		if (httpCodeOf(error) !== 404) throw new NodeApiError(this.getNode(), error as JsonObject);
	}
}

/** Deletes every subscription of this URL whose event type is no longer wanted. */
export async function deleteUnwanted(
	this: LexofficeContext,
	all: Subscription[],
	callbackUrl: string,
	wanted: string[],
): Promise<void> {
	const kept = new Set(Object.values(subscriptionsFor(all, callbackUrl, wanted)));
	for (const subscription of all) {
		if (subscription.callbackUrl === callbackUrl && !kept.has(subscription.subscriptionId)) {
			await deleteSubscription.call(this, subscription.subscriptionId);
		}
	}
}

/**
 * Makes sure every event type has a subscription for `callbackUrl`: adopts existing ones (also
 * when a POST answers 409 because one appeared meanwhile) and creates the rest.
 *
 * All or nothing: if any creation fails, the subscriptions this call created are deleted again
 * before the error is thrown, so a failed activation leaves LexOffice as it found it and the next
 * attempt (n8n retries activations, the user re-activates, or the poll trigger's repair mode
 * runs) starts from a clean state.
 */
export async function ensureSubscriptions(
	this: LexofficeContext,
	callbackUrl: string,
	eventTypes: string[],
	existing?: Subscription[],
): Promise<{ ids: SubscriptionIds; created: string[] }> {
	const ids = subscriptionsFor(existing ?? (await listSubscriptions.call(this)), callbackUrl, eventTypes);
	const created: string[] = [];
	for (const eventType of eventTypes) {
		if (ids[eventType]) continue;
		try {
			ids[eventType] = await createOrAdopt.call(this, eventType, callbackUrl, created);
		} catch (error) {
			const leftBehind = await rollBack.call(this, created);
			throw creationError.call(this, error, eventType, callbackUrl, leftBehind);
		}
	}
	return { ids, created };
}

async function createOrAdopt(
	this: LexofficeContext,
	eventType: string,
	callbackUrl: string,
	created: string[],
): Promise<string> {
	try {
		const answer = await lexofficeRequest.call(this, {
			method: 'POST',
			path: '/v1/event-subscriptions',
			body: { eventType, callbackUrl },
		});
		const { id } = createdSchema.parse(answer);
		created.push(id);
		return id;
	} catch (error) {
		const adopted =
			httpCodeOf(error) === 409
				? subscriptionsFor(await listSubscriptions.call(this), callbackUrl, [eventType])[eventType]
				: undefined;
		if (!adopted) throw new NodeApiError(this.getNode(), error as JsonObject);
		return adopted;
	}
}

/** Deletes what this call created; returns the ids it could not delete. */
async function rollBack(this: LexofficeContext, created: string[]): Promise<string[]> {
	const leftBehind: string[] = [];
	for (const subscriptionId of created) {
		try {
			await deleteSubscription.call(this, subscriptionId);
		} catch {
			leftBehind.push(subscriptionId);
		}
	}
	return leftBehind;
}

function creationError(
	this: LexofficeContext,
	error: unknown,
	eventType: string,
	callbackUrl: string,
	leftBehind: string[],
): Error {
	const status = httpCodeOf(error);
	const original = error instanceof Error ? error.message : String(error);
	const cleanup =
		leftBehind.length === 0
			? 'No subscription was left behind.'
			: `Removing the subscriptions created before the failure failed for ${leftBehind.join(', ')}; the next activation adopts or removes them.`;
	if (status !== 406) {
		const wrapped = new NodeApiError(this.getNode(), error as JsonObject);
		if (leftBehind.length > 0) wrapped.description = [wrapped.description, cleanup].filter(Boolean).join('\n\n');
		return wrapped;
	}
	const https = callbackUrl.startsWith('https://')
		? ''
		: ` LexOffice only accepts HTTPS callback URLs, and this one is "${callbackUrl}": set n8n's WEBHOOK_URL to its public HTTPS address.`;
	const details = error instanceof NodeApiError && error.description ? `LexOffice: ${error.description}\n\n` : '';
	return new NodeApiError(this.getNode(), { message: original, httpCode: '406' } as JsonObject, {
		httpCode: '406',
		message: `LexOffice refused the callback URL for "${eventType}" (406: ${original})`,
		description:
			details +
			"LexOffice checks a new subscription's callback URL with a HEAD request and answers 406 when that check fails. " +
			'n8n only answers its webhook URL once activation has finished, so a LexOffice that insists on a successful ' +
			`answer refuses the URL while the workflow is being activated.${https} ${cleanup} ` +
			'To subscribe anyway, turn off "Create Subscriptions on Activation" in this trigger\'s options and add a ' +
			'"LexOffice Poll Trigger" with Resource "Webhook Subscription" and this production URL: it creates the ' +
			'subscriptions once the URL answers.',
	});
}

/** The trigger's own bookkeeping in the node's static data (saved by n8n after activation). */
export interface TriggerStaticData extends IDataObject {
	callbackUrl?: string;
	subscriptionIds?: SubscriptionIds;
}
