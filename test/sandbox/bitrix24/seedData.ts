/**
 * Bitrix-only reference data of a German cloud portal: users, requisite presets, smart-invoice
 * categories and stages, status lists, custom fields, workflow templates. Deterministic; the ids
 * that differ between real portals (preset ids, invoice category) come from options, so code under
 * test has to look them up (bitrix24-api.md §5, §6).
 */
import type { BizprocTemplate, Category, RequisitePreset, StatusEntry, User, UserField } from './state';

export interface ReferenceDataConfig {
	/** Preset ids are offset+1… (real portals differ; look presets up by XML_ID). */
	presetIdOffset: number;
	/** Id of the default smart-invoice category (real portals: 1, 5, 13, …). */
	invoiceCategoryId: number;
	/** Users on the portal (more than 50 so user.get has to page). */
	userCount: number;
}

export const GERMANY_COUNTRY_ID = 46;
export const PRESET_XML_IDS = {
	legalEntity: '#CRM_REQUISITE_PRESET_DEF_DE_LEGALENTITY#',
	person: '#CRM_REQUISITE_PRESET_DEF_DE_PERSON#',
	// VERIFY: the mirrored core (EntityRequisite::getFixedPresetList) only has LEGALENTITY and PERSON
	// for DE; this third one models a portal where a sole-proprietor template exists.
	soleProprietor: '#CRM_REQUISITE_PRESET_DEF_DE_SOLE_PROPRIETOR#',
} as const;

const FIRST_NAMES = [
	['Katrin', 'F'],
	['Jonas', 'M'],
	['Petra', 'F'],
	['Lukas', 'M'],
	['Sabine', 'F'],
	['Matthias', 'M'],
	['Julia', 'F'],
	['Stefan', 'M'],
	['Anna', 'F'],
	['Thomas', 'M'],
	['Laura', 'F'],
	['Michael', 'M'],
	['Miriam', 'F'],
	['Felix', 'M'],
	['Claudia', 'F'],
	['Tobias', 'M'],
	['Nina', 'F'],
	['Andreas', 'M'],
] as const;
const LAST_NAMES = [
	'Vogel',
	'Becker',
	'Schulz',
	'Wagner',
	'Hoffmann',
	'Schäfer',
	'Koch',
	'Richter',
	'Klein',
	'Wolf',
	'Neumann',
	'Schwarz',
	'Zimmermann',
	'Braun',
	'Krüger',
	'Hartmann',
	'Lange',
	'Werner',
	'Krause',
];
const POSITIONS = ['Vertrieb', 'Buchhaltung', 'Geschäftsführung', 'Kundenservice', 'Projektleitung', 'Einkauf'];

function buildUsers(count: number): User[] {
	return Array.from({ length: count }, (_, index) => {
		const id = index + 1;
		const [firstName, gender] = FIRST_NAMES[index % FIRST_NAMES.length];
		const lastName = LAST_NAMES[(index * 7) % LAST_NAMES.length];
		const mailName = `${firstName}.${lastName}`
			.toLowerCase()
			.replace(/ä/g, 'ae')
			.replace(/ü/g, 'ue')
			.replace(/ö/g, 'oe');
		return {
			ID: id,
			// Every 9th user has left the company, so ACTIVE filters matter.
			ACTIVE: id % 9 !== 0,
			NAME: firstName,
			LAST_NAME: lastName,
			EMAIL: `${mailName}${id > FIRST_NAMES.length ? id : ''}@beispiel-gmbh.de`,
			WORK_POSITION: POSITIONS[index % POSITIONS.length],
			PERSONAL_GENDER: gender,
			USER_TYPE: id % 25 === 0 ? 'extranet' : 'employee',
			UF_DEPARTMENT: [1 + (index % 4)],
			DATE_REGISTER: `2021-0${1 + (index % 9)}-1${index % 10}T09:00:00+01:00`,
			isAdmin: id === 1,
		};
	});
}

