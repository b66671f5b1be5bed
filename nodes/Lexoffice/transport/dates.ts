import { DateTime } from 'luxon';

/**
 * LexOffice's date formats (lexoffice-api.md §9): timestamps need exactly three millisecond digits
 * and an offset with a colon (or Z), else the API answers 406; filters such as the voucherlist's
 * `voucherDateFrom` take a bare day that "references a full day in CET/CEST" (§5).
 * Pure functions: every "now" is passed in.
 */

export const LEXOFFICE_ZONE = 'Europe/Berlin';

const DATE_TIME_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSZZ";
const DATE_FORMAT = 'yyyy-MM-dd';
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const LEXOFFICE_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:\d{2})$/;

export type DateInput = Date | DateTime | string | number;

/**
 * Reads an instant. Strings are ISO 8601; a bare day means its midnight in Berlin. Numbers are
 * epoch milliseconds. Throws on anything unreadable, so bad input never reaches the API.
 */
export function toDateTime(input: DateInput): DateTime {
	let value: DateTime;
	if (DateTime.isDateTime(input)) value = input;
	else if (input instanceof Date) value = DateTime.fromJSDate(input);
	else if (typeof input === 'number') value = DateTime.fromMillis(input);
	else if (DATE_ONLY.test(input.trim())) value = DateTime.fromISO(input.trim(), { zone: LEXOFFICE_ZONE });
	else value = DateTime.fromISO(input.trim(), { setZone: true });
	if (!value.isValid) {
		throw new Error(`'${String(input)}' is not a valid date (${value.invalidExplanation ?? value.invalidReason})`);
	}
	return value;
}

/** `2022-04-27T09:30:00.000+02:00`: the instant, shown in Berlin time. */
export function formatLexofficeDateTime(input: DateInput): string {
	return toDateTime(input).setZone(LEXOFFICE_ZONE).toFormat(DATE_TIME_FORMAT);
}

/** `2022-04-27`: the Berlin calendar day of the instant (a bare day is kept as it is). */
export function formatLexofficeDate(input: DateInput): string {
	return toDateTime(input).setZone(LEXOFFICE_ZONE).toFormat(DATE_FORMAT);
}

/** Whether a string is a timestamp LexOffice accepts as it is. */
export function isLexofficeDateTime(value: string): boolean {
	return LEXOFFICE_DATE_TIME.test(value) && toDateTime(value).isValid;
}

/** The Berlin day `days` after (or before, if negative) a `yyyy-MM-dd` day. */
export function addDays(day: string, days: number): string {
	return toDateTime(day).plus({ days }).toFormat(DATE_FORMAT);
}

/** Whole days from `from` to `to` (both `yyyy-MM-dd`); 0 for the same day, negative if reversed. */
export function daysBetween(from: string, to: string): number {
	return Math.round(toDateTime(to).diff(toDateTime(from), 'days').days);
}

/** Today in Berlin, for the instant `now`. */
export function berlinToday(now: DateInput): string {
	return formatLexofficeDate(now);
}
