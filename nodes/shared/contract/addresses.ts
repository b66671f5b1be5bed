/**
 * Addresses between the two APIs. LexOffice keeps `street, supplement, zip, city, countryCode` with
 * extended country codes such as `ES_CN` (lexoffice-api.md §3.3, §9); Bitrix24 keeps ADDRESS_1,
 * ADDRESS_2, POSTAL_CODE, CITY, COUNTRY, COUNTRY_CODE and the region in PROVINCE on a requisite's
 * address (bitrix24-api.md §5), and shows a record's address as ADDRESS, ADDRESS_2, ADDRESS_CITY …
 * on crm.contact.get / crm.company.get (§4.2, "only for compatibility"). The writer
 * (toAddressValues) and its reader (lexofficeAddressOf) sit side by side.
 */
import type { IDataObject } from 'n8n-workflow';

import { joinCountryCode, splitCountryCode } from './countryCodes';

const textOf = (value: unknown) => (value === undefined || value === null ? '' : String(value).trim());

/**
 * The address fields this node writes; REGION and LOC_ADDR_ID are left as they are, PROVINCE only
 * when the values carry it (the region of an extended LexOffice country code such as `ES_CN`).
 */
export const MANAGED_ADDRESS_FIELDS = [
	'ADDRESS_1',
	'ADDRESS_2',
	'POSTAL_CODE',
	'CITY',
	'COUNTRY',
	'COUNTRY_CODE',
] as const;

export type AddressValues = Record<(typeof MANAGED_ADDRESS_FIELDS)[number], string> & { PROVINCE?: string };

export type CountryNameLanguage = 'de' | 'en';

/** A wrong address value, named by its parameter so the caller can say where to fix it. */
export class AddressInputError extends Error {
	constructor(
		readonly field: string,
		message: string,
		readonly fix: string,
	) {
		super(message);
	}
}

/** "Deutschland" for DE; the code itself where the runtime has no name for it. */
export function countryName(code: string, language: CountryNameLanguage): string {
	try {
		return new Intl.DisplayNames([language], { type: 'region' }).of(code) ?? code;
	} catch {
		return code;
	}
}

/**
 * The item's address in Bitrix24's field names, or null when every part is empty (an empty
 * address is left alone, or deleted when the caller asks for it).
 */
export function toAddressValues(raw: IDataObject, language: CountryNameLanguage, label: string): AddressValues | null {
	const given = textOf(raw.countryCode);
	const country = given === '' ? { iso: '', region: '' } : splitCountryCode(given, language);
	if (!country) {
		throw new AddressInputError(
			`${label}: Country Code`,
			`"${label}: Country Code" must be a two-letter ISO 3166 code like DE or AT (or LexOffice's extended code like ES_CN), got "${given}"`,
			"Map the country code (e.g. LexOffice's countryCode), not the country name.",
		);
	}
	const values: AddressValues = {
		ADDRESS_1: textOf(raw.street),
		ADDRESS_2: textOf(raw.supplement),
		POSTAL_CODE: textOf(raw.zip),
		CITY: textOf(raw.city),
		COUNTRY: country.iso === '' ? '' : countryName(country.iso, language),
		COUNTRY_CODE: country.iso,
	};
	if (Object.values(values).every((value) => value === '')) return null;
	if (country.region) values.PROVINCE = country.region;
	return values;
}

/** A LexOffice address (lexoffice-api.md §3.3): only the parts that have a value, and the country. */
export interface LexofficeAddress {
	supplement?: string;
	street?: string;
	zip?: string;
	city?: string;
	countryCode: string;
}

/** Where crm.contact.get / crm.company.get show each address field (bitrix24-api.md §4.2). */
export const RECORD_ADDRESS_FIELDS: Record<keyof AddressValues, string> = {
	ADDRESS_1: 'ADDRESS',
	ADDRESS_2: 'ADDRESS_2',
	POSTAL_CODE: 'ADDRESS_POSTAL_CODE',
	CITY: 'ADDRESS_CITY',
	COUNTRY: 'ADDRESS_COUNTRY',
	COUNTRY_CODE: 'ADDRESS_COUNTRY_CODE',
	PROVINCE: 'ADDRESS_PROVINCE',
};

/**
 * A Bitrix24 record's address as a LexOffice address: COUNTRY_CODE is the ISO country, and a region
 * LexOffice has an extended code for (PROVINCE "Kanarische Inseln" → `ES_CN`) becomes that code, so
 * LexOffice accepts it and taxes right. Undefined when there is no two-letter country code, which
 * LexOffice needs; `leftOut` then says why, if the record had an address at all.
 */
export function lexofficeAddressOf(record: IDataObject, leftOut: string[]): LexofficeAddress | undefined {
	const field = (name: keyof AddressValues) => {
		const value = record[RECORD_ADDRESS_FIELDS[name]];
		return typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
	};
	const parts = {
		street: field('ADDRESS_1'),
		supplement: field('ADDRESS_2'),
		zip: field('POSTAL_CODE'),
		city: field('CITY'),
	};
	const iso = field('COUNTRY_CODE').toUpperCase();
	const hasAddress = Object.values(parts).some(Boolean);
	if (!/^[A-Z]{2}$/.test(iso)) {
		if (hasAddress || field('COUNTRY'))
			leftOut.push(
				`ADDRESS: no two-letter country code (ADDRESS_COUNTRY_CODE "${iso}"), which LexOffice needs for an address`,
			);
		return undefined;
	}
	const address: LexofficeAddress = { countryCode: joinCountryCode(iso, field('PROVINCE')) };
	for (const [key, value] of Object.entries(parts) as Array<[keyof typeof parts, string]>)
		if (value) address[key] = value;
	return address;
}
