/**
 * Field definitions of the modelled CRM entities, in both spellings: UPPER_CASE (legacy
 * crm.contact.*, crm.company.*, requisites) and camelCase (crm.item.*, bitrix24-api.md §4.3).
 */
import type { Bitrix24State, UserField } from './state';

export type FieldType =
	| 'integer'
	| 'double'
	| 'string'
	| 'char'
	| 'boolean'
	| 'date'
	| 'datetime'
	| 'crm_status'
	| 'crm_currency'
	| 'crm_category'
	| 'user'
	| 'crm_company'
	| 'crm_contact'
	| 'crm_lead'
	| 'crm_multifield'
	| 'file'
	| 'url'
	| 'location'
	| 'enumeration';

export interface FieldDef {
	upper: string;
	camel: string;
	type: FieldType;
	title: string;
	isRequired: boolean;
	isReadOnly: boolean;
	isImmutable: boolean;
	isMultiple: boolean;
	isDynamic: boolean;
	statusType?: string;
	/** Only the legacy methods know it (multifields); crm.item.* has `fm` instead. */
	legacyOnly?: boolean;
	/** Derived from other records, not stored on this one (a company's contacts live on the contacts). */
	virtual?: boolean;
	/** Choices of an enumeration custom field; `*.fields` lists them as `items` (VERIFY the shape). */
	items?: Array<{ ID: number; VALUE: string }>;
}

/**
 * UPPER_SNAKE → camelCase as crm.item.* names fields. VERIFY (§4.3): only `UF_CRM_2_1639669411830 →
 * ufCrm2_1639669411830` is documented; an underscore between a letter and a digit is dropped, one
 * between two digits kept. Our own custom fields use letters only, where the rule is unambiguous.
 */
export function toCamelName(upper: string): string {
	return upper
		.toLowerCase()
		.replace(/_([a-z])/g, (_m, letter: string) => letter.toUpperCase())
		.replace(/([a-z])_(\d)/gi, '$1$2');
}

type FieldOptions = Partial<Omit<FieldDef, 'upper' | 'type' | 'title'>>;

function field(upper: string, type: FieldType, title: string, options: FieldOptions = {}): FieldDef {
	return {
		upper,
		camel: options.camel ?? toCamelName(upper),
		type,
		title,
		isRequired: false,
		isReadOnly: false,
		isImmutable: false,
		isMultiple: false,
		isDynamic: false,
		...options,
	};
}

const readOnly = { isReadOnly: true };

/** Audit fields are named differently in the two APIs (DATE_CREATE ↔ createdTime …). */
const AUDIT_FIELDS = [
	field('DATE_CREATE', 'datetime', 'Erstellt am', { camel: 'createdTime', ...readOnly }),
	field('DATE_MODIFY', 'datetime', 'Geändert am', { camel: 'updatedTime', ...readOnly }),
	field('CREATED_BY_ID', 'user', 'Erstellt von', { camel: 'createdBy', ...readOnly }),
	field('MODIFY_BY_ID', 'user', 'Geändert von', { camel: 'updatedBy', ...readOnly }),
];

const EXTERNAL_SYSTEM_FIELDS = [
	field('ORIGINATOR_ID', 'string', 'Externe Quelle'),
	field('ORIGIN_ID', 'string', 'ID in der externen Quelle'),
	field('ORIGIN_VERSION', 'string', 'Version in der externen Quelle'),
];

const MULTIFIELDS = ['PHONE', 'EMAIL', 'WEB', 'IM', 'LINK'].map((type) =>
	field(type, 'crm_multifield', type === 'EMAIL' ? 'E-Mail' : type === 'PHONE' ? 'Telefon' : type, {
		isMultiple: true,
		legacyOnly: true,
	}),
);

const CONTACT_FIELDS: FieldDef[] = [
	field('ID', 'integer', 'ID', readOnly),
	field('HONORIFIC', 'crm_status', 'Anrede', { statusType: 'HONORIFIC' }),
	field('NAME', 'string', 'Vorname'),
	field('SECOND_NAME', 'string', 'Zweiter Vorname'),
	field('LAST_NAME', 'string', 'Nachname'),
	field('PHOTO', 'file', 'Foto'),
	field('BIRTHDATE', 'date', 'Geburtsdatum'),
	field('TYPE_ID', 'crm_status', 'Kontakttyp', { statusType: 'CONTACT_TYPE' }),
	field('SOURCE_ID', 'crm_status', 'Quelle', { statusType: 'SOURCE' }),
	field('SOURCE_DESCRIPTION', 'string', 'Beschreibung der Quelle'),
	field('POST', 'string', 'Position'),
	field('COMMENTS', 'string', 'Kommentar'),
	field('OPENED', 'char', 'Für alle verfügbar'),
	field('EXPORT', 'char', 'Am Export beteiligt'),
	field('ASSIGNED_BY_ID', 'user', 'Verantwortlich'),
	field('COMPANY_ID', 'crm_company', 'Unternehmen'),
	field('COMPANY_IDS', 'crm_company', 'Unternehmen', { isMultiple: true }),
	field('LEAD_ID', 'crm_lead', 'Lead', readOnly),
	...EXTERNAL_SYSTEM_FIELDS,
	...AUDIT_FIELDS,
	...MULTIFIELDS,
];

