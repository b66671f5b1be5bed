import type { IDataObject } from 'n8n-workflow';

import type { LexofficeAddress } from '../../shared/contract/addresses';
import {
	EMAIL_KINDS,
	NOTE_MAX,
	PHONE_KINDS,
	SALUTATION_MAX,
	type EmailKind,
	type PhoneKind,
} from '../../shared/contract/lexofficeFields';
import type { InputCheck } from './input';

/** LexOffice contacts (lexoffice-api.md §3): what a write may contain and how changes are applied. */

export { EMAIL_KINDS, NOTE_MAX, PHONE_KINDS, SALUTATION_MAX, type EmailKind, type PhoneKind };
export type ContactRole = 'customer' | 'vendor';
export type ContactAddress = LexofficeAddress;

export interface ContactPerson {
	salutation?: string;
	firstName?: string;
	lastName: string;
	primary?: boolean;
	emailAddress?: string;
	phoneNumber?: string;
}

/**
 * The fields a user wants written. `undefined` = leave as it is; `null` = remove (Update only).
 * Every list LexOffice keeps (addresses, emails, phones, contact persons) gets exactly one entry,
 * because a contact with more cannot be written through the API (§3.4).
 */
export interface ContactChanges {
	roles?: ContactRole[];
	companyName?: string;
	taxNumber?: string | null;
	vatRegistrationId?: string | null;
	allowTaxFreeInvoices?: boolean;
	contactPerson?: ContactPerson;
	salutation?: string | null;
	firstName?: string | null;
	lastName?: string;
	billingAddress?: ContactAddress;
	shippingAddress?: ContactAddress;
	emails?: Partial<Record<EmailKind, string | null>>;
	phones?: Partial<Record<PhoneKind, string | null>>;
	note?: string | null;
	xRechnungBuyerReference?: string | null;
	xRechnungVendorNumber?: string | null;
}

/** Fields of one kind of contact, with their labels in the node. */
const COMPANY_ONLY = {
	companyName: 'Company Name',
	taxNumber: 'Tax Number',
	vatRegistrationId: 'VAT Registration ID',
	allowTaxFreeInvoices: 'Allow Tax-Free Invoices',
	contactPerson: 'Contact Person',
} as const;
const PERSON_ONLY = { salutation: 'Salutation', firstName: 'First Name', lastName: 'Last Name' } as const;

export const isObject = (value: unknown): value is IDataObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** The body of `POST /v1/contacts` (§3.3 "Create requirements": version 0, roles as empty objects). */
export function newContactBody(check: InputCheck, kind: 'company' | 'person', changes: ContactChanges): IDataObject {
	return applyContactChanges(check, { version: 0, roles: {}, [kind]: {} }, changes);
}

/**
 * The contact with the changes applied, ready for PUT (the whole object goes back, with its
 * `version`, §3.5). Throws before anything is sent when a change does not fit the contact.
 */
export function applyContactChanges(check: InputCheck, contact: IDataObject, changes: ContactChanges): IDataObject {
	const body = structuredClone(contact);
	const company = isObject(body.company) ? body.company : undefined;
	const person = isObject(body.person) ? body.person : undefined;
	refuseFieldsOfOtherKind(check, company ? 'company' : 'person', changes);

	if (changes.roles) {
		const current = isObject(body.roles) ? body.roles : {};
		// Kept roles keep their number (read-only, assigned by LexOffice); new ones are empty objects.
		body.roles = Object.fromEntries(changes.roles.map((role) => [role, isObject(current[role]) ? current[role] : {}]));
	}
	if (company) {
		setField(company, 'name', changes.companyName);
		setField(company, 'taxNumber', changes.taxNumber);
		setField(company, 'vatRegistrationId', changes.vatRegistrationId);
		setField(company, 'allowTaxFreeInvoices', changes.allowTaxFreeInvoices);
		if (changes.contactPerson) company.contactPersons = [{ ...changes.contactPerson }];
	}
	if (person) {
		setField(person, 'salutation', changes.salutation);
		setField(person, 'firstName', changes.firstName);
		setField(person, 'lastName', changes.lastName);
	}
	if (changes.billingAddress || changes.shippingAddress) {
		const addresses = isObject(body.addresses) ? body.addresses : {};
		if (changes.billingAddress) addresses.billing = [{ ...changes.billingAddress }];
		if (changes.shippingAddress) addresses.shipping = [{ ...changes.shippingAddress }];
		body.addresses = addresses;
	}
	setListEntries(body, 'emailAddresses', changes.emails);
	setListEntries(body, 'phoneNumbers', changes.phones);
	setField(body, 'note', changes.note);

	if (changes.xRechnungBuyerReference !== undefined || changes.xRechnungVendorNumber !== undefined) {
		const xRechnung = isObject(body.xRechnung) ? body.xRechnung : {};
		setField(xRechnung, 'buyerReference', changes.xRechnungBuyerReference);
		setField(xRechnung, 'vendorNumberAtCustomer', changes.xRechnungVendorNumber);
		body.xRechnung = Object.keys(xRechnung).length > 0 ? xRechnung : null;
	}
	checkContact(check, body);
	return body;
}

