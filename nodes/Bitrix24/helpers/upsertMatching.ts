/**
 * The decisions of an idempotent upsert, as pure functions: which input items are one record,
 * and whether each record is created, left alone, updated or adopted. The records come from
 * lookups by ORIGINATOR_ID + ORIGIN_ID (bitrix24-api.md §4.2 "External-system fields") and by
 * secondary matches (e-mail, a field, a requisite field).
 */

/** A Bitrix24 record as far as matching is concerned. */
export interface MatchCandidate {
	id: number;
	/** '' when the record has none. */
	originId: string;
	originVersion: string;
}

export interface UpsertEvidence {
	/** The external version the input carries; '' = unknown, so always write. */
	originVersion: string;
	/** Records already carrying this system's code and this external id. */
	byOrigin: MatchCandidate[];
	/** Per secondary matcher, in the user's order: the records it found. */
	bySecondary: Array<{ matcher: string; candidates: MatchCandidate[] }>;
}

export type UpsertDecision =
	| { action: 'created' }
	| { action: 'unchanged' | 'updated'; id: number; duplicatesFound: number[] }
	| { action: 'matched'; id: number; matchedBy: string; duplicatesFound: number[] };

/** The lowest id wins (the oldest record); the others are reported, never written. */
function pickLowest(candidates: MatchCandidate[]): { winner: MatchCandidate; others: number[] } | undefined {
	const sorted = [...new Map(candidates.map((candidate) => [candidate.id, candidate])).values()].sort(
		(a, b) => a.id - b.id,
	);
	if (sorted.length === 0) return undefined;
	return { winner: sorted[0], others: sorted.slice(1).map((candidate) => candidate.id) };
}

/**
 * One decision per record, in order. A record found by its external id is updated unless its
 * ORIGIN_VERSION already equals the incoming version. Otherwise the secondary matchers are tried
 * in order; they only adopt records that belong to no external record yet (empty ORIGIN_ID) and
 * that no earlier input record has adopted in this run. Nothing found: create.
 */
export function decideUpserts(evidence: UpsertEvidence[]): UpsertDecision[] {
	const claimed = new Set<number>();
	for (const entry of evidence) for (const candidate of entry.byOrigin) claimed.add(candidate.id);

	return evidence.map((entry): UpsertDecision => {
		const own = pickLowest(entry.byOrigin);
		if (own) {
			const unchanged = entry.originVersion !== '' && own.winner.originVersion === entry.originVersion;
			return { action: unchanged ? 'unchanged' : 'updated', id: own.winner.id, duplicatesFound: own.others };
		}
		for (const { matcher, candidates } of entry.bySecondary) {
			const adoptable = pickLowest(
				candidates.filter((candidate) => candidate.originId === '' && !claimed.has(candidate.id)),
			);
			if (!adoptable) continue;
			claimed.add(adoptable.winner.id);
			return { action: 'matched', id: adoptable.winner.id, matchedBy: matcher, duplicatesFound: adoptable.others };
		}
		return { action: 'created' };
	});
}

export interface InputGroup {
	originId: string;
	/** Input item indexes with this external id, in input order. */
	members: number[];
	/** The member whose data is written: the last one, i.e. the most recent state. */
	representative: number;
}

/** Input items with the same external id are one record: processed once, same outcome for all. */
export function groupByOriginId(items: Array<{ itemIndex: number; originId: string }>): InputGroup[] {
	const groups = new Map<string, InputGroup>();
	for (const { itemIndex, originId } of items) {
		const group = groups.get(originId);
		if (group) {
			group.members.push(itemIndex);
			group.representative = itemIndex;
		} else {
			groups.set(originId, { originId, members: [itemIndex], representative: itemIndex });
		}
	}
	return [...groups.values()];
}
