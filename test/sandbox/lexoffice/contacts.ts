import { randomUUID } from 'node:crypto';

import { json, type ApiResponse } from '../common';
import { isObject, type Handler, type LexofficeContext } from './context';
import { legacyError, validationIssue, type Issue } from './errors';
import { parsePaging, springPage } from './paging';
import { likeMatcher } from './search';
import type { LexofficeState } from './state';
import { lexofficeTimestamp } from './time';
import type { ActionResult, Contact } from './types';

/** Contacts: lexoffice-api.md §3. All errors here use the LEGACY IssueList format (§7.2). */

/** The writable part of a contact; everything else is set by LexOffice. */
export type ContactFields = Pick<
	Contact,
	'roles' | 'company' | 'person' | 'addresses' | 'xRechnung' | 'emailAddresses' | 'phoneNumbers' | 'note'
>;

const WRITABLE_KEYS = [
	'roles',
	'company',
	'person',
	'addresses',
	'xRechnung',
	'emailAddresses',
	'phoneNumbers',
	'note',
] as const;

const COUNTRY_CODE = /^[A-Z]{2}(_[A-Z0-9]+)?$/;

export function contactName(contact: Pick<Contact, 'company' | 'person'>): string {
	if (contact.company) return contact.company.name;
	return [contact.person?.firstName, contact.person?.lastName].filter(Boolean).join(' ');
}

/** Adds a contact to the state as LexOffice would: new id, role numbers, version 1. */
export function storeNewContact(
	state: LexofficeState,
	fields: ContactFields,
	extra: { id?: string; archived?: boolean; version?: number } = {},
): Contact {
	const contact: Contact = {
		id: extra.id ?? randomUUID(),
		organizationId: state.organizationId,
		version: extra.version ?? 1,
		...structuredClone(fields),
		archived: extra.archived ?? false,
	};
	state.assignRoleNumbers(contact);
	state.contacts.set(contact.id, contact);
	const now = lexofficeTimestamp();
	state.contactDates.set(contact.id, { createdDate: now, updatedDate: now });
	return contact;
}

/** Replaces the writable fields, keeps role numbers and `archived` (both read-only, §3.3), bumps the version. */
export function replaceContactFields(state: LexofficeState, contact: Contact, fields: ContactFields): Contact {
	const previousRoles = contact.roles;
	for (const key of WRITABLE_KEYS) delete contact[key];
	Object.assign(contact, structuredClone(fields));
	for (const role of ['customer', 'vendor'] as const) {
		if (contact.roles[role]) contact.roles[role] = { number: previousRoles[role]?.number };
	}
	state.assignRoleNumbers(contact);
	contact.version += 1;
	const dates = state.contactDates.get(contact.id);
	const now = lexofficeTimestamp();
	state.contactDates.set(contact.id, { createdDate: dates?.createdDate ?? now, updatedDate: now });
	return contact;
}

export function contactActionResult(ctx: LexofficeContext, contact: Contact, requestUrlBase: string): ActionResult {
	const dates = ctx.state.contactDates.get(contact.id);
	return {
		id: contact.id,
		resourceUri: `${requestUrlBase}/v1/contacts/${contact.id}`,
		createdDate: dates?.createdDate ?? lexofficeTimestamp(),
		updatedDate: dates?.updatedDate ?? lexofficeTimestamp(),
		version: contact.version,
	};
}

/**
 * Create/update validation (§3.3 "Create requirements", §3.4). The i18nKey `missing_entity` is
 * documented; `invalid_value` for malformed or too many entries is this sandbox's choice (the live
 * key is not documented).
 */
