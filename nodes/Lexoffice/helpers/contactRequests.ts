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

/** One page of contacts as `nextContactPage` read it. */
export interface ContactPage {
	contacts: IDataObject[];
	/** The 0-based page the contacts came from. */
	page: number;
	/** True when LexOffice said it was the last page (or had nothing more). */
	last: boolean;
	/** All contacts LexOffice lists (capped at its search window, §9). */
	totalElements?: number;
}

/**
 * The next page of contacts from `startPage` on (250, the most LexOffice serves, §3.2). Pages
 * whose contacts are all archived, when those are not wanted, are passed over, so a loop that
 * stops at an empty page only stops at the end.
 */
export async function nextContactPage(
	this: LexofficeContext,
	startPage: number,
	{ includeArchived }: { includeArchived: boolean },
): Promise<ContactPage> {
	let page = startPage;
	for await (const read of lexofficePages.call(this, '/v1/contacts', {}, { startPage })) {
		const contacts = includeArchived ? read.content : read.content.filter((contact) => !isArchived(contact));
		if (contacts.length > 0 || read.last) return { contacts, page, last: read.last, totalElements: read.totalElements };
		page++;
	}
	return { contacts: [], page, last: true };
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
