import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';

import { entityTypeOfId, positiveId, type CrmEntityType } from '../Bitrix24/helpers/crmEntities';
import { formText, objectAt } from './formBody';

/**
 * The CRM events the trigger offers, under their documented names (bitrix24-api.md §10).
 * Bitrix24 treats event names case-insensitively and reports them upper-case (`event.get`, the
 * `event` field of a delivery), so names are always compared with `sameEvent`.
 */
export const CRM_EVENTS = [
	{ value: 'ONCRMCONTACTADD', name: 'Contact Created', entityTypeId: 3, action: 'add' },
	{ value: 'ONCRMCONTACTUPDATE', name: 'Contact Updated', entityTypeId: 3, action: 'update' },
	{ value: 'ONCRMCONTACTDELETE', name: 'Contact Deleted', entityTypeId: 3, action: 'delete' },
	{ value: 'ONCRMCOMPANYADD', name: 'Company Created', entityTypeId: 4, action: 'add' },
	{ value: 'ONCRMCOMPANYUPDATE', name: 'Company Updated', entityTypeId: 4, action: 'update' },
	{ value: 'ONCRMCOMPANYDELETE', name: 'Company Deleted', entityTypeId: 4, action: 'delete' },
	// One event family for every smart process and smart invoices; the payload names the type.
	{ value: 'onCrmDynamicItemAdd', name: 'Smart Invoice / SPA Item Created', entityTypeId: 'dynamic', action: 'add' },
	{
		value: 'onCrmDynamicItemUpdate',
		name: 'Smart Invoice / SPA Item Updated',
		entityTypeId: 'dynamic',
		action: 'update',
	},
	{
		value: 'onCrmDynamicItemDelete',
		name: 'Smart Invoice / SPA Item Deleted',
		entityTypeId: 'dynamic',
		action: 'delete',
	},
] as const;

export type CrmEventName = (typeof CRM_EVENTS)[number]['value'];
export type CrmEventAction = (typeof CRM_EVENTS)[number]['action'];

export const CRM_EVENT_OPTIONS: INodePropertyOptions[] = CRM_EVENTS.map(({ name, value }) => ({ name, value }));

export function sameEvent(a: string, b: string): boolean {
	return a.toUpperCase() === b.toUpperCase();
}

export function findCrmEvent(name: string) {
	return CRM_EVENTS.find((event) => sameEvent(event.value, name));
}

export function isDynamicItemEvent(name: string): boolean {
	return findCrmEvent(name)?.entityTypeId === 'dynamic';
}

/** One delivered CRM event, without the tokens Bitrix24 sends along. */
export interface CrmEventCall {
	event: string;
	action: CrmEventAction;
	entityType: CrmEntityType | null;
	entityTypeId: number | null;
	id: number | null;
	/** As Bitrix24 sent it: `data.FIELDS.ID` (and `ENTITY_TYPE_ID` for dynamic items). */
	data: IDataObject;
	eventHandlerId: string;
	ts: string;
	/** `auth` minus `access_token`, `refresh_token` and `application_token`. */
	auth: IDataObject;
}

const SECRET_AUTH_KEYS = new Set(['access_token', 'refresh_token', 'application_token']);

/** Undefined when the event is not one the trigger knows. */
export function parseCrmEventCall(body: IDataObject): CrmEventCall | undefined {
	const known = findCrmEvent(formText(body.event));
	if (!known) return undefined;
	const data = objectAt(body.data);
	const fields = objectAt(data.FIELDS);
	const entityTypeId = known.entityTypeId === 'dynamic' ? positiveId(fields.ENTITY_TYPE_ID) : known.entityTypeId;
	const auth = Object.fromEntries(Object.entries(objectAt(body.auth)).filter(([key]) => !SECRET_AUTH_KEYS.has(key)));
	return {
		event: formText(body.event).toUpperCase(),
		action: known.action,
		entityType: entityTypeId === null ? null : (entityTypeOfId(entityTypeId) ?? null),
		entityTypeId,
		id: positiveId(fields.ID),
		data,
		eventHandlerId: formText(body.event_handler_id),
		ts: formText(body.ts),
		auth,
	};
}
