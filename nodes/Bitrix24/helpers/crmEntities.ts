/**
 * CRM object types (bitrix24-api.md §4.1) and the names each REST family gives them. The one place
 * for this map: the Bitrix24 node's actions and the Bitrix24 Trigger both read it.
 */
export type CrmEntityType = 'lead' | 'deal' | 'contact' | 'company' | 'quote' | 'smartInvoice' | 'dynamic';

/** Type names as they appear in placement codes (`CRM_SMART_INVOICE_DETAIL_TOOLBAR`), §9. */
const ENTITY_BY_CODE: Record<string, { entityType: CrmEntityType; entityTypeId: number }> = {
	LEAD: { entityType: 'lead', entityTypeId: 1 },
	DEAL: { entityType: 'deal', entityTypeId: 2 },
	CONTACT: { entityType: 'contact', entityTypeId: 3 },
	COMPANY: { entityType: 'company', entityTypeId: 4 },
	QUOTE: { entityType: 'quote', entityTypeId: 7 },
	SMART_INVOICE: { entityType: 'smartInvoice', entityTypeId: 31 },
};

export const SMART_INVOICE_ENTITY_TYPE_ID = 31;

/** Smart processes (SPAs) have ids from 128 up (§4.1). */
const FIRST_DYNAMIC_ENTITY_TYPE_ID = 128;

export function entityTypeOfId(entityTypeId: number): CrmEntityType | undefined {
	const known = Object.values(ENTITY_BY_CODE).find((entity) => entity.entityTypeId === entityTypeId);
	if (known) return known.entityType;
	return entityTypeId >= FIRST_DYNAMIC_ENTITY_TYPE_ID ? 'dynamic' : undefined;
}

/** `SMART_INVOICE` → smart invoice (31), `DYNAMIC_183` → SPA 183. */
export function entityOfCode(code: string): { entityType: CrmEntityType; entityTypeId: number } | undefined {
	const dynamic = /^DYNAMIC_(\d+)$/.exec(code);
	if (dynamic) return { entityType: 'dynamic', entityTypeId: Number(dynamic[1]) };
	return ENTITY_BY_CODE[code];
}

/** CRM placement codes are `CRM_<TYPE>_<PLACE>`, e.g. `CRM_DYNAMIC_183_DETAIL_TOOLBAR` (§9). */
export function entityOfPlacement(placement: string): { entityType: CrmEntityType; entityTypeId: number } | undefined {
	const match = /^CRM_(SMART_INVOICE|DYNAMIC_\d+|[A-Z]+)_[A-Z_]+$/.exec(placement.toUpperCase());
	return match ? entityOfCode(match[1]) : undefined;
}

/** A positive integer id from Bitrix24's string fields (`"ID": "8061"`), else null. */
export function positiveId(value: unknown): number | null {
	const text = typeof value === 'number' ? String(value) : value;
	if (typeof text !== 'string' || !/^\d+$/.test(text.trim())) return null;
	const id = Number(text.trim());
	return id > 0 && Number.isSafeInteger(id) ? id : null;
}

/** The CRM types an action can point at (a comment, a document, a trigger, a workflow). */
export type CrmTargetType = 'lead' | 'deal' | 'contact' | 'company' | 'smartInvoice';

export interface CrmTarget {
	type: CrmTargetType;
	displayName: string;
	/** Numeric type id: log messages, documents, OWNER_TYPE_ID of app triggers (§7, §8). */
	entityTypeId: number;
	/** `TYPENAME` of `TYPENAME_ID` targets and bizproc document ids (§8). */
	code: string;
	/**
	 * Lower-case ENTITY_TYPE of crm.timeline.comment.add (§7.1). `smart_invoice` follows the
	 * documented pattern (`contact`, `dynamic_1046`); VERIFY on a live portal.
	 */
	timelineName: string;
	/** Module and document class of bizproc.workflow.start's DOCUMENT_ID (§8). */
	bizprocDocument: [string, string];
}

export const CRM_TARGETS: Record<CrmTargetType, CrmTarget> = {
	contact: {
		type: 'contact',
		displayName: 'Contact',
		entityTypeId: 3,
		code: 'CONTACT',
		timelineName: 'contact',
		bizprocDocument: ['crm', 'CCrmDocumentContact'],
	},
	company: {
		type: 'company',
		displayName: 'Company',
		entityTypeId: 4,
		code: 'COMPANY',
		timelineName: 'company',
		bizprocDocument: ['crm', 'CCrmDocumentCompany'],
	},
	smartInvoice: {
		type: 'smartInvoice',
		displayName: 'Smart Invoice',
		entityTypeId: SMART_INVOICE_ENTITY_TYPE_ID,
		code: 'SMART_INVOICE',
		timelineName: 'smart_invoice',
		bizprocDocument: ['crm', 'Bitrix\\Crm\\Integration\\BizProc\\Document\\SmartInvoice'],
	},
	deal: {
		type: 'deal',
		displayName: 'Deal',
		entityTypeId: 2,
		code: 'DEAL',
		timelineName: 'deal',
		bizprocDocument: ['crm', 'CCrmDocumentDeal'],
	},
	lead: {
		type: 'lead',
		displayName: 'Lead',
		entityTypeId: 1,
		code: 'LEAD',
		timelineName: 'lead',
		bizprocDocument: ['crm', 'CCrmDocumentLead'],
	},
};

export function crmTargetOf(value: unknown): CrmTarget | undefined {
	return typeof value === 'string' && Object.prototype.hasOwnProperty.call(CRM_TARGETS, value)
		? CRM_TARGETS[value as CrmTargetType]
		: undefined;
}

/** `['crm', 'CCrmDocumentContact', 'CONTACT_777']` (§8). */
export function bizprocDocumentId(target: CrmTarget, id: number): [string, string, string] {
	return [...target.bizprocDocument, `${target.code}_${id}`];
}
