import type { FieldType, INodePropertyOptions, ResourceMapperField } from 'n8n-workflow';

/** One entry of `crm.contact.fields` / `crm.company.fields` (bitrix24-api.md §4.2, §4.4). */
export interface CrmFieldDescription {
	type: string;
	title?: string;
	isRequired?: boolean;
	isReadOnly?: boolean;
	isImmutable?: boolean;
	isMultiple?: boolean;
	isDynamic?: boolean;
	isDeprecated?: boolean;
	/** crm_status fields: the directory whose values are allowed (crm.status.entity.items). */
	statusType?: string;
	listLabel?: string;
	formLabel?: string;
	/** Enumeration user fields carry their choices (VERIFY the exact shape on a real portal). */
	items?: Array<{ ID: string | number; VALUE: string }>;
}

export type CrmFieldDescriptions = Record<string, CrmFieldDescription>;

/** §4.2: EMAIL, PHONE, WEB, IM and LINK are lists of `{ID, VALUE, VALUE_TYPE}`. */
export const isMultifield = (description: CrmFieldDescription | undefined): boolean =>
	description?.type === 'crm_multifield';

/** Field types whose values are numbers: ids of users and CRM records included. */
const NUMBER_TYPES = new Set([
	'integer',
	'double',
	'user',
	'employee',
	'crm_company',
	'crm_contact',
	'crm_lead',
	'crm_deal',
	'crm_category',
]);
/** `char` is the Y/N flag of system fields (OPENED, EXPORT); `boolean` the custom-field flag. */
const BOOLEAN_TYPES = new Set(['char', 'boolean']);
const DATE_TYPES = new Set(['date', 'datetime']);

export const isNumberType = (type: string) => NUMBER_TYPES.has(type);
export const isBooleanType = (type: string) => BOOLEAN_TYPES.has(type);
export const isDateType = (type: string) => DATE_TYPES.has(type);

/** The n8n input a Bitrix24 field gets in the mapping form. */
export function fieldTypeOf(description: CrmFieldDescription, hasOptions: boolean): FieldType {
	if (isMultifield(description) || description.isMultiple) return 'array';
	if (isBooleanType(description.type)) return 'boolean';
	if (isDateType(description.type)) return 'dateTime';
	if (isNumberType(description.type)) return 'number';
	if (hasOptions) return 'options';
	return 'string';
}

/** The label Bitrix24 shows for a field; custom fields keep theirs in formLabel/listLabel. */
export function fieldLabel(id: string, description: CrmFieldDescription): string {
	const label = description.formLabel || description.listLabel || description.title || id;
	return label === id ? id : `${label} (${id})`;
}

/** Legacy address fields exist "only for compatibility"; addresses live on requisites (§4.2, §5). */
const LEGACY_ADDRESS_FIELD = /^(REG_)?ADDRESS(_|$)/;

/** Fields the mapping form hides until the user adds them. */
function hiddenByDefault(id: string, description: CrmFieldDescription): boolean {
	return (
		Boolean(description.isReadOnly) ||
		Boolean(description.isDeprecated) ||
		description.type === 'file' ||
		id === 'LINK' ||
		LEGACY_ADDRESS_FIELD.test(id)
	);
}

export interface SchemaOptions {
	/** Choices per crm_status directory (statusType), from crm.status.entity.items. */
	statusOptions?: Record<string, INodePropertyOptions[]>;
	/** false for Update: an update sends only what it changes, so nothing is mandatory. */
	enforceRequired: boolean;
	/** Fields the operation fills itself (Upsert's ORIGINATOR_ID/ORIGIN_ID/ORIGIN_VERSION). */
	managedFields?: readonly string[];
}

function optionsOf(
	description: CrmFieldDescription,
	statusOptions: SchemaOptions['statusOptions'],
): INodePropertyOptions[] {
	if (description.type === 'enumeration' && Array.isArray(description.items)) {
		return description.items.map((item) => ({ name: String(item.VALUE), value: String(item.ID) }));
	}
	if (description.type === 'crm_status' && description.statusType) return statusOptions?.[description.statusType] ?? [];
	return [];
}

/**
 * The mapping form's fields from the live `*.fields` answer: custom UF_CRM_* fields included,
 * read-only ones hidden and never editable, multifields as lists, directories as dropdowns.
 */
export function toResourceMapperFields(
	descriptions: CrmFieldDescriptions,
	options: SchemaOptions,
): ResourceMapperField[] {
	const managed = new Set(options.managedFields ?? []);
	return Object.entries(descriptions)
		.filter(([id]) => id !== 'ID')
		.map(([id, description]) => {
			const choices = optionsOf(description, options.statusOptions);
			const type = fieldTypeOf(description, choices.length > 0);
			const readOnly = Boolean(description.isReadOnly) || managed.has(id);
			const field: ResourceMapperField = {
				id,
				displayName: fieldLabel(id, description),
				required: options.enforceRequired && Boolean(description.isRequired) && !readOnly,
				defaultMatch: false,
				canBeUsedToMatch: false,
				display: true,
				type,
				readOnly,
				removed: readOnly || hiddenByDefault(id, description),
			};
			if (type === 'options') field.options = choices;
			return field;
		});
}
