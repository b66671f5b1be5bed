import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import { lexofficePages, lexofficeRequest, unexpectedResponseError, type LexofficeContext, type Query } from '../transport';
import { isArchived } from './contacts';

/** Reading contacts (lexoffice-api.md §3.1, §3.2). */

const contactSchema = z.object({ id: z.string(), version: z.number() }).passthrough();

export async function getContact(this: LexofficeContext, id: string): Promise<IDataObject> {
	const body = await lexofficeRequest.call(this, { path: `/v1/contacts/${encodeURIComponent(id)}` });
	const contact = contactSchema.safeParse(body);
	if (!contact.success) throw unexpectedResponseError(this.getNode(), 'a contact', contact.error.message);
	return contact.data as IDataObject;
}

/**
 * Contacts matching the filters, in LexOffice's order (by name, §3.2). LexOffice lists archived
 * contacts too; unless they are wanted they are dropped here, and paging goes on until `limit`
 * contacts that count are found. Pages are as large as allowed, since requests are the scarce
 * resource (2 per second, §2).
 */
export async function findContacts(
	this: LexofficeContext,
	filters: Query,
	{ limit = Infinity, includeArchived }: { limit?: number; includeArchived: boolean },
): Promise<IDataObject[]> {
	const found: IDataObject[] = [];
	for await (const page of lexofficePages.call(this, '/v1/contacts', filters)) {
		for (const contact of page.content) {
			if (!includeArchived && isArchived(contact)) continue;
			found.push(contact);
			if (found.length >= limit) return found;
		}
	}
	return found;
}
