/**
 * Upsert's lookups: by external id (ORIGINATOR_ID + `@ORIGIN_ID`), then by the secondary rules
 * (e-mail via crm.duplicate.findbycomm §4.5, an entity field, a requisite field §5), all batched.
 */
import type { IDataObject } from 'n8n-workflow';

import type { MatchCandidate } from '../../helpers/upsertMatching';
import type { Bitrix24Context } from '../../transport';
import type { CrmEntity } from '../../helpers/crmRecordEntity';
import {
	chunk,
	duplicateIds,
	rowsFrom,
	runLookups,
	scanCommand,
	VALUES_PER_LIST,
	type LookupCommand,
} from '../../helpers/crmRecordLookup';
import { IDENTITY_FIELDS, type Matcher, type UpsertItem, type UpsertSettings } from './crmRecordUpsertInput';

/** What matching and the multifield diff need of a record (multifields must be named, §4.2). */
export const RECORD_SELECT = ['ID', ...IDENTITY_FIELDS, 'EMAIL', 'PHONE', 'WEB', 'IM', 'LINK'];
/** §4.5: crm.duplicate.findbycomm takes at most 20 values. */
const VALUES_PER_DUPLICATE_SEARCH = 20;

export type RecordCache = Map<number, IDataObject>;

export const text = (value: unknown) => (value === undefined || value === null ? '' : String(value).trim());
/** Lookups compare like Bitrix24's database does: trimmed and case-insensitive. */
const sameText = (value: unknown) => text(value).toLowerCase();

export function candidateOf(record: IDataObject): MatchCandidate {
	return { id: Number(record.ID), originId: text(record.ORIGIN_ID), originVersion: text(record.ORIGIN_VERSION) };
}

function remember(records: RecordCache, rows: IDataObject[]): void {
	for (const row of rows) records.set(Number(row.ID), row);
}

/** The commands that find records by external id; the caller adds them to its first batch. */
export function originLookupCommands(entity: CrmEntity, systemCode: string, originIds: string[]): LookupCommand[] {
	return chunk(originIds, VALUES_PER_LIST).map((ids, index) =>
		scanCommand(
			`origin${index}`,
			`${entity.methodPrefix}.list`,
			{ ORIGINATOR_ID: systemCode, '@ORIGIN_ID': ids },
			RECORD_SELECT,
		),
	);
}

/** Records per external id, keeping only exact matches (the database compares loosely). */
export function originMatches(
	results: Map<string, unknown>,
	systemCode: string,
	records: RecordCache,
): Map<string, MatchCandidate[]> {
	const byOriginId = new Map<string, MatchCandidate[]>();
	for (const key of results.keys()) {
		if (!key.startsWith('origin')) continue;
		const rows = rowsFrom(results, key);
		remember(records, rows);
		for (const row of rows) {
			if (text(row.ORIGINATOR_ID) !== systemCode) continue;
			const originId = text(row.ORIGIN_ID);
			byOriginId.set(originId, [...(byOriginId.get(originId) ?? []), candidateOf(row)]);
		}
	}
	return byOriginId;
}

/** The values an item looks for with a rule: its Value, or for e-mail the mapped EMAIL list. */
function valuesFor(item: UpsertItem, matcher: Matcher, ruleIndex: number): string[] {
	const raw = item.matchValues[ruleIndex] ?? '';
	if (matcher.by !== 'email') return raw ? [raw] : [];
	if (raw) return raw.split(/[,;\s]+/).filter(Boolean);
	return (item.converted?.multifields.EMAIL ?? []).map((entry) => entry.VALUE);
}

