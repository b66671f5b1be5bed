import type { IDataObject } from 'n8n-workflow';

import {
	formatLexofficeDateTime,
	lexofficeGetAll,
	lexofficePages,
	type LexofficeContext,
} from '../../Lexoffice/transport';
import { permalinksFor } from '../../Lexoffice/helpers/eventResources';

/**
 * Contact versions by id, from the previous scan. Ids are stored as 22 base64url characters
 * instead of 36 (a UUID's 16 bytes) because the map holds every contact of the organization.
 */
export interface ContactPollState extends IDataObject {
	versions: Record<string, number>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function compactId(id: string): string {
	return UUID.test(id) ? Buffer.from(id.replace(/-/g, ''), 'hex').toString('base64url') : id;
}

export function expandId(key: string): string {
	if (key.length !== 22) return key;
	const hex = Buffer.from(key, 'base64url').toString('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface ContactPollOptions {
	now: number;
	appUrl: string;
}

/**
 * Contacts have no created/updated dates and cannot be filtered or sorted by change
 * (lexoffice-api.md §3.2, §3.3), so each run scans them all and compares `version` with the
 * previous scan: new id → contact.created, other version → contact.changed, missing →
 * contact.deleted. The first run only records the versions and emits nothing.
 */
export async function pollContacts(
	this: LexofficeContext,
	state: ContactPollState | undefined,
	options: ContactPollOptions,
): Promise<{ items: IDataObject[]; state: ContactPollState }> {
	const contacts = await lexofficeGetAll.call(this, '/v1/contacts');
	const versions: Record<string, number> = {};
	const items: IDataObject[] = [];
	const eventDate = formatLexofficeDateTime(options.now);
	for (const contact of contacts) {
		const id = String(contact.id);
		const key = compactId(id);
		const version = Number(contact.version);
		versions[key] = version;
		const previous = state?.versions[key];
		if (!state || previous === version) continue;
		const eventType = previous === undefined ? 'contact.created' : 'contact.changed';
		items.push(contactItem(eventType, id, eventDate, contact, options.appUrl));
	}
	for (const key of Object.keys(state?.versions ?? {})) {
		if (versions[key] === undefined) {
			items.push(contactItem('contact.deleted', expandId(key), eventDate, { deleted: true }, options.appUrl));
		}
	}
	return { items, state: { versions } };
}

/** The first contact of the list, as a sample for the editor's "Fetch Test Event". */
export async function sampleContact(this: LexofficeContext, options: ContactPollOptions): Promise<IDataObject[]> {
	const eventDate = formatLexofficeDateTime(options.now);
	for await (const page of lexofficePages.call(this, '/v1/contacts', {}, { limit: 1 })) {
		return page.content.map((contact) =>
			contactItem('contact.changed', String(contact.id), eventDate, contact, options.appUrl),
		);
	}
	return [];
}

/** Same shape as the webhook trigger's items. */
function contactItem(
	eventType: string,
	id: string,
	eventDate: string,
	resource: IDataObject,
	appUrl: string,
): IDataObject {
	return {
		eventType,
		resourceId: id,
		eventDate,
		resource,
		...(resource.deleted === true ? {} : { permalinks: { ...permalinksFor('contact', id, appUrl) } }),
		source: 'poll',
	};
}
