/**
 * What a Dry Run of Sync Contacts shows per contact it would change: each Bitrix24 record a planned
 * command writes, and per field the value Bitrix24 holds and the one it would get (`old` null for a
 * record that would be created); for EMAIL and PHONE also the entries that would be added and
 * removed. Pure: derived from the planned commands and the records the planner read, so it shows
 * exactly what a real run would send.
 */
import type { IDataObject } from 'n8n-workflow';

import { currentMultifields } from '../../helpers/multifieldDiff';
import type { BatchCommand } from '../../transport';

export interface FieldChange {
	old: unknown;
	new: unknown;
	/** EMAIL / PHONE: entries (`value (TYPE)`) that would be added and removed. */
	added?: string[];
	removed?: string[];
}

export interface RecordChange {
	/** 'company', 'contact', 'contact person 2', 'requisite', 'address type 6'. */
	record: string;
	/** The Bitrix24 id; null for a record that would be created. */
	id: number | null;
	action: 'create' | 'update' | 'delete';
	fields: Record<string, FieldChange>;
}

/** Fields that say where an address belongs, not what it holds. */
const ADDRESS_KEYS = new Set(['TYPE_ID', 'ENTITY_TYPE_ID', 'ENTITY_ID']);
const NEW_RECORD = /^\$result\[[^\]]+\]$/;

const shown = (value: unknown): unknown =>
	typeof value === 'string' && NEW_RECORD.test(value) ? '(the record created with it)' : (value ?? null);
const sameText = (a: unknown, b: unknown) =>
	(a === undefined || a === null ? '' : String(a)) === (b === undefined || b === null ? '' : String(b));
const entryText = (entry: { VALUE: string; VALUE_TYPE: string }) => `${entry.VALUE} (${entry.VALUE_TYPE})`;

/** A multifield's entries before and after the writes (bitrix24-api.md §4.2: no ID adds, DELETE removes, ID changes). */
function multifieldChange(field: string, current: IDataObject | undefined, writes: IDataObject[]): FieldChange {
	const before = currentMultifields(current, field);
	const after = before.map((entry) => ({ ...entry }));
	for (const write of writes) {
		const index = write.ID === undefined ? -1 : after.findIndex((entry) => entry.ID === String(write.ID));
		if (write.ID === undefined)
			after.push({ ID: '', VALUE: String(write.VALUE), VALUE_TYPE: String(write.VALUE_TYPE) });
		else if (index < 0) continue;
		else if (write.DELETE === 'Y') after.splice(index, 1);
		else after[index] = { ID: after[index].ID, VALUE: String(write.VALUE), VALUE_TYPE: String(write.VALUE_TYPE) };
	}
	const old = before.map(entryText);
	const next = after.map(entryText);
	return {
		old: current ? old : null,
		new: next,
		added: next.filter((entry) => !old.includes(entry)),
		removed: old.filter((entry) => !next.includes(entry)),
	};
}

const isMultifieldWrite = (value: unknown): value is IDataObject[] =>
	Array.isArray(value) && value.every((entry) => typeof entry === 'object' && entry !== null);

/**
 * The fields one planned command would change on the record it writes. `current` is that record as
 * Bitrix24 holds it (undefined for one that would be created).
 */
export function commandChange(command: BatchCommand, record: string, current: IDataObject | undefined): RecordChange {
	const fields = (command.params?.fields ?? {}) as IDataObject;
	const action = command.method.endsWith('.add') ? 'create' : command.method.endsWith('.delete') ? 'delete' : 'update';
	const id = action === 'create' ? null : Number(command.params?.id ?? current?.ID ?? 0) || null;
	const changes: Record<string, FieldChange> = {};
	if (action === 'delete') {
		for (const [field, value] of Object.entries(current ?? {}))
			if (!ADDRESS_KEYS.has(field) && field !== 'ID' && !sameText(value, ''))
				changes[field] = { old: value, new: null };
		return { record, id, action, fields: changes };
	}
	for (const [field, value] of Object.entries(fields)) {
		if (record.startsWith('address') && ADDRESS_KEYS.has(field)) continue;
		if (isMultifieldWrite(value)) {
			const change = multifieldChange(field, current, value);
			if (change.added?.length || change.removed?.length || !current) changes[field] = change;
			continue;
		}
		if (action === 'create') {
			if (!sameText(value, '')) changes[field] = { old: null, new: shown(value) };
		} else if (!sameText(current?.[field], value)) {
			changes[field] = { old: current?.[field] ?? null, new: shown(value) };
		}
	}
	return { record, id, action, fields: changes };
}

/** ORIGIN_VERSION, written once everything else succeeded: shows why a contact counts as changed. */
export function versionChange(change: RecordChange, current: IDataObject | undefined, version: string): RecordChange {
	const stored = current?.ORIGIN_VERSION;
	if (sameText(stored, version)) return change;
	return { ...change, fields: { ...change.fields, ORIGIN_VERSION: { old: stored || null, new: version } } };
}
