/**
 * Requisite templates (presets, bitrix24-api.md §5). Their ids differ between portals: the German
 * defaults are found by their reserved XML_ID, never by id or position in the list.
 */
import { NodeOperationError, type IDataObject, type INode } from 'n8n-workflow';

import { positiveId } from './crmEntities';
import { scanCommand, type LookupCommand } from './crmRecordLookup';

/** Created on install for portals set up for Germany (§5, EntityRequisite::getFixedPresetList). */
export const GERMAN_DEFAULT_XML_IDS = {
	legalEntity: '#CRM_REQUISITE_PRESET_DEF_DE_LEGALENTITY#',
	person: '#CRM_REQUISITE_PRESET_DEF_DE_PERSON#',
} as const;

/**
 * Template choices that are resolved by XML_ID at run time, so a workflow works on any portal.
 * The one by owner type is the parameter's default, hence the empty value.
 */
export const DEFAULT_PRESET_CHOICES = {
	byOwnerType: '',
	legalEntity: 'germanDefaultLegalEntity',
	person: 'germanDefaultPerson',
} as const;

export interface RequisitePreset {
	id: number;
	name: string;
	countryId: number;
	xmlId: string;
	active: boolean;
}

const PRESET_FIELDS = ['ID', 'NAME', 'COUNTRY_ID', 'XML_ID', 'ACTIVE', 'SORT'];

/** Every template, read with the fast-scan cursor (one page on any ordinary portal). */
export const presetLookupCommand = (key: string): LookupCommand =>
	scanCommand(key, 'crm.requisite.preset.list', {}, PRESET_FIELDS);

export function presetsOf(rows: IDataObject[]): RequisitePreset[] {
	return rows.map((row) => ({
		id: Number(row.ID),
		name: String(row.NAME ?? ''),
		countryId: Number(row.COUNTRY_ID),
		xmlId: String(row.XML_ID ?? ''),
		active: row.ACTIVE !== 'N',
	}));
}

/** The reserved XML_ID a template choice stands for, for an owner of this type; none for an id. */
export function defaultXmlIdOf(choice: string, ownerEntityTypeId: number): string | undefined {
	if (choice === DEFAULT_PRESET_CHOICES.legalEntity) return GERMAN_DEFAULT_XML_IDS.legalEntity;
	if (choice === DEFAULT_PRESET_CHOICES.person) return GERMAN_DEFAULT_XML_IDS.person;
	if (choice === DEFAULT_PRESET_CHOICES.byOwnerType) {
		return ownerEntityTypeId === 4 ? GERMAN_DEFAULT_XML_IDS.legalEntity : GERMAN_DEFAULT_XML_IDS.person;
	}
	return undefined;
}

export const isDefaultChoice = (choice: string) => (Object.values(DEFAULT_PRESET_CHOICES) as string[]).includes(choice);

/** A template parameter value read as text, checked: one of the default choices or a positive id. */
export function presetChoiceOf(node: INode, value: unknown, itemIndex: number): string {
	const choice = value === undefined || value === null ? '' : String(value).trim();
	if (isDefaultChoice(choice) || positiveId(choice) !== null) return choice;
	throw new NodeOperationError(node, `"Template" must be a template ID or a German default, got "${choice}"`, {
		itemIndex,
		description:
			'Choose a requisite template from the list, or map a numeric template ID from crm.requisite.preset.list.',
	});
}

/**
 * The template id for an item: a plain id as given (Bitrix24 itself refuses an unknown one), a
 * default by its XML_ID, or an error that names the XML_ID and asks the user to pick a template.
 */
export function resolvePresetId(
	node: INode,
	choice: string,
	ownerEntityTypeId: number,
	presets: RequisitePreset[] | undefined,
	itemIndex: number,
): number {
	const xmlId = defaultXmlIdOf(choice, ownerEntityTypeId);
	if (xmlId === undefined) return Number(choice);
	const preset = presets?.find((candidate) => candidate.xmlId === xmlId);
	if (preset) return preset.id;
	throw new NodeOperationError(node, `This Bitrix24 portal has no requisite template with XML_ID ${xmlId}`, {
		itemIndex,
		description:
			'The German default templates exist only on portals set up for Germany, and can be deleted. Pick a template from the "Template" list instead of the German default.',
	});
}
