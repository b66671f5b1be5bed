/**
 * Dropdowns of the Requisite and Address resources, live from the portal: template ids and
 * address types (and their labels) differ between portals (bitrix24-api.md §5).
 */
import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import {
	DEFAULT_PRESET_CHOICES,
	GERMAN_DEFAULT_XML_IDS,
	presetLookupCommand,
	presetsOf,
} from '../helpers/requisitePresets';
import { rowsFrom, runLookups } from '../helpers/crmRecordLookup';
import { ADDRESS_ROLES, type AddressRole } from '../helpers/addressValues';
import { bitrix24Call, rowsOf } from '../transport';

const DEFAULT_CHOICE_OPTIONS: INodePropertyOptions[] = [
	{
		name: 'German Default by Record Type',
		value: DEFAULT_PRESET_CHOICES.byOwnerType,
		description: `Companies get the template ${GERMAN_DEFAULT_XML_IDS.legalEntity}, contacts ${GERMAN_DEFAULT_XML_IDS.person}; found by XML_ID when the node runs, so the workflow works on any German portal`,
	},
	{
		name: 'German Default for Companies',
		value: DEFAULT_PRESET_CHOICES.legalEntity,
		description: `The template with XML_ID ${GERMAN_DEFAULT_XML_IDS.legalEntity}, found when the node runs`,
	},
	{
		name: 'German Default for Persons',
		value: DEFAULT_PRESET_CHOICES.person,
		description: `The template with XML_ID ${GERMAN_DEFAULT_XML_IDS.person}, found when the node runs`,
	},
];

const DEFAULT_MARKERS: Record<string, string> = {
	[GERMAN_DEFAULT_XML_IDS.legalEntity]: ' (German default for companies)',
	[GERMAN_DEFAULT_XML_IDS.person]: ' (German default for persons)',
};

/** The run-time defaults first, then the portal's templates as "Name (Country)". */
export async function getRequisitePresets(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const results = await runLookups.call(this, [
		presetLookupCommand('presets'),
		{ key: 'countries', method: 'crm.requisite.preset.countries' },
	]);
	const countryNames = new Map(
		rowsOf(results.get('countries')).map((country: IDataObject) => [
			Number(country.ID),
			String(country.TITLE ?? country.CODE ?? ''),
		]),
	);
	const presets = presetsOf(rowsFrom(results, 'presets')).map((preset) => ({
		name: [
			`${preset.name} (${countryNames.get(preset.countryId) || `country ${preset.countryId}`})`,
			DEFAULT_MARKERS[preset.xmlId] ?? '',
			preset.active ? '' : ' (inactive)',
		].join(''),
		value: String(preset.id),
		description: [`Template ID ${preset.id}`, preset.xmlId ? `XML_ID ${preset.xmlId}` : ''].filter(Boolean).join(', '),
	}));
	return [...DEFAULT_CHOICE_OPTIONS, ...presets];
}

/** crm.enum.addresstype: the `ID` is the address's TYPE_ID; labels as the portal names them. */
export async function getAddressTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const answer = await bitrix24Call.call(this, 'crm.enum.addresstype');
	return rowsOf(answer.result).map((type) => ({
		name: String(type.NAME ?? `Type ${String(type.ID)}`),
		value: String(type.ID),
		description: `Address type ID ${String(type.ID)}`,
	}));
}

/** The address types behind a listed default ('' = the role's default type, named as the portal names it). */
async function addressTypesWithDefault(
	this: ILoadOptionsFunctions,
	role: AddressRole,
): Promise<INodePropertyOptions[]> {
	const types = await getAddressTypes.call(this);
	const { defaultTypeId } = ADDRESS_ROLES[role];
	const label = types.find((type) => type.value === defaultTypeId)?.name ?? `Type ${defaultTypeId}`;
	return [{ name: `Default: ${label}`, value: '', description: `Address type ID ${defaultTypeId}` }, ...types];
}

export async function getBillingAddressTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await addressTypesWithDefault.call(this, 'billing');
}

export async function getShippingAddressTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await addressTypesWithDefault.call(this, 'shipping');
}

export const requisiteLoadOptions = {
	getRequisitePresets,
	getAddressTypes,
	getBillingAddressTypes,
	getShippingAddressTypes,
};