function buildPresets(offset: number): RequisitePreset[] {
	return [
		// A template someone created by hand comes first and has no reserved XML_ID: "take the first
		// preset" picks the wrong one.
		{
			ID: offset + 1,
			ENTITY_TYPE_ID: 8,
			COUNTRY_ID: GERMANY_COUNTRY_ID,
			NAME: 'Kunde (eigene Vorlage)',
			XML_ID: '',
			ACTIVE: 'Y',
			SORT: 100,
			FIELDS: ['RQ_COMPANY_NAME', 'RQ_ADDR'],
		},
		{
			ID: offset + 2,
			ENTITY_TYPE_ID: 8,
			COUNTRY_ID: GERMANY_COUNTRY_ID,
			NAME: 'Organisation',
			XML_ID: PRESET_XML_IDS.legalEntity,
			ACTIVE: 'Y',
			SORT: 510,
			FIELDS: ['RQ_COMPANY_NAME', 'RQ_VAT_ID', 'RQ_USRLE', 'RQ_INN', 'RQ_ADDR'],
		},
		{
			ID: offset + 3,
			ENTITY_TYPE_ID: 8,
			COUNTRY_ID: GERMANY_COUNTRY_ID,
			NAME: 'Privatperson',
			XML_ID: PRESET_XML_IDS.person,
			ACTIVE: 'Y',
			SORT: 520,
			FIELDS: ['RQ_LAST_NAME', 'RQ_FIRST_NAME', 'RQ_ADDR'],
		},
		{
			ID: offset + 4,
			ENTITY_TYPE_ID: 8,
			COUNTRY_ID: GERMANY_COUNTRY_ID,
			NAME: 'Einzelunternehmer',
			XML_ID: PRESET_XML_IDS.soleProprietor,
			ACTIVE: 'Y',
			SORT: 530,
			FIELDS: ['RQ_COMPANY_NAME', 'RQ_LAST_NAME', 'RQ_FIRST_NAME', 'RQ_VAT_ID', 'RQ_INN', 'RQ_ADDR'],
		},
		{
			ID: offset + 5,
			ENTITY_TYPE_ID: 8,
			COUNTRY_ID: 122,
			NAME: 'Company',
			XML_ID: '#CRM_REQUISITE_PRESET_DEF_US_LEGALENTITY#',
			ACTIVE: 'N',
			SORT: 540,
			FIELDS: ['RQ_COMPANY_NAME', 'RQ_VAT_ID', 'RQ_ADDR'],
		},
	];
}

/** The smart-invoice stage codes (§6): N new, S sent, P paid (success), D declined (failure). */
const INVOICE_STAGES: Array<{ code: string; name: string; semantics: 'S' | 'F' | null; color: string }> = [
	{ code: 'N', name: 'Neu', semantics: null, color: '#22B9FF' },
	{ code: 'S', name: 'Versendet', semantics: null, color: '#FFA900' },
	{ code: 'P', name: 'Bezahlt', semantics: 'S', color: '#7BD500' },
	{ code: 'D', name: 'Nicht bezahlt', semantics: 'F', color: '#FF5752' },
];

/** Plain status lists (crm.status.list ENTITY_ID …, §11). */
const STATUS_LISTS: Record<string, Array<[string, string]>> = {
	SOURCE: [
		['CALL', 'Anruf'],
		['EMAIL', 'E-Mail'],
		['WEB', 'Website'],
		['PARTNER', 'Bestandskunde'],
		['OTHER', 'Sonstiges'],
	],
	CONTACT_TYPE: [
		['CLIENT', 'Kunden'],
		['SUPPLIER', 'Lieferanten'],
		['PARTNER', 'Partner'],
		['OTHER', 'Sonstiges'],
	],
	COMPANY_TYPE: [
		['CUSTOMER', 'Kunde'],
		['SUPPLIER', 'Lieferant'],
		['COMPETITOR', 'Mitbewerber'],
		['PARTNER', 'Partner'],
		['OTHER', 'Sonstiges'],
	],
	HONORIFIC: [
		['HNR_DE_1', 'Herr'],
		['HNR_DE_2', 'Frau'],
		['HNR_DE_3', 'Dr.'],
		['HNR_DE_4', 'Prof.'],
	],
	INDUSTRY: [
		['IT', 'Informationstechnologie'],
		['MANUFACTURING', 'Produktion'],
		['CONSULTING', 'Beratung'],
		['OTHER', 'Sonstiges'],
	],
	EMPLOYEES: [
		['EMPLOYEES_1', 'weniger als 50'],
		['EMPLOYEES_2', '50-250'],
		['EMPLOYEES_3', '250-500'],
		['EMPLOYEES_4', 'mehr als 500'],
	],
};

