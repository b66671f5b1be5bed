/**
 * What every list method shares (bitrix24-api.md §2): filters with prefix operators, `order`,
 * pages of 50 selected by `start`, and the fast mode `start=-1` (no count: total 0, no next).
 */
import { B24Error } from './errors';

export const PAGE_SIZE = 50;

export interface Page<T> {
	rows: T[];
	total: number;
	next?: number;
}

export function paginate<T>(rows: T[], startParam: unknown): Page<T> {
	const start = Number(startParam ?? 0);
	if (start === -1) return { rows: rows.slice(0, PAGE_SIZE), total: 0 };
	const offset = Number.isFinite(start) && start > 0 ? Math.trunc(start) : 0;
	const next = offset + PAGE_SIZE < rows.length ? offset + PAGE_SIZE : undefined;
	return { rows: rows.slice(offset, offset + PAGE_SIZE), total: rows.length, next };
}

// Longest prefixes first, so '>=' is not read as '>' + '=field'.
const OPERATORS = ['!=%', '!%=', '>=', '<=', '=%', '%=', '!@', '!=', '!%', '>', '<', '=', '%', '@', '!'] as const;
type Operator = (typeof OPERATORS)[number] | '';

export interface FilterSchema<T> {
	/** Maps a filter/order field name to the stored name; undefined = not a known field. */
	resolve(name: string): string | undefined;
	value(record: T, storedName: string): unknown;
	/** crm.item.list rejects unknown fields (§4.3); the legacy lists ignore them. */
	unknownField: 'error' | 'ignore';
	/** crm.item.list supports nested `logic: 'OR'` groups; crm.contact.list does not (§2). */
	allowLogic: boolean;
}

function splitOperator(key: string): { operator: Operator; name: string } {
	const operator = OPERATORS.find((candidate) => key.startsWith(candidate) && key.length > candidate.length);
	return operator ? { operator, name: key.slice(operator.length) } : { operator: '', name: key };
}

function isEmpty(value: unknown): boolean {
	return (
		value === null ||
		value === undefined ||
		value === '' ||
		value === false ||
		(Array.isArray(value) && value.length === 0)
	);
}

function asList(value: unknown): unknown[] {
	if (Array.isArray(value)) return value;
	if (typeof value === 'object' && value !== null) return Object.values(value);
	return [value];
}

function looseEquals(stored: unknown, wanted: unknown): boolean {
	if (isEmpty(wanted)) return isEmpty(stored);
	if (Array.isArray(stored)) return stored.some((entry) => looseEquals(entry, wanted));
	if (stored === null || stored === undefined) return false;
	const storedNumber = Number(stored);
	const wantedNumber = Number(wanted);
	if (stored !== '' && wanted !== '' && !Number.isNaN(storedNumber) && !Number.isNaN(wantedNumber)) {
		return storedNumber === wantedNumber;
	}
	// MySQL's default collation compares case-insensitively.
	return String(stored).toLowerCase() === String(wanted).toLowerCase();
}

function compare(stored: unknown, wanted: unknown): number | undefined {
	if (stored === null || stored === undefined || stored === '') return undefined;
	const storedNumber = Number(stored);
	const wantedNumber = Number(wanted);
	if (!Number.isNaN(storedNumber) && !Number.isNaN(wantedNumber) && wanted !== '') return storedNumber - wantedNumber;
	const storedDate = Date.parse(String(stored));
	const wantedDate = Date.parse(String(wanted));
	if (!Number.isNaN(storedDate) && !Number.isNaN(wantedDate)) return storedDate - wantedDate;
	return String(stored).localeCompare(String(wanted));
}

