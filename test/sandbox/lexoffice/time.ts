import { DateTime } from 'luxon';

export const BERLIN = 'Europe/Berlin';

/** `yyyy-MM-ddTHH:mm:ss.SSS+02:00` in Berlin time, the format every LexOffice timestamp has (lexoffice-api.md §9). */
export function lexofficeTimestamp(ms: number = Date.now()): string {
	return DateTime.fromMillis(ms, { zone: BERLIN }).toFormat("yyyy-MM-dd'T'HH:mm:ss.SSSZZ");
}

/** Exactly three millisecond digits and `Z` or a colon offset; anything else is a 406 (lexoffice-api.md §9). */
export const STRICT_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:\d{2})$/;

export function isStrictDateTime(value: unknown): value is string {
	return typeof value === 'string' && STRICT_DATETIME.test(value) && DateTime.fromISO(value).isValid;
}

/** The Berlin calendar day (`yyyy-MM-dd`) of a timestamp; voucherlist filters compare whole days (§5). */
export function berlinDay(timestamp: string): string {
	return DateTime.fromISO(timestamp, { setZone: true }).setZone(BERLIN).toISODate() ?? '';
}

/** Midnight (Berlin) of the given timestamp's day plus `days`, as a LexOffice timestamp. */
export function berlinMidnightPlusDays(timestamp: string, days: number): string {
	const day = DateTime.fromISO(timestamp, { setZone: true }).setZone(BERLIN).startOf('day').plus({ days });
	return day.toFormat("yyyy-MM-dd'T'HH:mm:ss.SSSZZ");
}