export function invoiceStageEntityId(categoryId: number): string {
	return `SMART_INVOICE_STAGE_${categoryId}`;
}

function buildStatuses(invoiceCategoryIds: number[]): StatusEntry[] {
	const entries: StatusEntry[] = [];
	const add = (entry: Omit<StatusEntry, 'ID'>) => entries.push({ ID: entries.length + 1, ...entry });
	for (const [entityId, values] of Object.entries(STATUS_LISTS)) {
		values.forEach(([statusId, name], index) =>
			add({
				ENTITY_ID: entityId,
				STATUS_ID: statusId,
				NAME: name,
				NAME_INIT: name,
				SORT: (index + 1) * 10,
				SYSTEM: 'N',
				CATEGORY_ID: null,
				COLOR: null,
				SEMANTICS: null,
			}),
		);
	}
	for (const categoryId of invoiceCategoryIds) {
		INVOICE_STAGES.forEach((stage, index) =>
			add({
				ENTITY_ID: invoiceStageEntityId(categoryId),
				STATUS_ID: `DT31_${categoryId}:${stage.code}`,
				NAME: stage.name,
				NAME_INIT: stage.name,
				SORT: (index + 1) * 10,
				SYSTEM: 'Y',
				CATEGORY_ID: categoryId,
				COLOR: stage.color,
				SEMANTICS: stage.semantics,
			}),
		);
	}
	return entries;
}

function buildUserFields(): UserField[] {
	const field = (id: number, entityId: string, name: string, type: string, label: string): UserField => ({
		ID: id,
		ENTITY_ID: entityId,
		FIELD_NAME: name,
		USER_TYPE_ID: type,
		MULTIPLE: 'N',
		MANDATORY: 'N',
		LABEL: label,
		XML_ID: null,
	});
	return [
		field(201, 'CRM_CONTACT', 'UF_CRM_LEXOFFICE_ID', 'string', 'LexOffice-ID'),
		field(202, 'CRM_CONTACT', 'UF_CRM_KUNDENNUMMER', 'string', 'Kundennummer'),
		field(203, 'CRM_COMPANY', 'UF_CRM_LEXOFFICE_ID', 'string', 'LexOffice-ID'),
		field(204, 'CRM_COMPANY', 'UF_CRM_NEWSLETTER', 'boolean', 'Newsletter'),
		field(205, 'CRM_SMART_INVOICE', 'UF_CRM_SMART_INVOICE_LEXOFFICE_URL', 'url', 'Rechnung in LexOffice'),
	];
}

function buildBizprocTemplates(): BizprocTemplate[] {
	return [
		{
			ID: 14,
			MODULE_ID: 'crm',
			ENTITY: 'CCrmDocumentContact',
			DOCUMENT_TYPE: ['crm', 'CCrmDocumentContact', 'CONTACT'],
			NAME: 'Neuen Kontakt prüfen',
			AUTO_EXECUTE: 0,
		},
		{
			ID: 15,
			MODULE_ID: 'crm',
			ENTITY: 'CCrmDocumentCompany',
			DOCUMENT_TYPE: ['crm', 'CCrmDocumentCompany', 'COMPANY'],
			NAME: 'Neues Unternehmen begrüßen',
			AUTO_EXECUTE: 0,
		},
		{
			ID: 16,
			MODULE_ID: 'crm',
			ENTITY: 'Bitrix\\Crm\\Integration\\BizProc\\Document\\SmartInvoice',
			DOCUMENT_TYPE: ['crm', 'Bitrix\\Crm\\Integration\\BizProc\\Document\\SmartInvoice', 'SMART_INVOICE'],
			NAME: 'Zahlungserinnerung',
			AUTO_EXECUTE: 0,
		},
	];
}

