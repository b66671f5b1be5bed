import { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

import {
	isBooleanType,
	isDateType,
	isMultifield,
	isNumberType,
	type CrmFieldDescription,
	type CrmFieldDescriptions,
} from './crmFieldSchema';
import type { DesiredMultifield } from './multifieldDiff';

/** A value that cannot become what Bitrix24 expects for its field; `field` names the culprit. */
export class FieldValueError extends Error {
	constructor(
		readonly field: string,
		message: string,
	) {
		super(message);
	}
}

const isEmpty = (value: unknown) => value === undefined || value === null || value === '';

/**
 * n8n hands dateTime fields over as luxon DateTimes, possibly from its own luxon copy, so they
 * are recognised by shape, not by `instanceof`.
 */
function asDateTime(value: unknown): DateTime | undefined {
	if (DateTime.isDateTime(value)) return value;
	if (typeof value === 'object' && value !== null && typeof (value as { toISO?: unknown }).toISO === 'function') {
		const iso = (value as { toISO: () => string | null }).toISO();
		return iso ? DateTime.fromISO(iso, { setZone: true }) : undefined;
	}
	if (value instanceof Date) return DateTime.fromJSDate(value);
	if (typeof value === 'number') return DateTime.fromMillis(value);
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	for (const parse of [
		() => DateTime.fromISO(text, { setZone: true }),
		() => DateTime.fromSQL(text, { setZone: true }),
		() => DateTime.fromFormat(text, 'dd.MM.yyyy'),
		() => DateTime.fromFormat(text, 'dd.MM.yyyy HH:mm:ss'),
	]) {
		const parsed = parse();
		if (parsed.isValid) return parsed;
	}
	return undefined;
}

const TRUE_TEXT = new Set(['y', 'yes', 'true', '1']);
const FALSE_TEXT = new Set(['n', 'no', 'false', '0']);

function toFlag(field: string, value: unknown): 'Y' | 'N' {
	if (value === true || value === 1) return 'Y';
	if (value === false || value === 0) return 'N';
	const text = String(value).trim().toLowerCase();
	if (TRUE_TEXT.has(text)) return 'Y';
	if (FALSE_TEXT.has(text)) return 'N';
	throw new FieldValueError(field, `${field} expects yes or no (true/false, Y/N), not "${String(value)}"`);
}

function toNumber(field: string, value: unknown): number {
	const number = typeof value === 'string' ? Number(value.trim().replace(',', '.')) : Number(value);
	if (typeof value !== 'boolean' && Number.isFinite(number)) return number;
	throw new FieldValueError(field, `${field} expects a number, not "${String(value)}"`);
}

/** One scalar in Bitrix24's format: Y/N flags, ISO dates (§2 "Dates"), numbers, text. */
function toScalar(field: string, description: CrmFieldDescription, value: unknown): unknown {
	if (isBooleanType(description.type)) return toFlag(field, value);
	if (isDateType(description.type)) {
		const date = asDateTime(value);
		if (!date?.isValid) {
			throw new FieldValueError(
				field,
				`${field} expects a date such as 2024-05-31 or 2024-05-31T14:30:00+02:00, not "${String(value)}"`,
			);
		}
		return description.type === 'date' ? date.toISODate() : date.toISO({ suppressMilliseconds: true });
	}
	if (isNumberType(description.type)) return toNumber(field, value);
	if (typeof value === 'object') return value;
	return String(value);
}

function asList(value: unknown): unknown[] {
	if (Array.isArray(value)) return value;
	if (typeof value === 'string') {
		const text = value.trim();
		if (text.startsWith('[')) {
			try {
				const parsed: unknown = JSON.parse(text);
				if (Array.isArray(parsed)) return parsed;
			} catch {
				// Not JSON: a single value.
			}
		}
	}
	return [value];
}

/**
 * EMAIL/PHONE/… as given by a workflow: a list of strings, or of `{VALUE, VALUE_TYPE}` (also
 * `value`/`valueType`/`type`), or one string. Empty values are dropped; `[]` means "none".
 */
export function toDesiredMultifields(field: string, value: unknown): DesiredMultifield[] {
	const entries: DesiredMultifield[] = [];
	for (const entry of asList(value)) {
		if (isEmpty(entry)) continue;
		if (typeof entry === 'string' || typeof entry === 'number') {
			entries.push({ VALUE: String(entry).trim() });
			continue;
		}
		if (typeof entry !== 'object' || Array.isArray(entry)) {
			throw new FieldValueError(field, `${field} expects a list of values or of {VALUE, VALUE_TYPE} objects`);
		}
		const record = entry as IDataObject;
		const raw = record.VALUE ?? record.value;
		if (isEmpty(raw)) continue;
		const type = record.VALUE_TYPE ?? record.valueType ?? record.type;
		entries.push({ VALUE: String(raw).trim(), ...(isEmpty(type) ? {} : { VALUE_TYPE: String(type).toUpperCase() }) });
	}
	return entries;
}

export interface ConvertedFields {
	/** Everything except multifields, in Bitrix24's format. */
	fields: IDataObject;
	/** Desired EMAIL/PHONE/… lists, to be written through the multifield diff. */
	multifields: Record<string, DesiredMultifield[]>;
}

/**
 * Turns mapped values into the `fields` of crm.contact.add/update. Empty values (unset, null, '')
 * are left out, so Bitrix24 keeps what it has; read-only fields are never sent. A field the portal does not have
 * is refused, because silently dropping it would lose data.
 */
export function toBitrix24Fields(descriptions: CrmFieldDescriptions, values: IDataObject): ConvertedFields {
	const converted: ConvertedFields = { fields: {}, multifields: {} };
	for (const [field, value] of Object.entries(values)) {
		const description = Object.prototype.hasOwnProperty.call(descriptions, field) ? descriptions[field] : undefined;
		if (!description) {
			throw new FieldValueError(
				field,
				`Bitrix24 has no field ${field} here; reload the field list or remove the field from the mapping`,
			);
		}
		if (description.isReadOnly) continue;
		if (isMultifield(description)) {
			// Only an explicit list (even []) replaces the values; an empty field leaves them alone.
			if (!isEmpty(value)) converted.multifields[field] = toDesiredMultifields(field, value);
			continue;
		}
		if (isEmpty(value)) continue;
		converted.fields[field] = (
			description.isMultiple
				? asList(value)
						.filter((entry) => !isEmpty(entry))
						.map((entry) => toScalar(field, description, entry))
				: toScalar(field, description, value)
		) as IDataObject[string];
	}
	return converted;
}
