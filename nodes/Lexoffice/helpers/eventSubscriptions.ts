import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import { lexofficeRequest, unexpectedResponseError, type LexofficeContext } from '../transport';

/**
 * Event subscriptions as LexOffice lists them (lexoffice-api.md §6.1), shared by the node's
 * Event Subscription operations and the LexOffice Trigger.
 */
export const subscriptionSchema = z
	.object({ subscriptionId: z.string(), eventType: z.string(), callbackUrl: z.string() })
	.passthrough();

export type Subscription = IDataObject & { subscriptionId: string; eventType: string; callbackUrl: string };

/** GET /v1/event-subscriptions → `{ content: [ … ] }`, no paging. */
const subscriptionListSchema = z.object({ content: z.array(subscriptionSchema) });

export async function listSubscriptions(this: LexofficeContext): Promise<Subscription[]> {
	const answer = await lexofficeRequest.call(this, { path: '/v1/event-subscriptions' });
	const list = subscriptionListSchema.safeParse(answer);
	if (!list.success) throw unexpectedResponseError(this.getNode(), 'a list of event subscriptions', list.error.message);
	return list.data.content as Subscription[];
}

export function parseSubscription(this: LexofficeContext, body: unknown): Subscription {
	const subscription = subscriptionSchema.safeParse(body);
	if (!subscription.success)
		throw unexpectedResponseError(this.getNode(), 'an event subscription', subscription.error.message);
	return subscription.data as Subscription;
}
