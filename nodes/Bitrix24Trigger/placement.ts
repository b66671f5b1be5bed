import type { IDataObject } from 'n8n-workflow';

import { entityOfPlacement, positiveId, type CrmEntityType } from '../Bitrix24/helpers/crmEntities';
import { formText, objectAt } from './formBody';

/**
 * A click on an app's placement (widget), e.g. a "LexOffice: Rechnung erstellen" item in a
 * contact's toolbar. Bitrix24 POSTs `DOMAIN`, `PROTOCOL`, `LANG`, `APP_SID` in the query string
 * and the rest in the body; `PLACEMENT_OPTIONS` is a JSON string with `ID` (or `ENTITY_ID`)
 * and `URI` (bitrix24-api.md §9).
 */
export interface PlacementCall {
	placement: string;
	entityType: CrmEntityType | null;
	entityTypeId: number | null;
	id: number | null;
	options: IDataObject;
	portal: { domain: string; url: string; memberId: string };
	/** The record's page in Bitrix24, when the placement told us (`URI`). */
	recordUrl: string | null;
	language: string;
}

function parseOptions(value: unknown): IDataObject {
	if (typeof value === 'object' && !Array.isArray(value)) return objectAt(value);
	try {
		return objectAt(JSON.parse(formText(value)));
	} catch {
		// Not JSON (or missing): the call still identifies the placement, just not the record.
		return {};
	}
}

/** A bare host name like `acme.bitrix24.de` or `127.0.0.1:8080`; anything else is not trusted. */
function hostName(value: string): string {
	return /^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(value) ? value.toLowerCase() : '';
}

export function parsePlacementCall(body: IDataObject, query: IDataObject): PlacementCall {
	const read = (key: string) => formText(query[key]) || formText(body[key]);
	const placement = read('PLACEMENT').toUpperCase();
	const options = parseOptions(body.PLACEMENT_OPTIONS ?? query.PLACEMENT_OPTIONS);
	const entity = entityOfPlacement(placement);
	const domain = hostName(read('DOMAIN'));
	const portalUrl = domain ? `${read('PROTOCOL') === '0' ? 'http' : 'https'}://${domain}` : '';
	const uri = formText(options.URI);
	return {
		placement,
		entityType: entity?.entityType ?? null,
		entityTypeId: entity?.entityTypeId ?? null,
		id: positiveId(options.ID ?? options.ENTITY_ID),
		options,
		portal: { domain, url: portalUrl, memberId: read('member_id') },
		recordUrl: portalUrl && uri.startsWith('/') && !uri.startsWith('//') ? `${portalUrl}${uri}` : null,
		language: read('LANG'),
	};
}
