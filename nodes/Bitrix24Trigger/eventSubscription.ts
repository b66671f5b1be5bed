import { NodeOperationError, type IDataObject, type IHookFunctions } from 'n8n-workflow';

import { bitrix24Call } from '../Bitrix24/transport';
import { authenticationOf } from '../Bitrix24/transport/connection';
import { installPortal } from './appInstall';
import { expectedCaller, LEGACY_TOKEN_ADVICE, legacyTokenParameter } from './callerCheck';
import { sameEvent } from './crmEvents';
import { bindPlacements, placementsBound, placementsToBind, unbindPlacements } from './placementBinding';
import type { TriggerMode } from './description';

/**
 * The trigger's webhook lifecycle. Only CRM events with an OAuth2 (local application) credential
 * are subscribed through the API: `event.bind` needs application context (bitrix24-api.md §10).
 * An incoming-webhook credential relies on an outgoing webhook the user sets up in Bitrix24's
 * UI, and placements and the install callback are registered in Bitrix24 too, so for those the
 * methods only check the configuration and report "exists".
 */

interface BoundHandler {
	event: string;
	handler: string;
}

/** What `create` bound, so `delete` unbinds the same handler URL even if n8n's URL changed. */
interface SubscriptionData {
	handlerUrl?: string;
	boundEvents?: string[];
}

function subscribesThroughApi(this: IHookFunctions): boolean {
	return (this.getNodeParameter('mode') as TriggerMode) === 'events' && authenticationOf.call(this) === 'oAuth2';
}

function selectedEvents(this: IHookFunctions): string[] {
	return this.getNodeParameter('events', []) as string[];
}

function handlerUrl(this: IHookFunctions): string {
	const url = this.getNodeWebhookUrl('default');
	if (!url) throw new NodeOperationError(this.getNode(), 'n8n did not provide a webhook URL for this trigger');
	return url;
}

async function boundHandlers(this: IHookFunctions): Promise<BoundHandler[]> {
	const { result } = await bitrix24Call.call(this, 'event.get', {});
	return (Array.isArray(result) ? (result as IDataObject[]) : []).map((entry) => ({
		event: String(entry.event ?? ''),
		handler: String(entry.handler ?? ''),
	}));
}

/** Refuses to publish a trigger that could never accept a call (no token or portal to check against). */
async function assertCallsCanBeVerified(this: IHookFunctions): Promise<void> {
	const mode = this.getNodeParameter('mode') as TriggerMode;
	if (mode === 'appInstall') {
		if (installPortal.call(this)) return;
		throw new NodeOperationError(this.getNode(), 'No portal address to check installation callbacks against', {
			description: 'Enter your Bitrix24 portal in "Portal Address" (e.g. your-portal.bitrix24.de).',
		});
	}
	if (authenticationOf.call(this) === 'webhook' && legacyTokenParameter.call(this)) {
		throw new NodeOperationError(this.getNode(), 'The application token must move into the credential', {
			description: LEGACY_TOKEN_ADVICE,
		});
	}
	if ((await expectedCaller.call(this)).applicationToken !== '') return;
	throw new NodeOperationError(this.getNode(), 'No application token to check Bitrix24 calls against', {
		description:
			authenticationOf.call(this) === 'webhook'
				? 'Copy the application token Bitrix24 shows for the outgoing webhook into the "Bitrix24 Webhook API" credential\'s "Application Token (Outgoing Webhook)".'
				: 'Enter the application token from the app installation in the "Bitrix24 OAuth2 API" credential (use this trigger\'s "App Installation" mode to receive it).',
	});
}

export async function subscriptionExists(this: IHookFunctions): Promise<boolean> {
	await assertCallsCanBeVerified.call(this);
	if (placementsToBind.call(this).length > 0) return await placementsBound.call(this, handlerUrl.call(this));
	if (!subscribesThroughApi.call(this)) return true;
	const url = handlerUrl.call(this);
	const bound = await boundHandlers.call(this);
	return selectedEvents
		.call(this)
		.every((event) => bound.some((entry) => entry.handler === url && sameEvent(entry.event, event)));
}

export async function subscribe(this: IHookFunctions): Promise<boolean> {
	if (placementsToBind.call(this).length > 0) {
		await bindPlacements.call(this, handlerUrl.call(this));
		return true;
	}
	if (!subscribesThroughApi.call(this)) return true;
	const url = handlerUrl.call(this);
	const bound = await boundHandlers.call(this);
	const events = selectedEvents.call(this);
	for (const event of events) {
		const alreadyBound = bound.some((entry) => entry.handler === url && sameEvent(entry.event, event));
		if (!alreadyBound) await bitrix24Call.call(this, 'event.bind', { event, handler: url });
	}
	const subscription: SubscriptionData = { handlerUrl: url, boundEvents: events };
	Object.assign(this.getWorkflowStaticData('node'), subscription);
	return true;
}

export async function unsubscribe(this: IHookFunctions): Promise<boolean> {
	if ((this.getNodeParameter('mode') as TriggerMode) === 'placement') {
		await unbindPlacements.call(this, handlerUrl.call(this));
		return true;
	}
	if (!subscribesThroughApi.call(this)) return true;
	const staticData = this.getWorkflowStaticData('node');
	const remembered = staticData as SubscriptionData;
	const url = remembered.handlerUrl ?? handlerUrl.call(this);
	// Everything bound to this URL goes, including events deselected since `create`.
	const events = new Map<string, string>();
	for (const event of remembered.boundEvents ?? []) events.set(event.toUpperCase(), event);
	for (const entry of await boundHandlers.call(this)) {
		if (entry.handler === url) events.set(entry.event.toUpperCase(), entry.event);
	}
	for (const event of events.values()) await bitrix24Call.call(this, 'event.unbind', { event, handler: url });
	delete staticData.handlerUrl;
	delete staticData.boundEvents;
	return true;
}
