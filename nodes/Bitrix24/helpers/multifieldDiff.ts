/**
 * Writing EMAIL/PHONE/WEB/IM without duplicates (bitrix24-api.md §4.2 "Multifield update
 * semantics"): entries without an ID are ADDED, `{ID, VALUE, VALUE_TYPE}` changes that entry and
 * `{ID, DELETE: 'Y'}` removes it. To make Bitrix24 hold exactly a desired list, the current
 * entries (with their IDs) are diffed against it.
 */

/** An entry as Bitrix24 returns it (crm.contact.get / list with the multifield selected). */
export interface CurrentMultifield {
	ID: string;
	VALUE: string;
	VALUE_TYPE: string;
}

/** An entry as the workflow wants it; without a VALUE_TYPE an existing entry keeps its own. */
export interface DesiredMultifield {
	VALUE: string;
	VALUE_TYPE?: string;
}

export type MultifieldWrite =
	| { ID: string; VALUE: string; VALUE_TYPE: string }
	| { ID: string; DELETE: 'Y' }
	| { VALUE: string; VALUE_TYPE: string };

/** What a new entry is filed under when the workflow names no type (§4.2 lists WORK for all). */
export const DEFAULT_VALUE_TYPE = 'WORK';

/**
 * When two values are the same entry: e-mail addresses ignore case, phone numbers compare by
 * their digits (and a leading +), everything else by trimmed, case-insensitive text.
 */
export function multifieldKey(type: string, value: string): string {
	const text = value.trim();
	if (type === 'PHONE') return (text.startsWith('+') ? '+' : '') + text.replace(/\D/g, '');
	return text.toLowerCase();
}

function uniqueByKey(type: string, desired: DesiredMultifield[]): DesiredMultifield[] {
	const seen = new Set<string>();
	return desired.filter((entry) => {
		const key = multifieldKey(type, entry.VALUE);
		if (key === '' || seen.has(key)) return false;
		seen.add(key);
		return true;
	});
}

/**
 * The entries to send so that Bitrix24 ends up with exactly `desired` ('replace'), or with its
 * current entries plus the desired ones it lacks ('append'). Unchanged entries are not sent, so
 * an empty result means nothing to write.
 *
 * Replace: a desired value already present keeps its entry (retyped or reformatted by ID if
 * needed); other desired values take over left-over entries by ID, then new ones are added; the
 * entries still left are deleted.
 */
export function diffMultifield(
	type: string,
	current: CurrentMultifield[],
	desired: DesiredMultifield[],
	mode: 'replace' | 'append',
): MultifieldWrite[] {
	const wanted = uniqueByKey(type, desired);
	const unused = [...current];
	const takeSame = (entry: DesiredMultifield) => {
		const index = unused.findIndex(
			(candidate) => multifieldKey(type, candidate.VALUE) === multifieldKey(type, entry.VALUE),
		);
		return index < 0 ? undefined : unused.splice(index, 1)[0];
	};

	const writes: MultifieldWrite[] = [];
	const unmatched: DesiredMultifield[] = [];
	for (const entry of wanted) {
		const same = takeSame(entry);
		if (!same) {
			unmatched.push(entry);
			continue;
		}
		const valueType = entry.VALUE_TYPE ?? same.VALUE_TYPE;
		if (mode === 'replace' && (same.VALUE !== entry.VALUE || same.VALUE_TYPE !== valueType)) {
			writes.push({ ID: same.ID, VALUE: entry.VALUE, VALUE_TYPE: valueType });
		}
	}
	if (mode === 'append') {
		return unmatched.map((entry) => ({ VALUE: entry.VALUE, VALUE_TYPE: entry.VALUE_TYPE ?? DEFAULT_VALUE_TYPE }));
	}
	for (const entry of unmatched) {
		const reused = unused.shift();
		writes.push(
			reused
				? { ID: reused.ID, VALUE: entry.VALUE, VALUE_TYPE: entry.VALUE_TYPE ?? reused.VALUE_TYPE }
				: { VALUE: entry.VALUE, VALUE_TYPE: entry.VALUE_TYPE ?? DEFAULT_VALUE_TYPE },
		);
	}
	for (const left of unused) writes.push({ ID: left.ID, DELETE: 'Y' });
	return writes;
}

/** The current entries of one multifield of a record as Bitrix24 returned it. */
export function currentMultifields(record: Record<string, unknown> | undefined, type: string): CurrentMultifield[] {
	const entries = record?.[type];
	if (!Array.isArray(entries)) return [];
	return entries
		.filter((entry): entry is Record<string, unknown> => typeof entry === 'object' && entry !== null && 'ID' in entry)
		.map((entry) => ({
			ID: String(entry.ID),
			VALUE: String(entry.VALUE ?? ''),
			VALUE_TYPE: String(entry.VALUE_TYPE ?? DEFAULT_VALUE_TYPE),
		}));
}