const COMPANY_FIELDS: FieldDef[] = [
	field('ID', 'integer', 'ID', readOnly),
	field('TITLE', 'string', 'Name des Unternehmens', { isRequired: true }),
	field('COMPANY_TYPE', 'crm_status', 'Unternehmenstyp', { camel: 'typeId', statusType: 'COMPANY_TYPE' }),
	field('LOGO', 'file', 'Logo'),
	field('INDUSTRY', 'crm_status', 'Branche', { statusType: 'INDUSTRY' }),
	field('EMPLOYEES', 'crm_status', 'Mitarbeiter', { statusType: 'EMPLOYEES' }),
	field('CURRENCY_ID', 'crm_currency', 'Währung'),
	field('REVENUE', 'double', 'Jahresumsatz'),
	field('BANKING_DETAILS', 'string', 'Bankverbindung'),
	field('OPENED', 'char', 'Für alle verfügbar'),
	field('COMMENTS', 'string', 'Kommentar'),
	field('IS_MY_COMPANY', 'char', 'Mein Unternehmen'),
	field('CONTACT_IDS', 'crm_contact', 'Kontakte', { isMultiple: true, virtual: true }),
	field('ASSIGNED_BY_ID', 'user', 'Verantwortlich'),
	field('LEAD_ID', 'crm_lead', 'Lead', readOnly),
	...EXTERNAL_SYSTEM_FIELDS,
	...AUDIT_FIELDS,
	...MULTIFIELDS,
];

/** Smart invoice (31), §6. Only reachable through crm.item.*, so the camel names are the real ones. */
const SMART_INVOICE_FIELDS: FieldDef[] = [
	field('ID', 'integer', 'ID', readOnly),
	field('XML_ID', 'string', 'Externer Code'),
	field('TITLE', 'string', 'Name'),
	field('ACCOUNT_NUMBER', 'string', 'Rechnungsnummer'),
	field('CATEGORY_ID', 'crm_category', 'Pipeline', { isImmutable: true }),
	field('STAGE_ID', 'crm_status', 'Phase'),
	field('PREVIOUS_STAGE_ID', 'crm_status', 'Vorherige Phase', readOnly),
	field('OPENED', 'char', 'Für alle verfügbar'),
	field('BEGINDATE', 'date', 'Rechnungsdatum'),
	field('CLOSEDATE', 'date', 'Fällig am'),
	field('COMPANY_ID', 'crm_company', 'Unternehmen'),
	field('CONTACT_ID', 'crm_contact', 'Kontakt'),
	field('CONTACT_IDS', 'crm_contact', 'Kontakte', { isMultiple: true }),
	field('MYCOMPANY_ID', 'crm_company', 'Eigenes Unternehmen'),
	field('OPPORTUNITY', 'double', 'Betrag'),
	field('IS_MANUAL_OPPORTUNITY', 'char', 'Betrag manuell'),
	field('TAX_VALUE', 'double', 'Steuer'),
	field('CURRENCY_ID', 'crm_currency', 'Währung'),
	field('SOURCE_ID', 'crm_status', 'Quelle', { statusType: 'SOURCE' }),
	field('SOURCE_DESCRIPTION', 'string', 'Beschreibung der Quelle'),
	field('COMMENTS', 'string', 'Kommentar'),
	field('ASSIGNED_BY_ID', 'user', 'Verantwortlich'),
	field('OBSERVERS', 'user', 'Beobachter', { isMultiple: true }),
	field('PARENT_ID_2', 'integer', 'Deal'),
	field('CREATED_TIME', 'datetime', 'Erstellt am', readOnly),
	field('UPDATED_TIME', 'datetime', 'Geändert am', readOnly),
	field('MOVED_TIME', 'datetime', 'Phase geändert am', readOnly),
	field('CREATED_BY', 'user', 'Erstellt von', readOnly),
	field('UPDATED_BY', 'user', 'Geändert von', readOnly),
	field('MOVED_BY', 'user', 'Phase geändert von', readOnly),
	field('ENTITY_TYPE_ID', 'integer', 'Typ', readOnly),
];

