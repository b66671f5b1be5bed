/** CRM object types the trigger reports (bitrix24-api.md §4.1). */
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
