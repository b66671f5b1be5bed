import { seededRandom, seededUuid, type Random } from '../common/prng';
import type { Contact, ContactAddress, ContactPerson } from '../lexoffice/types';
import {
	ADDRESS_SUPPLEMENTS,
	COMPANY_STEMS,
	EMAIL_DOMAINS,
	FEMALE_FIRST_NAMES,
	LAST_NAMES,
	LEGAL_FORMS,
	MALE_FIRST_NAMES,
	NOTES,
	PLACES,
	STREETS,
	asciiLocalPart,
} from './german';

/** A seed contact: the LexOffice contact shape without the organization (the sandbox adds it). */
export type SeedContact = Omit<Contact, 'organizationId'>;

const FIRST_CUSTOMER_NUMBER = 10001;
const FIRST_VENDOR_NUMBER = 70001;

/**
 * `n` realistic German LexOffice contacts; the same (n, seed) always gives the same contacts.
 * Roughly 60 % persons, 40 % companies (legal forms incl. "GmbH & Co. KG", 0–3 contact persons),
 * billing and sometimes shipping addresses, and on some contacts several entries in one list —
 * which the API refuses to PUT back (lexoffice-api.md §3.4), like real data entered in the web app.
 */
export function generateLexofficeContacts(n: number, seed = 1): SeedContact[] {
	const random = seededRandom(seed);
	let customerNumber = FIRST_CUSTOMER_NUMBER;
	let vendorNumber = FIRST_VENDOR_NUMBER;
	return Array.from({ length: n }, (_, index) => {
		const roleDraw = random.next();
		const isCustomer = roleDraw < 0.9;
		const isVendor = roleDraw >= 0.75;
		const contact: SeedContact = {
			id: seededUuid(random),
			version: random.int(1, 6),
			roles: {
				...(isCustomer ? { customer: { number: customerNumber++ } } : {}),
				...(isVendor ? { vendor: { number: vendorNumber++ } } : {}),
			},
			archived: random.chance(0.08),
		};
		if (random.chance(0.6)) addPerson(contact, random);
		else addCompany(contact, random, index);
		contact.addresses = addresses(random);
		if (random.chance(0.3)) contact.note = random.pick(NOTES);
		return contact;
	});
}

function personName(random: Random): { salutation?: string; firstName: string; lastName: string } {
	const female = random.chance(0.5);
	const salutationDraw = random.next();
	const salutation =
		salutationDraw < 0.1
			? undefined
			: salutationDraw < 0.15
				? female
					? 'Frau Dr.'
					: 'Herr Dr.'
				: female
					? 'Frau'
					: 'Herr';
	return {
		...(salutation ? { salutation } : {}),
		firstName: random.pick(female ? FEMALE_FIRST_NAMES : MALE_FIRST_NAMES),
		lastName: random.pick(LAST_NAMES),
	};
}

function addPerson(contact: SeedContact, random: Random): void {
	const name = personName(random);
	contact.person = name;
	const local = asciiLocalPart(name.firstName, name.lastName);
	const emails = [`${local}@${random.pick(EMAIL_DOMAINS)}`];
	if (random.chance(0.15))
		emails.push(`${asciiLocalPart(name.lastName)}${random.int(1, 99)}@${random.pick(EMAIL_DOMAINS)}`);
	contact.emailAddresses = random.chance(0.9) ? { private: emails } : {};
	if (random.chance(0.2)) contact.emailAddresses.business = [`${local}@firma-${asciiLocalPart(name.lastName)}.de`];
	contact.phoneNumbers = { mobile: [mobileNumber(random)] };
	if (random.chance(0.3)) contact.phoneNumbers.private = [landline(random)];
	if (random.chance(0.1)) contact.phoneNumbers.mobile?.push(mobileNumber(random));
}

function addCompany(contact: SeedContact, random: Random, index: number): void {
	const stem = COMPANY_STEMS[index % COMPANY_STEMS.length];
	const name = `${stem} ${random.pick(LEGAL_FORMS)}`;
	const domain = `${asciiLocalPart(stem).replace(/\./g, '-')}.de`;
	const persons: ContactPerson[] = Array.from({ length: random.int(0, 3) }, (_, i) => {
		const person = personName(random);
		return {
			...person,
			primary: i === 0,
			emailAddress: `${asciiLocalPart(person.firstName, person.lastName)}@${domain}`,
			...(random.chance(0.7) ? { phoneNumber: landline(random) } : {}),
		};
	});
	contact.company = {
		name,
		...(random.chance(0.7)
			? { taxNumber: `${random.int(10, 99)}/${random.int(100, 999)}/${random.int(10000, 99999)}` }
			: {}),
		...(random.chance(0.6) ? { vatRegistrationId: `DE${random.int(100000000, 999999999)}` } : {}),
		allowTaxFreeInvoices: random.chance(0.1),
		contactPersons: persons,
	};
	const office = [`info@${domain}`];
	if (random.chance(0.2)) office.push(`buchhaltung@${domain}`);
	contact.emailAddresses = { business: office };
	if (random.chance(0.2)) contact.emailAddresses.other = [`rechnungen@${domain}`];
	contact.phoneNumbers = { business: [landline(random)] };
	if (random.chance(0.25)) contact.phoneNumbers.fax = [landline(random)];
	if (random.chance(0.1)) contact.phoneNumbers.business?.push(landline(random));
	if (random.chance(0.05)) {
		contact.xRechnung = {
			buyerReference: `04011000-${random.int(10000, 99999)}-${random.int(10, 99)}`,
			vendorNumberAtCustomer: String(random.int(70000000, 79999999)),
		};
	}
}

function address(random: Random): ContactAddress {
	const place = random.pick(PLACES);
	return {
		...(random.chance(0.15) ? { supplement: random.pick(ADDRESS_SUPPLEMENTS) } : {}),
		street: `${random.pick(STREETS)} ${random.int(1, 180)}${random.chance(0.1) ? 'a' : ''}`,
		zip: place.zip,
		city: place.city,
		countryCode: place.countryCode,
	};
}

function addresses(random: Random): NonNullable<Contact['addresses']> {
	const billing = [address(random)];
	if (random.chance(0.05)) billing.push(address(random));
	return { billing, ...(random.chance(0.4) ? { shipping: [address(random)] } : {}) };
}

function landline(random: Random): string {
	return `0${random.int(30, 999)} ${random.int(100000, 9999999)}`;
}

function mobileNumber(random: Random): string {
	return `+49 ${random.pick(['151', '160', '170', '176', '1520'])} ${random.int(1000000, 99999999)}`;
}