export const REQUISITE_FIELDS: FieldDef[] = [
	field('ID', 'integer', 'ID', readOnly),
	field('ENTITY_TYPE_ID', 'integer', 'Typ des Elternelements', { isRequired: true, isImmutable: true }),
	field('ENTITY_ID', 'integer', 'ID des Elternelements', { isRequired: true, isImmutable: true }),
	field('PRESET_ID', 'integer', 'Vorlage', { isRequired: true }),
	field('NAME', 'string', 'Name', { isRequired: true }),
	field('CODE', 'string', 'Code'),
	field('XML_ID', 'string', 'Externer Schlüssel'),
	field('ORIGINATOR_ID', 'string', 'Externe Quelle'),
	field('ACTIVE', 'char', 'Aktiv'),
	field('ADDRESS_ONLY', 'char', 'Nur Adresse'),
	field('SORT', 'integer', 'Sortierung'),
	...[
		'RQ_NAME',
		'RQ_FIRST_NAME',
		'RQ_LAST_NAME',
		'RQ_SECOND_NAME',
		'RQ_COMPANY_NAME',
		'RQ_COMPANY_FULL_NAME',
		'RQ_COMPANY_REG_DATE',
		'RQ_DIRECTOR',
		'RQ_CONTACT',
		'RQ_EMAIL',
		'RQ_PHONE',
		'RQ_FAX',
		'RQ_INN',
		'RQ_USRLE',
		'RQ_VAT_ID',
		'RQ_VAT_PAYER',
		'RQ_RESIDENCE_COUNTRY',
		'RQ_BASE_DOC',
	].map((name) => field(name, 'string', name)),
	field('DATE_CREATE', 'datetime', 'Erstellt am', readOnly),
	field('DATE_MODIFY', 'datetime', 'Geändert am', readOnly),
	field('CREATED_BY_ID', 'user', 'Erstellt von', readOnly),
	field('MODIFY_BY_ID', 'user', 'Geändert von', readOnly),
];

export const ADDRESS_FIELDS: FieldDef[] = [
	field('TYPE_ID', 'integer', 'Adresstyp', { isRequired: true, isImmutable: true }),
	field('ENTITY_TYPE_ID', 'integer', 'Typ des Elternelements', { isRequired: true, isImmutable: true }),
	field('ENTITY_ID', 'integer', 'ID des Elternelements', { isRequired: true, isImmutable: true }),
	field('ADDRESS_1', 'string', 'Straße, Hausnummer'),
	field('ADDRESS_2', 'string', 'Adresszusatz'),
	field('CITY', 'string', 'Stadt'),
	field('POSTAL_CODE', 'string', 'PLZ'),
	field('REGION', 'string', 'Bezirk'),
	field('PROVINCE', 'string', 'Bundesland'),
	field('COUNTRY', 'string', 'Land'),
	field('COUNTRY_CODE', 'string', 'Ländercode'),
	field('LOC_ADDR_ID', 'integer', 'Standort-ID'),
	field('ANCHOR_TYPE_ID', 'integer', 'Typ des Hauptelements', readOnly),
	field('ANCHOR_ID', 'integer', 'ID des Hauptelements', readOnly),
];

export type EntityName = 'CONTACT' | 'COMPANY' | 'SMART_INVOICE';

export interface EntityDescriptor {
	entityTypeId: 3 | 4 | 31;
	name: EntityName;
	/** Lower-case ENTITY_TYPE of crm.timeline.comment.add (§7.1). */
	timelineName: string;
	ufEntityId: string;
	collection: 'contacts' | 'companies' | 'items';
	sequence: string;
	systemFields: FieldDef[];
	hasMultifields: boolean;
	/** Outbound event names for add/update/delete (§10). */
	events: { add: string; update: string; delete: string };
}

export const ENTITIES: Record<EntityName, EntityDescriptor> = {
	CONTACT: {
		entityTypeId: 3,
		name: 'CONTACT',
		timelineName: 'contact',
		ufEntityId: 'CRM_CONTACT',
		collection: 'contacts',
		sequence: 'contact',
		systemFields: CONTACT_FIELDS,
		hasMultifields: true,
		events: { add: 'ONCRMCONTACTADD', update: 'ONCRMCONTACTUPDATE', delete: 'ONCRMCONTACTDELETE' },
	},
	COMPANY: {
		entityTypeId: 4,
		name: 'COMPANY',
		timelineName: 'company',
		ufEntityId: 'CRM_COMPANY',
		collection: 'companies',
		sequence: 'company',
		systemFields: COMPANY_FIELDS,
		hasMultifields: true,
		events: { add: 'ONCRMCOMPANYADD', update: 'ONCRMCOMPANYUPDATE', delete: 'ONCRMCOMPANYDELETE' },
	},
	SMART_INVOICE: {
		entityTypeId: 31,
		name: 'SMART_INVOICE',
		timelineName: 'smart_invoice',
		ufEntityId: 'CRM_SMART_INVOICE',
		collection: 'items',
		sequence: 'item',
		systemFields: SMART_INVOICE_FIELDS,
		hasMultifields: false,
		events: { add: 'ONCRMDYNAMICITEMADD', update: 'ONCRMDYNAMICITEMUPDATE', delete: 'ONCRMDYNAMICITEMDELETE' },
	},
};

