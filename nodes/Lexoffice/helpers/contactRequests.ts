import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import {
	encodeSearchValue,
	lexofficePages,
	lexofficeRequest,
	unexpectedResponseError,
	type LexofficeContext,
	type Query,
} from '../transport';
import { contactEmails, customerNumber, isArchived } from './contacts';

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

/**
 * Contacts with exactly this email address. LexOffice's email filter matches parts of addresses,
 * with `_` and `%` as wildcards (§3.2), so the address is searched literally and the results are
 * narrowed to whole, case-insensitive matches.
 */
export async function contactsWithEmail(
	this: LexofficeContext,
	email: string,
	options: { includeArchived: boolean },
): Promise<IDataObject[]> {
	const wanted = email.toLowerCase();
	const candidates = await findContacts.call(this, { email: encodeSearchValue(email, { literal: true }) }, options);
	return candidates.filter((contact) => contactEmails(contact).some((address) => address.toLowerCase() === wanted));
}

/**
 * Contacts with this customer number. LexOffice's `number` filter matches customer *or* vendor
 * numbers (§3.2), so only contacts whose customer role has the number are kept.
 */
export async function contactsWithCustomerNumber(
	this: LexofficeContext,
	number: number,
	options: { includeArchived: boolean },
): Promise<IDataObject[]> {
	const candidates = await findContacts.call(this, { number, customer: true }, options);
	return candidates.filter((contact) => customerNumber(contact) === number);
}
