/**
 * Addresses of requisites (bitrix24-api.md §5): an address is keyed by (TYPE_ID, ENTITY_TYPE_ID=8,
 * ENTITY_ID=requisite id), one per type per requisite. A second crm.address.add of a type fails
 * with "TypeAddress exists", so an existing address is changed with crm.address.update and the
 * same three keys. Shared by Requisite → Create or Update and the Address resource.
 */
import { NodeOperationError, type IDataObject, type INode, type INodeProperties } from 'n8n-workflow';

import { AddressInputError, MANAGED_ADDRESS_FIELDS, type AddressValues } from '../../shared/contract/addresses';

export {
	AddressInputError,
	countryName,
	MANAGED_ADDRESS_FIELDS,
	toAddressValues,
	type AddressValues,
	type CountryNameLanguage,
} from '../../shared/contract/addresses';

/** ENTITY_TYPE_ID of a requisite as an address owner (§4.1, §5). */
export const REQUISITE_ENTITY_TYPE_ID = 8;

export type AddressAction = 'created' | 'updated' | 'unchanged' | 'deleted' | 'skipped';

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
		text(
			'Supplement',
			'supplement',
			'c/o Buchhaltung',
			'Second address line, e.g. apartment, office or c/o (ADDRESS_2)',
		),
		text('ZIP Code', 'zip', '10115', 'Postal code (POSTAL_CODE)'),
		text('City', 'city', 'Berlin', 'City (CITY)'),
		text(
			'Country Code',
			'countryCode',
			'DE',
			"Two-letter ISO 3166 code, or LexOffice's extended code such as ES_CN (COUNTRY_CODE; the region, e.g. Canary Islands, goes to PROVINCE). The country name (COUNTRY) is filled in from it.",
		),
	];
}

/** The address-type dropdown, loaded from crm.enum.addresstype: ids and labels differ by portal zone. */
export function addressTypeProperty(
	displayName: string,
	description: string,
	loadOptionsMethod = 'getAddressTypes',
): INodeProperties {
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

/** A positive address type id (crm.enum.addresstype `ID`), or an error naming the parameter. */
export function addressTypeIdOf(value: unknown, field: string): number {
	const text = textOf(value);
	if (/^\d+$/.test(text) && Number(text) > 0) return Number(text);
	throw new AddressInputError(
		field,
		`"${field}" must be an address type ID, got "${text}"`,
		'Choose an address type from the list.',
	);
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

/**
 * Address types used when none is chosen: core constants (EntityAddressType, §5), 6 "Registered"
 * (labelled "legal address") for billing as the reference suggests, 11 "Delivery" for shipping.
 */
export const ADDRESS_ROLES = {
	billing: { label: 'Billing Address', defaultTypeId: '6' },
	shipping: { label: 'Shipping Address', defaultTypeId: '11' },
} as const;

export type AddressRole = keyof typeof ADDRESS_ROLES;