function ruleCommands(entity: CrmEntity, matcher: Matcher, ruleIndex: number, values: string[]): LookupCommand[] {
	const key = (index: number) => `rule${ruleIndex}_${index}`;
	if (matcher.by === 'email') {
		return chunk(values, VALUES_PER_DUPLICATE_SEARCH).map((part, index) => ({
			key: key(index),
			method: 'crm.duplicate.findbycomm',
			params: { type: 'EMAIL', values: part, entity_type: entity.typeName },
		}));
	}
	return chunk(values, VALUES_PER_LIST).map((part, index) =>
		matcher.by === 'field'
			? scanCommand(key(index), `${entity.methodPrefix}.list`, { [`@${matcher.field}`]: part }, [
					...RECORD_SELECT,
					matcher.field,
				])
			: scanCommand(
					key(index),
					'crm.requisite.list',
					{ ENTITY_TYPE_ID: entity.entityTypeId, [`@${matcher.field}`]: part },
					['ID', 'ENTITY_ID', matcher.field],
				),
	);
}

function addId(index: Map<string, Set<number>>, value: unknown, id: number): void {
	for (const entry of Array.isArray(value) ? value : [value]) {
		const key = sameText(typeof entry === 'object' && entry !== null ? (entry as IDataObject).VALUE : entry);
		if (key) index.set(key, (index.get(key) ?? new Set()).add(id));
	}
}

/**
 * For each item, per rule in order, the records that rule finds. Two batch rounds at most: the
 * searches, then the details of records that e-mail or requisite searches found only by id.
 */
export async function secondaryMatches(
	this: Bitrix24Context,
	entity: CrmEntity,
	settings: UpsertSettings,
	items: UpsertItem[],
	records: RecordCache,
): Promise<Array<Array<{ matcher: string; candidates: MatchCandidate[] }>>> {
	const wanted = items.map((item) =>
		settings.matchers.map((matcher, ruleIndex) => valuesFor(item, matcher, ruleIndex)),
	);
	const commands = settings.matchers.flatMap((matcher, ruleIndex) => {
		const values = [
			...new Set(
				wanted
					.flatMap((perRule) => perRule[ruleIndex])
					.map(text)
					.filter(Boolean),
			),
		];
		return ruleCommands(entity, matcher, ruleIndex, values);
	});
	if (commands.length === 0) return items.map(() => []);
	const results = await runLookups.call(this, commands);

	const found = settings.matchers.map(() => new Map<string, Set<number>>());
	const needDetails = new Set<number>();
	const emailIds = new Set<number>();
	const emailRules: number[] = [];
	settings.matchers.forEach((matcher, ruleIndex) => {
		const keys = [...results.keys()].filter((key) => key.startsWith(`rule${ruleIndex}_`));
		if (matcher.by === 'email') {
			emailRules.push(ruleIndex);
			for (const key of keys) for (const id of duplicateIds(results.get(key), entity.typeName)) emailIds.add(id);
			return;
		}
		for (const row of keys.flatMap((key) => rowsFrom(results, key))) {
			const id = Number(matcher.by === 'field' ? row.ID : row.ENTITY_ID);
			if (!Number.isInteger(id) || id <= 0) continue;
			addId(found[ruleIndex], row[matcher.field], id);
			if (matcher.by === 'field') remember(records, [row]);
			else needDetails.add(id);
		}
	});

	for (const id of emailIds) needDetails.add(id);
	const missing = [...needDetails].filter((id) => !records.has(id));
	if (missing.length > 0) {
		const details = await runLookups.call(
			this,
			chunk(missing, VALUES_PER_LIST).map((ids, index) =>
				scanCommand(`details${index}`, `${entity.methodPrefix}.list`, { '@ID': ids }, RECORD_SELECT),
			),
		);
		for (const key of details.keys()) remember(records, rowsFrom(details, key));
	}
	// findbycomm says which records matched, not which address: read that from their EMAIL.
	for (const ruleIndex of emailRules) {
		for (const id of emailIds) {
			const record = records.get(id);
			if (record) addId(found[ruleIndex], record.EMAIL, id);
		}
	}

	return wanted.map((perRule) =>
		settings.matchers.map((matcher, ruleIndex) => {
			const ids = new Set(perRule[ruleIndex].flatMap((value) => [...(found[ruleIndex].get(sameText(value)) ?? [])]));
			const candidates = [...ids]
				.map((id) => records.get(id))
				.filter((record): record is IDataObject => record !== undefined);
			return { matcher: matcher.label, candidates: candidates.map(candidateOf) };
		}),
	);
}