export function entityByTypeId(entityTypeId: number): EntityDescriptor | undefined {
	return Object.values(ENTITIES).find((entity) => entity.entityTypeId === entityTypeId);
}

function userFieldDef(userField: UserField): FieldDef {
	const type: FieldType = (
		['string', 'integer', 'double', 'boolean', 'date', 'datetime', 'url', 'file', 'enumeration'] as const
	).includes(userField.USER_TYPE_ID as 'string')
		? (userField.USER_TYPE_ID as FieldType)
		: 'string';
	return field(userField.FIELD_NAME, type, userField.FIELD_NAME, {
		isDynamic: true,
		isMultiple: userField.MULTIPLE === 'Y',
		isRequired: userField.MANDATORY === 'Y',
		...(userField.LIST ? { items: userField.LIST } : {}),
	});
}

/** System fields followed by the portal's custom UF_CRM_* fields of that entity. */
export function fieldsOf(entity: EntityDescriptor, state: Bitrix24State): FieldDef[] {
	const custom = state.userFields.filter((userField) => userField.ENTITY_ID === entity.ufEntityId).map(userFieldDef);
	return [...entity.systemFields, ...custom];
}

export function userFieldLabels(state: Bitrix24State, entityId: string, fieldName: string): string | undefined {
	return state.userFields.find((userField) => userField.ENTITY_ID === entityId && userField.FIELD_NAME === fieldName)
		?.LABEL;
}

const INTEGER_TYPES = new Set<FieldType>([
	'integer',
	'user',
	'crm_company',
	'crm_contact',
	'crm_lead',
	'crm_category',
	'enumeration',
]);

function normalizeScalar(type: FieldType, raw: unknown): unknown {
	if (raw === null || raw === undefined) return null;
	if (INTEGER_TYPES.has(type) || type === 'double') {
		if (raw === '') return null;
		const number = Number(raw);
		if (Number.isNaN(number)) return null;
		return type === 'double' ? number : Math.trunc(number);
	}
	if (type === 'char')
		return raw === true || raw === 'Y' || raw === 'y' || raw === 1 || raw === '1' || raw === 'true' ? 'Y' : 'N';
	// Custom boolean fields are 1/0 (and must be filtered that way, §2 "Filter prefixes").
	if (type === 'boolean') return raw === true || raw === 'Y' || raw === 1 || raw === '1' || raw === 'true' ? 1 : 0;
	if (type === 'file' || typeof raw === 'object') return raw;
	return String(raw);
}

/** A value as stored: numbers for id-like fields, 'Y'/'N' for flags, arrays for multiple fields. */
export function normalizeFieldValue(def: FieldDef, raw: unknown): unknown {
	if (def.isMultiple) {
		if (raw === null || raw === undefined || raw === '') return [];
		const list = Array.isArray(raw) ? raw : typeof raw === 'object' ? Object.values(raw as object) : [raw];
		return list.map((value) => normalizeScalar(def.type, value)).filter((value) => value !== null);
	}
	return normalizeScalar(def.type, raw);
}

/** Legacy methods answer ids and numbers as strings ("ID":"42"). */
export function legacyValue(value: unknown): unknown {
	if (value === undefined) return null;
	if (Array.isArray(value)) return value.map((entry) => (typeof entry === 'number' ? String(entry) : entry));
	if (typeof value === 'number') return String(value);
	return value;
}

/** The `*.fields` description of one field, as crm.contact.fields / crm.item.fields answer it. */
export function describeField(def: FieldDef, state: Bitrix24State, ufEntityId: string): Record<string, unknown> {
	const description: Record<string, unknown> = {
		type: def.type,
		isRequired: def.isRequired,
		isReadOnly: def.isReadOnly,
		isImmutable: def.isImmutable,
		isMultiple: def.isMultiple,
		isDynamic: def.isDynamic,
		title: def.title,
	};
	if (def.statusType) description.statusType = def.statusType;
	if (def.items) description.items = def.items.map((item) => ({ ID: String(item.ID), VALUE: item.VALUE }));
	if (def.isDynamic) {
		const label = userFieldLabels(state, ufEntityId, def.upper) ?? def.upper;
		Object.assign(description, { listLabel: label, formLabel: label, filterLabel: label });
	}
	return description;
}
