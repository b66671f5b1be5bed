import type { INodePropertyOptions } from 'n8n-workflow';

/**
 * Every event type LexOffice documents (lexoffice-api.md §6.2, 42 as of 08/2025). The names are
 * LexOffice's, spelled exactly; a test compares this list with the reference document.
 */
export const LEXOFFICE_EVENT_TYPES = [
	'article.created',
	'article.changed',
	'article.deleted',
	'contact.created',
	'contact.changed',
	'contact.deleted',
	'credit-note.created',
	'credit-note.changed',
	'credit-note.deleted',
	'credit-note.status.changed',
	'delivery-note.created',
	'delivery-note.changed',
	'delivery-note.deleted',
	'delivery-note.status.changed',
	'down-payment-invoice.created',
	'down-payment-invoice.changed',
	'down-payment-invoice.deleted',
	'down-payment-invoice.status.changed',
	'dunning.created',
	'dunning.changed',
	'dunning.deleted',
	'invoice.created',
	'invoice.changed',
	'invoice.deleted',
	'invoice.status.changed',
	'order-confirmation.created',
	'order-confirmation.changed',
	'order-confirmation.deleted',
	'order-confirmation.status.changed',
	'payment.changed',
	'quotation.created',
	'quotation.changed',
	'quotation.deleted',
	'quotation.status.changed',
	'recurring-template.created',
	'recurring-template.changed',
	'recurring-template.deleted',
	'token.revoked',
	'voucher.created',
	'voucher.changed',
	'voucher.deleted',
	'voucher.status.changed',
] as const;

export type LexofficeEventType = (typeof LEXOFFICE_EVENT_TYPES)[number];

const KNOWN_EVENT_TYPES: ReadonlySet<string> = new Set(LEXOFFICE_EVENT_TYPES);

export function isLexofficeEventType(value: string): value is LexofficeEventType {
	return KNOWN_EVENT_TYPES.has(value);
}

/** The part before the first dot names the resource: `credit-note.status.changed` → `credit-note`. */
export function eventResource(eventType: string): string {
	return eventType.split('.')[0];
}

function titleCase(words: string): string {
	return words
		.split(/[-.\s]+/)
		.filter(Boolean)
		.map((word) => word[0].toUpperCase() + word.slice(1))
		.join(' ');
}

/** Picker options, e.g. `credit-note.status.changed` → "Credit Note Status Changed". */
export const EVENT_TYPE_OPTIONS: INodePropertyOptions[] = LEXOFFICE_EVENT_TYPES.map((eventType) => ({
	name: titleCase(eventType),
	value: eventType,
	description: `LexOffice event "${eventType}"`,
}));