export function validateContactBody(body: Record<string, unknown>, mode: 'create' | 'update'): Issue[] {
	const issues: Issue[] = [];
	const invalidValue = (source: string) => issues.push(validationIssue(source, 'invalid_value'));
	const missing = (source: string) => issues.push(validationIssue(source));

	if (body.version === undefined || body.version === null) missing('version');
	else if (typeof body.version !== 'number' || (mode === 'create' && body.version !== 0)) invalidValue('version');

	const roles = body.roles;
	if (!isObject(roles) || (!isObject(roles.customer) && !isObject(roles.vendor))) missing('roles');

	const { company, person } = body;
	if (company !== undefined && company !== null && person !== undefined && person !== null) invalidValue('company');
	if (isObject(company)) {
		if (typeof company.name !== 'string' || company.name.trim() === '') missing('company.name');
		if (typeof company.vatRegistrationId === 'string' && /^DE/i.test(company.vatRegistrationId)) {
			if (!/^DE\d{9}$/.test(company.vatRegistrationId)) invalidValue('company.vatRegistrationId');
		}
		const persons = company.contactPersons;
		if (persons !== undefined && !Array.isArray(persons)) invalidValue('company.contactPersons');
		(Array.isArray(persons) ? persons : []).forEach((entry: unknown, index) => {
			const source = `company.contactPersons[${index}]`;
			if (!isObject(entry) || typeof entry.lastName !== 'string' || entry.lastName.trim() === '') {
				missing(`${source}.lastName`);
				return;
			}
			if (typeof entry.salutation === 'string' && entry.salutation.length > 25) invalidValue(`${source}.salutation`);
			if (entry.emailAddress !== undefined && !isEmail(entry.emailAddress)) invalidValue(`${source}.emailAddress`);
		});
	} else if (isObject(person)) {
		if (typeof person.lastName !== 'string' || person.lastName.trim() === '') missing('person.lastName');
		if (typeof person.salutation === 'string' && person.salutation.length > 25) invalidValue('person.salutation');
	} else {
		missing('person');
	}

	const addresses = isObject(body.addresses) ? body.addresses : {};
	for (const kind of ['billing', 'shipping'] as const) {
		const list = addresses[kind];
		(Array.isArray(list) ? list : []).forEach((entry: unknown, index) => {
			const code = isObject(entry) ? entry.countryCode : undefined;
			if (code === undefined || code === null || code === '') missing(`addresses.${kind}[${index}].countryCode`);
			else if (typeof code !== 'string' || !COUNTRY_CODE.test(code))
				invalidValue(`addresses.${kind}[${index}].countryCode`);
		});
	}

	const emails = isObject(body.emailAddresses) ? body.emailAddresses : {};
	for (const [kind, list] of Object.entries(emails)) {
		(Array.isArray(list) ? list : [list]).forEach((value: unknown, index) => {
			if (!isEmail(value)) invalidValue(`emailAddresses.${kind}[${index}]`);
		});
	}

	const xRechnung = body.xRechnung;
	if (isObject(xRechnung) && Boolean(xRechnung.buyerReference) !== Boolean(xRechnung.vendorNumberAtCustomer)) {
		missing(xRechnung.buyerReference ? 'xRechnung.vendorNumberAtCustomer' : 'xRechnung.buyerReference');
	}
	if (typeof body.note === 'string' && body.note.length > 1000) invalidValue('note');

	for (const source of listsWithSeveralEntries(body)) invalidValue(source);
	return issues;
}

/**
 * §3.4: contacts can only be created or changed with at most one contact person, one billing and
 * one shipping address and one entry per email/phone list; a PUT of a contact that has more fails.
 */
export function listsWithSeveralEntries(contact: Record<string, unknown>): string[] {
	const lists: Array<[string, unknown]> = [];
	const addresses = isObject(contact.addresses) ? contact.addresses : {};
	lists.push(['addresses.billing', addresses.billing], ['addresses.shipping', addresses.shipping]);
	for (const group of ['emailAddresses', 'phoneNumbers'] as const) {
		const entries = isObject(contact[group]) ? (contact[group] as Record<string, unknown>) : {};
		for (const [kind, list] of Object.entries(entries)) lists.push([`${group}.${kind}`, list]);
	}
	if (isObject(contact.company)) lists.push(['company.contactPersons', contact.company.contactPersons]);
	return lists.filter(([, list]) => Array.isArray(list) && list.length > 1).map(([source]) => source);
}

function isEmail(value: unknown): boolean {
	return typeof value === 'string' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}

function writableFields(body: Record<string, unknown>): ContactFields {
	const fields: Record<string, unknown> = {};
	for (const key of WRITABLE_KEYS) {
		if (body[key] !== undefined && body[key] !== null) fields[key] = body[key];
	}
	const roles = fields.roles as ContactFields['roles'];
	fields.roles = {
		...(roles.customer ? { customer: {} } : {}),
		...(roles.vendor ? { vendor: {} } : {}),
	};
	return fields as ContactFields;
}

const notFound = (): ApiResponse => legacyError(404, [{ i18nKey: 'not_found', source: 'id', type: 'not_found' }]);

function baseUrl(headers: Record<string, string | string[] | undefined>): string {
	return `http://${String(headers.host ?? '127.0.0.1')}`;
}

