import { NodeApiError, type IDataObject, type JsonObject } from 'n8n-workflow';

import { httpCodeOf } from '../transport/errors';
import { lexofficeRequest, type LexofficeContext } from '../transport/request';
import { DEFAULT_APP_URL, eventPermalinks, resourcePath } from './eventResources';

/** The four fields of a LexOffice event (lexoffice-api.md §6.3) as far as an item needs them. */
export interface LexofficeEvent {
	eventType: string;
	resourceId: string;
}

/**
 * The current state of what the event is about (the callback carries no resource data, §6.3).
 * Deleted resources answer 404: `{ deleted: true }`. Payments of a draft answer 406, "not an error
 * condition" (§6.2, §8.1): `{ available: false }`. Undefined for event types without a resource
 * endpoint. Any other failure is thrown.
 */
export async function fetchEventResource(
	this: LexofficeContext,
	event: LexofficeEvent,
): Promise<IDataObject | undefined> {
	const path = resourcePath(event.eventType, event.resourceId);
	if (!path) return undefined;
	if (event.eventType.endsWith('.deleted')) return { deleted: true };
	try {
		return (await lexofficeRequest.call(this, { path })) as IDataObject;
	} catch (error) {
		const httpCode = httpCodeOf(error);
		if (httpCode === 404) return { deleted: true };
		if (httpCode === 406 && event.eventType === 'payment.changed') {
			return { available: false, message: error instanceof Error ? error.message : String(error) };
		}
		throw error instanceof NodeApiError ? error : new NodeApiError(this.getNode(), error as JsonObject);
	}
}

/** The event item: the event's fields, `resource` when given, permalinks where documented (§4.4). */
export function eventItem(event: LexofficeEvent, appUrl: string | undefined, resource?: IDataObject): IDataObject {
	const item: IDataObject = { ...(event as unknown as IDataObject) };
	if (resource) item.resource = resource;
	const gone = event.eventType.endsWith('.deleted') || resource?.deleted === true;
	if (!gone) {
		const links = eventPermalinks(event.eventType, event.resourceId, appUrl || DEFAULT_APP_URL, resource);
		if (Object.keys(links).length > 0) item.permalinks = { ...links };
		else delete item.permalinks;
	} else {
		delete item.permalinks;
	}
	return item;
}
