import { DateTime } from 'luxon';

import {
	addDays,
	berlinToday,
	daysBetween,
	formatLexofficeDate,
	formatLexofficeDateTime,
	isLexofficeDateTime,
	toDateTime,
} from '../../../nodes/Lexoffice/transport/dates';

describe('formatLexofficeDateTime (lexoffice-api.md §9: 3 ms digits, offset with colon)', () => {
	test.each([
		// winter: CET +01:00
		['2022-01-15T08:30:00Z', '2022-01-15T09:30:00.000+01:00'],
		// summer: CEST +02:00
		['2022-04-27T07:30:00.5Z', '2022-04-27T09:30:00.500+02:00'],
		// an offset elsewhere is converted, not copied
		['2022-04-27T09:30:00.123456-05:00', '2022-04-27T16:30:00.123+02:00'],
		// a bare day is midnight in Berlin
		['2023-02-22', '2023-02-22T00:00:00.000+01:00'],
		// around the DST switch (2024-03-31 02:00 CET → 03:00 CEST)
		['2024-03-31T00:59:59.999Z', '2024-03-31T01:59:59.999+01:00'],
		['2024-03-31T01:00:00.000Z', '2024-03-31T03:00:00.000+02:00'],
	])('%s → %s', (input, expected) => {
		expect(formatLexofficeDateTime(input)).toBe(expected);
		expect(isLexofficeDateTime(formatLexofficeDateTime(input))).toBe(true);
	});

	test('accepts Date, epoch millis and luxon DateTime', () => {
		const instant = Date.UTC(2023, 6, 14, 11, 42, 2, 7);
		const expected = '2023-07-14T13:42:02.007+02:00';
		expect(formatLexofficeDateTime(new Date(instant))).toBe(expected);
		expect(formatLexofficeDateTime(instant)).toBe(expected);
		expect(formatLexofficeDateTime(DateTime.fromMillis(instant, { zone: 'Asia/Tokyo' }))).toBe(expected);
	});

	test.each(['', 'yesterday', '2023-13-01', '2023-02-30T10:00:00Z'])('rejects %j', (input) => {
		expect(() => formatLexofficeDateTime(input)).toThrow(/not a valid date/);
	});
});

describe('formatLexofficeDate (day in Europe/Berlin, §5)', () => {
	test.each([
		['2023-12-31T22:59:59.999Z', '2023-12-31'],
		['2023-12-31T23:00:00.000Z', '2024-01-01'], // already New Year in Berlin
		['2023-06-30T22:30:00Z', '2023-07-01'], // summer time
		['2023-06-30T23:30:00+02:00', '2023-06-30'],
		['2025-01-05', '2025-01-05'],
	])('%s → %s', (input, expected) => {
		expect(formatLexofficeDate(input)).toBe(expected);
	});

	test('berlinToday uses the injected instant', () => {
		expect(berlinToday(new Date('2025-03-01T23:30:00Z'))).toBe('2025-03-02');
	});
});

describe('isLexofficeDateTime', () => {
	test.each([
		['2022-04-27T09:30:00.000+02:00', true],
		['2022-04-27T09:30:00.000Z', true],
		['2022-04-27T09:30:00+02:00', false], // no milliseconds
		['2022-04-27T09:30:00.00+02:00', false], // two digits
		['2022-04-27T09:30:00.000+0200', false], // offset without colon
		['2022-04-27 09:30:00.000+02:00', false], // no T
		['2022-04-27', false],
	])('%s → %s', (value, expected) => {
		expect(isLexofficeDateTime(value)).toBe(expected);
	});
});

describe('day arithmetic', () => {
	test.each([
		['2024-02-28', 1, '2024-02-29'],
		['2024-02-29', 1, '2024-03-01'],
		['2024-03-30', 1, '2024-03-31'], // 23-hour day
		['2024-10-27', 1, '2024-10-28'], // 25-hour day
		['2024-01-01', -1, '2023-12-31'],
	])('addDays(%s, %d) = %s', (day, days, expected) => {
		expect(addDays(day, days)).toBe(expected);
	});

	test.each([
		['2024-01-01', '2024-01-01', 0],
		['2024-03-30', '2024-04-02', 3],
		['2024-10-26', '2024-10-29', 3],
		['2024-01-01', '2025-01-01', 366],
		['2024-01-10', '2024-01-01', -9],
	])('daysBetween(%s, %s) = %d', (from, to, expected) => {
		expect(daysBetween(from, to)).toBe(expected);
	});

	test('toDateTime reads a bare day as Berlin midnight', () => {
		expect(toDateTime('2024-07-01').toUTC().toISO()).toBe('2024-06-30T22:00:00.000Z');
	});
});