export function buildReferenceData(config: ReferenceDataConfig): {
	users: User[];
	presets: RequisitePreset[];
	categories: Category[];
	statuses: StatusEntry[];
	userFields: UserField[];
	bizprocTemplates: BizprocTemplate[];
} {
	const defaultCategory = config.invoiceCategoryId;
	const otherCategory = config.invoiceCategoryId + 3;
	return {
		users: buildUsers(config.userCount),
		presets: buildPresets(config.presetIdOffset),
		categories: [
			{ id: defaultCategory, entityTypeId: 31, name: 'Rechnungen', sort: 500, isDefault: 'Y' },
			{ id: otherCategory, entityTypeId: 31, name: 'Abschlagsrechnungen', sort: 600, isDefault: 'N' },
			{ id: 0, entityTypeId: 3, name: 'Kontakte', sort: 500, isDefault: 'Y' },
			{ id: 0, entityTypeId: 4, name: 'Unternehmen', sort: 500, isDefault: 'Y' },
		],
		statuses: buildStatuses([defaultCategory, otherCategory]),
		userFields: buildUserFields(),
		bizprocTemplates: buildBizprocTemplates(),
	};
}

/** crm.enum.addresstype for a `de` portal (§5): the labels do NOT match the constant names. */
export const ADDRESS_TYPES: Array<{ ID: number; NAME: string }> = [
	{ ID: 11, NAME: 'Lieferadresse' },
	{ ID: 1, NAME: 'Tatsächliche Adresse' },
	{ ID: 6, NAME: 'Rechtliche Adresse' },
	{ ID: 4, NAME: 'Registrierte Adresse' },
	{ ID: 8, NAME: 'Postanschrift' },
	{ ID: 9, NAME: 'Adresse des Begünstigten' },
];

/** crm.enum.ownertype (§4.1). */
export const OWNER_TYPES: Array<{ ID: number; NAME: string; SYMBOL_CODE: string; SYMBOL_CODE_SHORT: string }> = [
	{ ID: 1, NAME: 'Lead', SYMBOL_CODE: 'LEAD', SYMBOL_CODE_SHORT: 'L' },
	{ ID: 2, NAME: 'Deal', SYMBOL_CODE: 'DEAL', SYMBOL_CODE_SHORT: 'D' },
	{ ID: 3, NAME: 'Kontakt', SYMBOL_CODE: 'CONTACT', SYMBOL_CODE_SHORT: 'C' },
	{ ID: 4, NAME: 'Unternehmen', SYMBOL_CODE: 'COMPANY', SYMBOL_CODE_SHORT: 'CO' },
	{ ID: 5, NAME: 'Rechnung (alt)', SYMBOL_CODE: 'INVOICE', SYMBOL_CODE_SHORT: 'I' },
	{ ID: 7, NAME: 'Angebot', SYMBOL_CODE: 'QUOTE', SYMBOL_CODE_SHORT: 'Q' },
	{ ID: 8, NAME: 'Details', SYMBOL_CODE: 'REQUISITE', SYMBOL_CODE_SHORT: 'RQ' },
	{ ID: 14, NAME: 'Bestellung', SYMBOL_CODE: 'ORDER', SYMBOL_CODE_SHORT: 'O' },
	{ ID: 31, NAME: 'Rechnung', SYMBOL_CODE: 'SMART_INVOICE', SYMBOL_CODE_SHORT: 'SI' },
];
