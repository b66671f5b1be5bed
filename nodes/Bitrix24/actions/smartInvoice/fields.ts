/**
 * The invoice fields the node offers, turned into crm.item.* camelCase fields for entityTypeId 31
 * (bitrix24-api.md §6). Every value is checked before anything is sent, and a bad one names its
 * field.
 */
import { DateTime } from 'luxon';
import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { positiveId } from '../../helpers/crmEntities';

/** What the "Additional Fields" / "Update Fields" collections hold (names as in the description). */
export interface InvoiceFieldValues {
	title?: string;
	externalCode?: string;
	accountNumber?: string;
	amount?: number | string;
	currency?: string;
	invoiceDate?: unknown;
	dueDate?: unknown;
	contactIds?: unknown;
	companyId?: unknown;
	comments?: string;
	customFields?: { field?: Array<{ name?: string; value?: unknown }> };
}

export const FIELD_LABELS = {
	title: 'Title',
	externalCode: 'External Code',
	accountNumber: 'Account Number',
	amount: 'Amount',
	currency: 'Currency',
	invoiceDate: 'Invoice Date',
	dueDate: 'Due Date',
	contactIds: 'Contact IDs',
	companyId: 'Company ID',
	comments: 'Comments',
	customFields: 'Custom Fields',
} as const;

class InvalidField extends Error {
	constructor(
		readonly field: keyof typeof FIELD_LABELS,
		message: string,
		readonly hint: string,
	) {
		super(message);
	}
}

const isBlank = (value: unknown) =>
	value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/**
 * n8n hands dates over as ISO strings or luxon DateTimes (possibly from its own luxon copy, so
 * recognised by shape). The calendar day is kept as written: `2024-05-01T00:00:00+02:00` is the
 * 1st, not the 30th in UTC.
 */
function calendarDate(field: 'invoiceDate' | 'dueDate', value: unknown): string {
	const asIso =
		typeof value === 'object' && value !== null && typeof (value as { toISO?: unknown }).toISO === 'function'
			? (value as { toISO: () => string | null }).toISO()
			: value instanceof Date
				? value.toISOString()
				: String(value).trim();
	const parsed = DateTime.fromISO(asIso ?? '', { setZone: true });
	if (parsed.isValid) return parsed.toISODate() as string;
	throw new InvalidField(
		field,
		`"${FIELD_LABELS[field]}" is not a date: "${String(value)}"`,
		'Use an ISO date such as 2024-05-31 (LexOffice dates work as they are).',
	);
}

function idList(value: unknown): number[] {
	const parts = Array.isArray(value)
		? value
		: String(value)
				.split(/[\s,;]+/)
				.filter((part) => part !== '');
	const ids = parts.map((part) => positiveId(part));
	if (ids.length > 0 && ids.every((id) => id !== null)) return [...new Set(ids as number[])];
	throw new InvalidField(
		'contactIds',
		`"Contact IDs" must be numeric contact IDs, got "${String(value)}"`,
		'Enter one ID or several separated by commas, e.g. 12, 15 (the first is the main contact).',
	);
}

function amountOf(value: unknown): number {
	const amount = typeof value === 'number' ? value : Number(String(value).trim().replace(',', '.'));
	if (Number.isFinite(amount)) return amount;
	throw new InvalidField(
		'amount',
		`"Amount" is not a number: "${String(value)}"`,
		'Enter the invoice total, e.g. 119.00.',
	);
}

/** Converts the collection's values; throws InvalidField for the first value that cannot be sent. */
function convert(values: InvoiceFieldValues): IDataObject {
	const fields: IDataObject = {};
	const text = (value: unknown) => String(value).trim();
	if (!isBlank(values.title)) fields.title = text(values.title);
	if (!isBlank(values.externalCode)) fields.xmlId = text(values.externalCode);
	if (!isBlank(values.accountNumber)) fields.accountNumber = text(values.accountNumber);
	if (!isBlank(values.amount)) {
		fields.opportunity = amountOf(values.amount);
		// Otherwise Bitrix24 recomputes the amount from product rows, of which there are none (§6).
		fields.isManualOpportunity = 'Y';
	}
	if (!isBlank(values.currency)) {
		const currency = text(values.currency).toUpperCase();
		if (!/^[A-Z]{3}$/.test(currency)) {
			throw new InvalidField(
				'currency',
				`"Currency" must be a three-letter code, got "${String(values.currency)}"`,
				'Use an ISO 4217 code such as EUR.',
			);
		}
		fields.currencyId = currency;
	}
	if (!isBlank(values.invoiceDate)) fields.begindate = calendarDate('invoiceDate', values.invoiceDate);
	if (!isBlank(values.dueDate)) fields.closedate = calendarDate('dueDate', values.dueDate);
	// §6: the client is companyId plus the contactIds array; the first contact is the main one.
	if (!isBlank(values.contactIds)) fields.contactIds = idList(values.contactIds);
	if (!isBlank(values.companyId)) {
		const companyId = positiveId(values.companyId);
		if (companyId === null) {
			throw new InvalidField(
				'companyId',
				`"Company ID" must be a numeric company ID, got "${String(values.companyId)}"`,
				'Enter the ID of the company in Bitrix24, e.g. 42.',
			);
		}
		fields.companyId = companyId;
	}
	if (!isBlank(values.comments)) fields.comments = String(values.comments);
	for (const { name, value } of values.customFields?.field ?? []) {
		if (isBlank(name)) {
			throw new InvalidField(
				'customFields',
				'"Custom Fields" has an entry without a field',
				'Choose the custom field of each entry, or remove the entry.',
			);
		}
		fields[String(name).trim()] = (value ?? '') as IDataObject[string];
	}
	return fields;
}

/** The fields of one item's collection parameter, or a NodeOperationError naming the bad field. */
export function readInvoiceFields(this: IExecuteFunctions, parameterName: string, itemIndex: number): IDataObject {
	const values = this.getNodeParameter(parameterName, itemIndex, {}) as InvoiceFieldValues;
	try {
		return convert(values);
	} catch (error) {
		const hint = error instanceof InvalidField ? error.hint : undefined;
		throw new NodeOperationError(this.getNode(), (error as Error).message, { itemIndex, description: hint });
	}
}

/** The responsible user (resource locator), or undefined when left empty. */
export function readResponsible(this: IExecuteFunctions, itemIndex: number): number | undefined {
	const raw = this.getNodeParameter('assignedById', itemIndex, '', { extractValue: true }) as unknown;
	if (isBlank(raw)) return undefined;
	const id = positiveId(raw);
	if (id !== null) return id;
	throw new NodeOperationError(this.getNode(), `"Responsible Person" must be a user ID, got "${String(raw)}"`, {
		itemIndex,
		description: 'Pick the employee from the list, or enter their numeric user ID.',
	});
}
