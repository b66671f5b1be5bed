/**
 * Addresses of requisites (bitrix24-api.md §5): an address is keyed by (TYPE_ID, ENTITY_TYPE_ID=8,
 * ENTITY_ID=requisite id), one per type per requisite. A second crm.address.add of a type fails
 * with "TypeAddress exists", so an existing address is changed with crm.address.update and the
 * same three keys. Shared by Requisite → Create or Update and the Address resource.
 */
import { NodeOperationError, type IDataObject, type INode, type INodeProperties } from 'n8n-workflow';

import { splitCountryCode } from '../../../shared/countryCodes';

/** ENTITY_TYPE_ID of a requisite as an address owner (§4.1, §5). */
export const REQUISITE_ENTITY_TYPE_ID = 8;

/**
 * The address fields this node writes; REGION and LOC_ADDR_ID are left as they are, PROVINCE only
 * when the values carry it (the region of an extended LexOffice country code such as `ES_CN`).
 */
export const MANAGED_ADDRESS_FIELDS = ['ADDRESS_1', 'ADDRESS_2', 'POSTAL_CODE', 'CITY', 'COUNTRY', 'COUNTRY_CODE'] as const;

export type AddressValues = Record<(typeof MANAGED_ADDRESS_FIELDS)[number], string> & { PROVINCE?: string };

export type CountryNameLanguage = 'de' | 'en';

export type AddressAction = 'created' | 'updated' | 'unchanged' | 'deleted' | 'skipped';

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

/** An AddressInputError as the NodeOperationError a user sees; anything else unchanged. */
export function asNodeInputError(node: INode, itemIndex: number, error: unknown): Error {
	if (!(error instanceof AddressInputError)) return error as Error;
	return new NodeOperationError(node, error.message, { itemIndex, description: error.fix });
}

export const requisiteIdProperty = (description: string): INodeProperties => ({
	displayName: 'Requisite ID',
	name: 'requisiteId',
	type: 'string',
	required: true,
	default: '',
	placeholder: '12',
	description,
});

/** Street, supplement, zip, city, country code: the parameters of one address. */
export function addressValueProperties(): INodeProperties[] {
	const text = (displayName: string, name: string, placeholder: string, description: string): INodeProperties => ({
		displayName,
		name,
		type: 'string',
		default: '',
		placeholder,
		description,
	});
	return [
		text('Street', 'street', 'Hauptstraße 5', 'Street and house number (ADDRESS_1)'),
		text('Supplement', 'supplement', 'c/o Buchhaltung', 'Second address line, e.g. apartment, office or c/o (ADDRESS_2)'),
		text('ZIP Code', 'zip', '10115', 'Postal code (POSTAL_CODE)'),
		text('City', 'city', 'Berlin', 'City (CITY)'),
		text(
			'Country Code',
			'countryCode',
			'DE',
			'Two-letter ISO 3166 code, or LexOffice\'s extended code such as ES_CN (COUNTRY_CODE; the region, e.g. Canary Islands, goes to PROVINCE). The country name (COUNTRY) is filled in from it.',
		),
	];
}

/** The address-type dropdown, loaded from crm.enum.addresstype: ids and labels differ by portal zone. */
export function addressTypeProperty(displayName: string, description: string, loadOptionsMethod = 'getAddressTypes'): INodeProperties {
	return {
		displayName,
		name: 'typeId',
		type: 'options',
		typeOptions: { loadOptionsMethod },
		default: '',
		description: `${description} Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>`,
	};
}

export const countryNameLanguageProperty: INodeProperties = {
	displayName: 'Country Name Language',
	name: 'countryNameLanguage',
	type: 'options',
	options: [
		{ name: 'German', value: 'de' },
		{ name: 'English', value: 'en' },
	],
	default: 'de',
	description: 'Language of the country name written to COUNTRY, e.g. "Deutschland" or "Germany"',
};

const textOf = (value: unknown) => (value === undefined || value === null ? '' : String(value).trim());

/** "Deutschland" for DE; the code itself where the runtime has no name for it. */
export function countryName(code: string, language: CountryNameLanguage): string {
	try {
		return new Intl.DisplayNames([language], { type: 'region' }).of(code) ?? code;
	} catch {
		return code;
	}
}

/** A positive address type id (crm.enum.addresstype `ID`), or an error naming the parameter. */
export function addressTypeIdOf(value: unknown, field: string): number {
	const text = textOf(value);
	if (/^\d+$/.test(text) && Number(text) > 0) return Number(text);
	throw new AddressInputError(field, `"${field}" must be an address type ID, got "${text}"`, 'Choose an address type from the list.');
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
			'Map the country code (e.g. LexOffice\'s countryCode), not the country name.',
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

/** The three fields that identify an address (§5); `requisite` may be a `$result[…]` reference. */
export function addressKeyFields(typeId: number, requisite: number | string): IDataObject {
	return { TYPE_ID: typeId, ENTITY_TYPE_ID: REQUISITE_ENTITY_TYPE_ID, ENTITY_ID: requisite };
}

/**
 * Whether the stored address differs from the desired one. COUNTRY_CODE is "not used, retained for
 * backward compatibility" and answered as null in the documented examples (crm-address-list.md),
 * so a portal that does not keep it must not make every run an update: it only counts when the
 * portal returns a value. VERIFY on a live portal whether COUNTRY_CODE is stored.
 */
export function addressDiffers(current: IDataObject, desired: AddressValues): boolean {
	if (desired.PROVINCE !== undefined && textOf(current.PROVINCE) !== desired.PROVINCE) return true;
	return MANAGED_ADDRESS_FIELDS.some((field) => {
		if (field === 'COUNTRY_CODE' && (current[field] === null || current[field] === undefined)) return false;
		return textOf(current[field]) !== desired[field];
	});
}

export interface AddressWrite {
	action: AddressAction;
	/** The call that makes it so; none when nothing has to change. */
	method?: 'crm.address.add' | 'crm.address.update' | 'crm.address.delete';
	fields?: IDataObject;
}

/**
 * What to do so that the requisite's address of `typeId` holds `desired`: add, update (same three
 * keys, never a second add) or nothing. An empty `desired` deletes only when `removeEmpty` is set.
 */
export function planAddressWrite(
	typeId: number,
	requisite: number | string,
	current: IDataObject | undefined,
	desired: AddressValues | null,
	removeEmpty: boolean,
): AddressWrite {
	const key = addressKeyFields(typeId, requisite);
	if (desired === null) {
		if (current && removeEmpty) return { action: 'deleted', method: 'crm.address.delete', fields: key };
		return { action: 'skipped' };
	}
	if (!current) return { action: 'created', method: 'crm.address.add', fields: { ...key, ...desired } };
	if (!addressDiffers(current, desired)) return { action: 'unchanged' };
	return { action: 'updated', method: 'crm.address.update', fields: { ...key, ...desired } };
}

/** crm.address.list parameters for the addresses of some requisites (`@` = IN, crm-address-list.md). */
export function addressListParams(requisiteIds: number[], typeId?: number): IDataObject {
	const filter: IDataObject = { ENTITY_TYPE_ID: REQUISITE_ENTITY_TYPE_ID };
	if (requisiteIds.length === 1) filter.ENTITY_ID = requisiteIds[0];
	else filter['@ENTITY_ID'] = requisiteIds;
	if (typeId !== undefined) filter.TYPE_ID = typeId;
	return { filter, order: { ENTITY_ID: 'ASC', TYPE_ID: 'ASC' } };
}
