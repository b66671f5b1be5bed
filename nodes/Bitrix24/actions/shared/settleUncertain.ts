/**
 * Settling writes whose answer was lost (ARCHITECTURE.md "Transports: retries and settling").
 *
 * A write answered by a 5xx or a dropped connection may or may not have happened; the transport
 * never repeats it and marks its result `uncertain`. The batch operations (Create or Update,
 * Requisite Create or Update, Sync Contacts) plan every write from a fresh read by the records'
 * idempotency keys: ORIGINATOR_ID + ORIGIN_ID for contacts and companies, XML_ID + owner for
 * requisites, type + requisite for addresses. So running read-and-plan again for the uncertain
 * items is the read-back: what did happen is found and not written again, what did not is written
 * now. Only when that still leaves an item uncertain after SETTLE_ROUNDS is it reported failed,
 * marked `uncertain` so the user knows to check Bitrix24.
 */
import type { IDataObject } from 'n8n-workflow';

export const SETTLE_ROUNDS = 3;

/** What an uncertain outcome carries: the write it attempted (created / updated). */
export interface UncertainMark {
	uncertain: true;
	attemptedAction: string;
}

export function uncertainMark(attemptedAction: string): UncertainMark {
	return { uncertain: true, attemptedAction };
}

const isUncertain = (outcome: IDataObject | Error | undefined): boolean =>
	outcome !== undefined && !(outcome instanceof Error) && outcome.uncertain === true;

const SUCCESS = new Set(['created', 'updated', 'unchanged', 'matched']);

/**
 * The settled outcome, told from the first attempt's point of view: a record whose create was
 * uncertain and is now found is `created` (this run made it), not `unchanged`.
 */
function merge(first: IDataObject, settled: IDataObject, nestedLists: readonly string[]): IDataObject {
	const attempted = first.attemptedAction;
	const merged: IDataObject = { ...settled, settledByReadBack: true };
	if (settled.uncertain === true) {
		merged.attemptedAction = attempted ?? settled.attemptedAction;
		return merged;
	}
	if (attempted === 'created' && SUCCESS.has(String(settled.action))) merged.action = 'created';
	for (const key of nestedLists) {
		const before = first[key];
		const after = settled[key];
		if (!Array.isArray(before) || !Array.isArray(after)) continue;
		merged[key] = (after as IDataObject[]).map((entry, index) => {
			const earlier = (before as IDataObject[])[index];
			const wasCreated = earlier?.attemptedAction === 'created' || earlier?.action === 'created';
			return wasCreated && SUCCESS.has(String(entry.action)) ? { ...entry, action: 'created' } : entry;
		});
	}
	return merged;
}

/**
 * Runs `run` for all items, then again for the items whose outcome is uncertain, until none is
 * (or SETTLE_ROUNDS). `run` must plan from fresh reads each time and return one outcome per index.
 * `nestedLists` names outcome fields holding per-record outcomes (e.g. contact persons).
 */
export async function settleUncertainWrites<T extends IDataObject | Error>(
	itemIndexes: number[],
	run: (itemIndexes: number[]) => Promise<T[]>,
	nestedLists: readonly string[] = [],
): Promise<Array<T | IDataObject>> {
	const outcomes: Array<T | IDataObject> = await run(itemIndexes);
	for (let round = 0; round < SETTLE_ROUNDS; round++) {
		const positions = outcomes.flatMap((outcome, position) => (isUncertain(outcome) ? [position] : []));
		if (positions.length === 0) break;
		const settled = await run(positions.map((position) => itemIndexes[position]));
		positions.forEach((position, index) => {
			const again = settled[index];
			outcomes[position] =
				again instanceof Error ? again : merge(outcomes[position] as IDataObject, again, nestedLists);
		});
	}
	return outcomes;
}
