import type { IDataObject } from 'n8n-workflow';

import { httpCodeOf } from '../Lexoffice/transport/errors';
import { lexofficeRequest, type LexofficeContext } from '../Lexoffice/transport/request';
import { DEFAULT_APP_URL, eventPermalinks, resourcePath } from '../Lexoffice/helpers/eventResources';
import type { WebhookPayload } from './payload';

type ResourceOutcome = { resource: IDataObject } | { resourceError: IDataObject } | Record<string, never>;

/**
 * The current state of what the event is about (the callback carries no resource data,
 * lexoffice-api.md §6.3). Deleted resources answer 404: `{ deleted: true }`. Payments of a draft
 * answer 406, "not an error condition" (§6.2, §8.1): `{ available: false }`. The delivery has been
 * acknowledged by now, so any other failure is put on the item rather than losing the event.
 */
async function fetchResource(this: LexofficeContext, eventType: string, resourceId: string): Promise<ResourceOutcome> {
	const path = resourcePath(eventType, resourceId);
	if (!path) return {};
	if (eventType.endsWith('.deleted')) return { resource: { deleted: true } };
	try {
		return { resource: (await lexofficeRequest.call(this, { path })) as IDataObject };
	} catch (error) {
		const httpCode = httpCodeOf(error);
		const message = error instanceof Error ? error.message : String(error);
		if (httpCode === 404) return { resource: { deleted: true } };
		if (httpCode === 406 && eventType === 'payment.changed') return { resource: { available: false, message } };
		return { resourceError: { message, ...(httpCode ? { httpCode } : {}) } };
	}
}

/** The output item: the event fields, `resource` when fetched, permalinks where documented (§4.4). */
export async function buildEventItem(
	this: LexofficeContext,
	payload: WebhookPayload,
	options: { fetch: boolean; appUrl?: string },
): Promise<IDataObject> {
	const item: IDataObject = { ...payload };
	const outcome = options.fetch ? await fetchResource.call(this, payload.eventType, payload.resourceId) : {};
	Object.assign(item, outcome);
	const resource = 'resource' in outcome ? outcome.resource : undefined;
	const gone = payload.eventType.endsWith('.deleted') || resource?.deleted === true;
	if (!gone) {
		const links = eventPermalinks(payload.eventType, payload.resourceId, options.appUrl || DEFAULT_APP_URL, resource);
		if (Object.keys(links).length > 0) item.permalinks = { ...links };
	}
	return item;
}