function refuseFieldsOfOtherKind(check: InputCheck, kind: 'company' | 'person', changes: ContactChanges): void {
	const fields: Record<string, string> = kind === 'company' ? PERSON_ONLY : COMPANY_ONLY;
	const foreign = Object.entries(fields)
		.filter(([field]) => changes[field as keyof ContactChanges] !== undefined)
		.map(([, label]) => label);
	if (foreign.length === 0) return;
	const fix =
		kind === 'company'
			? 'Use "Company Name" for the company, and "Contact Person" for a person at the company.'
			: 'Use "First Name" and "Last Name" for a person; company fields apply to company contacts only.';
	check.fail(`The contact is a ${kind}, so "${foreign.join('", "')}" cannot be set`, fix);
}

/** Writes a value; `null` removes the field; `undefined` leaves it. */
function setField(target: IDataObject, key: string, value: string | boolean | null | undefined): void {
	if (value === undefined) return;
	if (value === null) delete target[key];
	else target[key] = value;
}

function setListEntries(
	body: IDataObject,
	group: 'emailAddresses' | 'phoneNumbers',
	entries: Partial<Record<string, string | null>> | undefined,
): void {
	if (!entries || Object.keys(entries).length === 0) return;
	const lists = isObject(body[group]) ? body[group] : {};
	for (const [kind, value] of Object.entries(entries)) {
		if (value === undefined) continue;
		if (value === null) delete lists[kind];
		else lists[kind] = [value];
	}
	body[group] = lists;
}

/** What LexOffice would refuse anyway (§3.3), checked on the finished body so the field is named. */
function checkContact(check: InputCheck, body: IDataObject): void {
	const roles = isObject(body.roles) ? body.roles : {};
	if (!roles.customer && !roles.vendor) {
		check.fail('The contact needs a role', 'Choose Customer, Vendor or both in "Roles".');
	}
	if (isObject(body.company) && !String(body.company.name ?? '').trim()) {
		check.fail('"Company Name" is required', 'Enter the name of the company.');
	}
	if (isObject(body.person) && !String(body.person.lastName ?? '').trim()) {
		check.fail('"Last Name" is required', 'Enter the last name of the person.');
	}
	const xRechnung = isObject(body.xRechnung) ? body.xRechnung : {};
	if (Boolean(xRechnung.buyerReference) !== Boolean(xRechnung.vendorNumberAtCustomer)) {
		const missing = xRechnung.buyerReference ? 'XRechnung Vendor Number at Customer' : 'XRechnung Buyer Reference';
		check.fail(
			`"${missing}" is missing`,
			'LexOffice needs both XRechnung fields or neither (§3.3): the buyer reference (Leitweg-ID) and your vendor number at the customer.',
		);
	}
}

/**
 * §3.4: LexOffice cannot update a contact that has more than one contact person, billing or
 * shipping address, or entry in one email or phone list. Returns those lists with their sizes.
 */
export function listsWithSeveralEntries(contact: IDataObject): Array<{ list: string; entries: number }> {
	const lists: Array<[string, unknown]> = [];
	const addresses = isObject(contact.addresses) ? contact.addresses : {};
	lists.push(['addresses.billing', addresses.billing], ['addresses.shipping', addresses.shipping]);
	for (const group of ['emailAddresses', 'phoneNumbers'] as const) {
		const entries = isObject(contact[group]) ? contact[group] : {};
		for (const [kind, list] of Object.entries(entries)) lists.push([`${group}.${kind}`, list]);
	}
	if (isObject(contact.company)) lists.push(['company.contactPersons', contact.company.contactPersons]);
	return lists
		.filter(([, list]) => Array.isArray(list) && list.length > 1)
		.map(([list, entries]) => ({ list, entries: (entries as unknown[]).length }));
}

/** Every email of a contact: its own lists and its contact persons' (the email filter searches both, §3.2). */
export function contactEmails(contact: IDataObject): string[] {
	const own = Object.values(isObject(contact.emailAddresses) ? contact.emailAddresses : {}).flat();
	const company = isObject(contact.company) ? contact.company : {};
	const persons = (Array.isArray(company.contactPersons) ? company.contactPersons : []).map((person) =>
		isObject(person) ? person.emailAddress : undefined,
	);
	return [...own, ...persons].filter((email): email is string => typeof email === 'string' && email !== '');
}

/** "Testfirma GmbH" or "Inge Musterfrau". */
export function contactDisplayName(contact: IDataObject): string {
	if (isObject(contact.company)) return String(contact.company.name ?? '');
	const person = isObject(contact.person) ? contact.person : {};
	return [person.firstName, person.lastName].filter(Boolean).join(' ');
}

export function isArchived(contact: IDataObject): boolean {
	return contact.archived === true;
}

export function customerNumber(contact: IDataObject): number | undefined {
	const roles = isObject(contact.roles) ? contact.roles : {};
	const customer = isObject(roles.customer) ? roles.customer : undefined;
	return typeof customer?.number === 'number' ? customer.number : undefined;
}