function likePattern(pattern: string): RegExp {
	const source = pattern
		.split('')
		.map((char) => (char === '%' ? '.*' : char === '_' ? '.' : char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
		.join('');
	return new RegExp(`^${source}$`, 'is');
}

function matchesLike(stored: unknown, pattern: RegExp): boolean {
	return asList(stored).some((entry) => entry !== null && entry !== undefined && pattern.test(String(entry)));
}

function test(operator: Operator, stored: unknown, wanted: unknown): boolean {
	switch (operator) {
		case '':
		case '=':
			return Array.isArray(wanted) ? wanted.some((value) => looseEquals(stored, value)) : looseEquals(stored, wanted);
		case '!':
		case '!=':
			return !test('=', stored, wanted);
		case '@':
			return asList(wanted).some((value) => looseEquals(stored, value));
		case '!@':
			return !test('@', stored, wanted);
		case '%': {
			const needle = String(wanted).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
			return matchesLike(stored, new RegExp(needle, 'i'));
		}
		case '!%':
			return !test('%', stored, wanted);
		case '=%':
		case '%=':
			return matchesLike(stored, likePattern(String(wanted)));
		case '!=%':
		case '!%=':
			return !matchesLike(stored, likePattern(String(wanted)));
		case '>':
		case '>=':
		case '<':
		case '<=': {
			const difference = compare(stored, wanted);
			if (difference === undefined) return false;
			if (operator === '>') return difference > 0;
			if (operator === '>=') return difference >= 0;
			if (operator === '<') return difference < 0;
			return difference <= 0;
		}
	}
}

/** Compiles a Bitrix24 filter object into a predicate. Throws INVALID_ARG_VALUE like crm.item.list. */
export function compileFilter<T>(filter: unknown, schema: FilterSchema<T>): (record: T) => boolean {
	if (typeof filter !== 'object' || filter === null) return () => true;
	const entries = Object.entries(filter as Record<string, unknown>);
	const logic = String((filter as Record<string, unknown>).logic ?? 'AND').toUpperCase();
	const predicates: Array<(record: T) => boolean> = [];
	for (const [key, wanted] of entries) {
		if (key === 'logic') continue;
		if (/^\d+$/.test(key) && typeof wanted === 'object' && wanted !== null && !Array.isArray(wanted)) {
			if (schema.allowLogic) predicates.push(compileFilter(wanted, schema));
			continue;
		}
		const { operator, name } = splitOperator(key);
		const stored = schema.resolve(name);
		if (stored === undefined) {
			if (schema.unknownField === 'error') {
				throw new B24Error(400, 'INVALID_ARG_VALUE', `Invalid filter: field '${name}' is not allowed in filter`);
			}
			continue;
		}
		predicates.push((record) => test(operator, schema.value(record, stored), wanted));
	}
	if (logic === 'OR' && schema.allowLogic) {
		return (record) => predicates.length === 0 || predicates.some((predicate) => predicate(record));
	}
	return (record) => predicates.every((predicate) => predicate(record));
}

/** Sorts by `order` ({field: 'ASC'|'DESC'}, in key order); ties and the default: ID ascending. */
export function sortRecords<T>(
	rows: T[],
	order: unknown,
	schema: Pick<FilterSchema<T>, 'resolve' | 'value'>,
	idField: string,
): T[] {
	const keys: Array<{ field: string; direction: number }> = [];
	if (typeof order === 'object' && order !== null) {
		for (const [name, direction] of Object.entries(order as Record<string, unknown>)) {
			const stored = schema.resolve(name);
			if (stored) keys.push({ field: stored, direction: String(direction).toUpperCase() === 'DESC' ? -1 : 1 });
		}
	}
	keys.push({ field: idField, direction: 1 });
	return [...rows].sort((left, right) => {
		for (const { field, direction } of keys) {
			const a = schema.value(left, field);
			const b = schema.value(right, field);
			if (a === b) continue;
			if (a === null || a === undefined) return -direction;
			if (b === null || b === undefined) return direction;
			const difference = compare(a, b) ?? 0;
			if (difference !== 0) return difference > 0 ? direction : -direction;
		}
		return 0;
	});
}

/** A schema for flat UPPER_CASE records (presets, requisites, addresses, statuses, users). */
export function plainSchema<T extends object>(knownFields: readonly string[]): FilterSchema<T> {
	const byUpper = new Map(knownFields.map((name) => [name.toUpperCase(), name]));
	return {
		resolve: (name) => byUpper.get(name.toUpperCase()),
		value: (record, name) => (record as Record<string, unknown>)[name],
		unknownField: 'ignore',
		allowLogic: false,
	};
}

/** filter → order → page, for flat records. */
export function listPlain<T extends object>(
	rows: T[],
	knownFields: readonly string[],
	params: { filter?: unknown; order?: unknown; start?: unknown },
	idField = 'ID',
): Page<T> {
	const schema = plainSchema<T>(knownFields);
	return paginate(
		sortRecords(rows.filter(compileFilter(params.filter, schema)), params.order, schema, idField),
		params.start,
	);
}

/** Legacy answers carry numbers as strings ("ID":"12"). */
export function stringifyNumbers(record: object): Record<string, unknown> {
	return Object.fromEntries(
		Object.entries(record).map(([key, value]) => [
			key,
			typeof value === 'number'
				? String(value)
				: Array.isArray(value)
					? value.map((entry) => (typeof entry === 'number' ? String(entry) : entry))
					: value,
		]),
	);
}

/** Keeps the selected keys (`*`/empty = all; ID always), case-insensitively. */
export function selectKeys(
	record: Record<string, unknown>,
	select: unknown,
	always: readonly string[] = ['ID'],
): Record<string, unknown> {
	const names = (Array.isArray(select) ? select : []).map((name) => String(name).toUpperCase());
	if (names.length === 0 || names.includes('*')) return record;
	return Object.fromEntries(
		Object.entries(record).filter(
			([key]) =>
				always.includes(key) || names.includes(key.toUpperCase()) || (names.includes('UF_*') && key.startsWith('UF_')),
		),
	);
}