export const createContact: Handler = (ctx, request, _params, body) => {
	if (!isObject(body))
		return legacyError(400, [{ i18nKey: 'bad_request_error', source: 'body', type: 'bad_request_error' }]);
	const issues = validateContactBody(body, 'create');
	if (issues.length > 0) return legacyError(406, issues);
	const contact = storeNewContact(ctx.state, writableFields(body));
	ctx.emit('contact.created', contact.id);
	const result = contactActionResult(ctx, contact, baseUrl(request.headers));
	return json(201, result, { Location: result.resourceUri });
};

export const getContact: Handler = (ctx, _request, [id]) => {
	const contact = ctx.state.contacts.get(id);
	return contact ? json(200, contact) : notFound();
};

export const updateContact: Handler = (ctx, request, [id], body) => {
	const contact = ctx.state.contacts.get(id);
	if (!contact) return notFound();
	if (!isObject(body))
		return legacyError(400, [{ i18nKey: 'bad_request_error', source: 'body', type: 'bad_request_error' }]);
	// §3.5 optimistic locking: a stale version is a conflict, whatever else the body says.
	if (typeof body.version === 'number' && body.version !== contact.version) {
		return legacyError(409, [{ i18nKey: 'conflict', source: 'version', type: 'conflict' }]);
	}
	const issues = validateContactBody(body, 'update');
	if (issues.length > 0) return legacyError(406, issues);
	// `archived` in the body is accepted but ignored (read-only, verified live: §3.3).
	replaceContactFields(ctx.state, contact, writableFields(body));
	ctx.emit('contact.changed', contact.id);
	return json(200, contactActionResult(ctx, contact, baseUrl(request.headers)));
};

const SEARCH_FILTERS = ['email', 'name'] as const;
const ALL_FILTERS = [...SEARCH_FILTERS, 'number', 'customer', 'vendor'] as const;

/** §3.2: filters are AND-combined; sorted by name, not changeable; archived contacts included. */
export const listContacts: Handler = (ctx, request) => {
	const { query, searchParams } = request;
	const badRequest = (source: string) =>
		legacyError(400, [{ i18nKey: 'bad_request_error', source, type: 'validation_failure' }]);
	for (const filter of ALL_FILTERS) {
		if (searchParams.getAll(filter).length > 1) return badRequest(filter);
	}
	for (const filter of SEARCH_FILTERS) {
		if (query[filter] !== undefined && query[filter].length < 3) {
			return badRequest('size must be between 3 and 2147483647');
		}
	}
	const paging = parsePaging(query);
	if ('error' in paging) return badRequest(paging.error);

	const predicates: Array<(contact: Contact) => boolean> = [];
	if (query.email !== undefined) {
		const matches = likeMatcher(query.email);
		predicates.push((contact) => contactEmails(contact).some(matches));
	}
	if (query.name !== undefined) {
		const matches = likeMatcher(query.name);
		predicates.push((contact) => matches(contactName(contact)));
	}
	if (query.number !== undefined) {
		const number = Number(query.number);
		if (!Number.isInteger(number)) return badRequest('number');
		predicates.push((contact) => contact.roles.customer?.number === number || contact.roles.vendor?.number === number);
	}
	for (const role of ['customer', 'vendor'] as const) {
		const value = query[role];
		if (value === undefined) continue;
		if (value !== 'true' && value !== 'false') return badRequest(role);
		predicates.push((contact) => Boolean(contact.roles[role]) === (value === 'true'));
	}

	const matching = [...ctx.state.contacts.values()]
		.filter((contact) => predicates.every((predicate) => predicate(contact)))
		.sort((a, b) => sortName(a).localeCompare(sortName(b), 'de') || a.id.localeCompare(b.id));
	return json(200, springPage(matching, paging, [{ property: 'name', direction: 'ASC' }]));
};

function sortName(contact: Contact): string {
	if (contact.company) return contact.company.name;
	return `${contact.person?.lastName ?? ''} ${contact.person?.firstName ?? ''}`;
}

/** The contact's own addresses and, since 22.04.2024, its contact persons' (§3.2). */
function contactEmails(contact: Contact): string[] {
	const own = Object.values(contact.emailAddresses ?? {}).flat();
	const persons = (contact.company?.contactPersons ?? []).map((person) => person.emailAddress ?? '');
	return [...own, ...persons].filter((email) => email !== '');
}
