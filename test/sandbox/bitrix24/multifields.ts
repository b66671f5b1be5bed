/**
 * EMAIL/PHONE/WEB/IM/LINK values and their update semantics (bitrix24-api.md §4.2, §4.3):
 * entries WITHOUT an ID are appended (existing values stay), `{ID, VALUE}` replaces that value,
 * `{ID, DELETE:'Y'}`, `{ID, VALUE:''}` or a bare `{ID}` deletes it. crm.item.* uses `fm`: an array
 * on add, an object on update keyed `n0`, `n1` … (new) or by the existing id (`value: ''` deletes).
 */
import { isRecord } from './context';
import {
	MULTIFIELD_TYPES,
	nextId,
	type Bitrix24State,
	type CrmRecord,
	type Multifield,
	type MultifieldType,
} from './state';

export interface MultifieldChange {
	type?: MultifieldType;
	id?: number;
	value?: string;
	valueType?: string;
	remove?: boolean;
}

function entriesOf(value: unknown): unknown[] {
	if (Array.isArray(value)) return value;
	return isRecord(value) ? Object.values(value) : [];
}

function asType(value: unknown): MultifieldType | undefined {
	const upper = String(value ?? '').toUpperCase();
	return (MULTIFIELD_TYPES as readonly string[]).includes(upper) ? (upper as MultifieldType) : undefined;
}

function idOf(value: unknown): number | undefined {
	const id = Number(value);
	return value !== undefined && value !== null && value !== '' && Number.isInteger(id) && id > 0 ? id : undefined;
}

/** Legacy `fields.EMAIL = [{ID?, VALUE, VALUE_TYPE, DELETE?}]`, for each multifield type present. */
export function legacyMultifieldChanges(fields: Record<string, unknown>): MultifieldChange[] {
	const changes: MultifieldChange[] = [];
	for (const type of MULTIFIELD_TYPES) {
		if (!(type in fields)) continue;
		for (const entry of entriesOf(fields[type])) {
			if (!isRecord(entry)) continue;
			const id = idOf(entry.ID);
			const hasValue = 'VALUE' in entry && entry.VALUE !== null && String(entry.VALUE) !== '';
			changes.push({
				type,
				id,
				value: hasValue ? String(entry.VALUE) : undefined,
				valueType: entry.VALUE_TYPE === undefined ? undefined : String(entry.VALUE_TYPE),
				remove: id !== undefined && (entry.DELETE === 'Y' || !hasValue),
			});
		}
	}
	return changes;
}

/** crm.item.* `fm`: array entries are new values; object keys `n…` are new, numeric keys are ids. */
export function itemMultifieldChanges(fm: unknown): MultifieldChange[] {
	const keyed = isRecord(fm) ? Object.entries(fm) : entriesOf(fm).map((entry) => ['', entry] as const);
	const changes: MultifieldChange[] = [];
	for (const [key, entry] of keyed) {
		if (!isRecord(entry)) continue;
		const id = idOf(entry.id) ?? (/^\d+$/.test(key) ? Number(key) : undefined);
		const hasValue = entry.value !== undefined && entry.value !== null && String(entry.value) !== '';
		changes.push({
			type: asType(entry.typeId),
			id,
			value: hasValue ? String(entry.value) : undefined,
			valueType: entry.valueType === undefined ? undefined : String(entry.valueType),
			remove: id !== undefined && !hasValue,
		});
	}
	return changes;
}

export function multifieldsOf(record: CrmRecord): Multifield[] {
	return MULTIFIELD_TYPES.flatMap((type) => (record[type] as Multifield[] | undefined) ?? []);
}

/** Applies changes in order; ids that do not belong to the record are ignored. */
export function applyMultifieldChanges(state: Bitrix24State, record: CrmRecord, changes: MultifieldChange[]): void {
	for (const change of changes) {
		if (change.id !== undefined) {
			const existing = multifieldsOf(record).find((value) => value.ID === change.id);
			if (!existing) continue;
			const list = record[existing.TYPE_ID] as Multifield[];
			if (change.remove) {
				list.splice(list.indexOf(existing), 1);
				if (list.length === 0) delete record[existing.TYPE_ID];
			} else {
				if (change.value !== undefined) existing.VALUE = change.value;
				if (change.valueType !== undefined) existing.VALUE_TYPE = change.valueType;
			}
			continue;
		}
		if (!change.type || change.value === undefined) continue;
		const list = ((record[change.type] as Multifield[] | undefined) ??= []);
		list.push({
			ID: nextId(state, 'multifield'),
			TYPE_ID: change.type,
			VALUE_TYPE: change.valueType ?? 'WORK',
			VALUE: change.value,
		});
	}
}

/** Legacy shape: `[{ID:"9001", VALUE_TYPE:"WORK", VALUE:"…", TYPE_ID:"EMAIL"}]`. */
export function legacyMultifields(values: Multifield[]): Array<Record<string, string>> {
	return values.map((value) => ({
		ID: String(value.ID),
		VALUE_TYPE: value.VALUE_TYPE,
		VALUE: value.VALUE,
		TYPE_ID: value.TYPE_ID,
	}));
}

/** crm.item shape: `fm: [{id, typeId, valueType, value}]`. */
export function itemMultifields(values: Multifield[]): Array<Record<string, unknown>> {
	return values.map((value) => ({
		id: value.ID,
		typeId: value.TYPE_ID,
		valueType: value.VALUE_TYPE,
		value: value.VALUE,
	}));
}
