/**
 * Sync Contacts: LexOffice contacts → Bitrix24 companies, contacts, requisites and addresses, in
 * chunks so a long import makes progress that survives a stop. Each chunk goes through typed
 * steps (syncContactsSteps.ts): parse → recall → convert → decide and plan (pure,
 * syncContactsPlan.ts, fed by syncContactsLookup.ts) → write (syncContactsWrite.ts) → report
 * (syncContactsReport.ts).
 *
 * Per chunk: one round of batched lookups (records by ORIGIN_ID), one for the contact persons of
 * companies that change, one for e-mail matches of records not found by their link, one for the
 * requisites and one for the addresses of records that exist; then the claims of existing records,
 * every write in batch requests of 50, a re-check of added records by ORIGIN_ID, then
 * ORIGIN_VERSION, written last, only for contacts all of whose writes succeeded: a run stopped
 * halfway leaves the rest "changed", so the next run completes it, and a contact whose version is
 * stored is skipped without a single write. A contact another n8n worker wrote at the same time is
 * planned again (contactRecheck.ts).
 */
import { randomUUID } from 'node:crypto';

import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { withKeyLock } from '../../../shared/keyedLock';
import { portalHostOf } from '../../transport';
import { CRM_ENTITIES } from '../../helpers/crmRecordEntity';
import { fieldDescriptions } from '../../helpers/crmRecordFields';
import { contactKey, settledFor } from './contactVersions';
import { convertItem, parseItem, skipRepeated } from './syncContactsParse';
import { isPendingOfSameVersion, RECHECK_ROUNDS } from './contactRecheck';
import { olderThanStored, planWith } from './syncContactsPlan';
import { readFromBitrix24 } from './syncContactsLookup';
import { outcomeOf, rememberOutcomes } from './syncContactsReport';
import {
	isConverted,
	isParsed,
	isWrite,
	replaceTaken,
	type FinalItem,
	type ParsedItem,
	type PlanOutcome,
	type SettledItem,
	type SkippedItem,
	type SyncSettings,
} from './syncContactsSteps';
import { resultsOf, withWriteResults, writePlanned, type WriteResults } from './syncContactsWrite';

export type { SyncSettings } from './syncContactsSteps';

/** LexOffice contacts per round of lookups and writes; a page of LexOffice's contact list is 250. */
export const CONTACTS_PER_CHUNK = 250;

/**
 * Recall: an input whose version (or a newer one) this process saw stored moments ago needs no
 * request — a burst of events for one contact costs one sync (issue #15). Used by executions
 * started by an event only, so an import or the nightly reconciliation still repairs records
 * deleted meanwhile.
 */
function recall(item: ParsedItem, key: string, now: number): ParsedItem | SettledItem | SkippedItem {
	const known = settledFor(key, item.mapped.version, now);
	if (!known) return item;
	if (known.version === item.mapped.version) return { ...item, step: 'settled', id: known.id };
	return { ...item, step: 'skipped', reason: olderThanStored(item.mapped.version, known.version) };
}

/** What happened to a contact because of other executions writing it at the same time (its output says so). */
export interface ConcurrentNote {
	/** Records this execution added and deleted again: another execution had added the lowest one. */
	duplicatesRemoved?: number[];
	/** Why it was looked up and planned again, or left to another execution, if it was. */
	concurrentWrite?: string;
}

/**
 * Round ≥ 2 only: a record that another execution is writing with exactly this version holds the
 * same data, and that execution stamps it; this one leaves it (pure).
 */
const yieldingToSameVersion = (item: PlanOutcome): PlanOutcome =>
	isWrite(item) &&
	item.record.decision.action !== 'created' &&
	isPendingOfSameVersion(item.seenVersion, item.mapped.version)
		? { step: 'unchanged', itemIndex: item.itemIndex, mapped: item.mapped, id: item.record.decision.id }
		: item;

/**
 * Convert, decide and plan, write: the steps that ask Bitrix24. A contact another execution wrote
 * at the same time (another n8n worker; contactRecheck.ts) goes through them again, at most
 * RECHECK_ROUNDS times.
 */
async function syncWithBitrix24(
	this: IExecuteFunctions,
	settings: SyncSettings,
	items: ParsedItem[],
): Promise<{ items: FinalItem[]; results: WriteResults; notes: Map<number, ConcurrentNote> }> {
	const descriptions = {
		company: await fieldDescriptions.call(this, CRM_ENTITIES.company),
		contact: await fieldDescriptions.call(this, CRM_ENTITIES.contact),
	};
	const finals = new Map<number, FinalItem>();
	const notes = new Map<number, ConcurrentNote>();
	const results: WriteResults = {};
	let open = items;
	for (let round = 1; open.length > 0; round++) {
		const converted = open.map((item) => convertItem(item, descriptions));
		const toPlan = converted.filter(isConverted);
		const planned = toPlan.length
			? await planWith(toPlan, settings, async (read, view) => await readFromBitrix24.call(this, settings, read, view))
			: [];
		const decided = replaceTaken(converted, isConverted, round > 1 ? planned.map(yieldingToSameVersion) : planned);
		const writes = decided.filter(isWrite);
		if (settings.dryRun || writes.length === 0) {
			for (const item of decided) finals.set(item.itemIndex, item);
			break;
		}
		const written = await writePlanned.call(this, settings.systemCode, writes, () => randomUUID().slice(0, 8));
		const writtenOf = new Map(written.items.map((item) => [item.itemIndex, item]));
		const note = (itemIndex: number, add: ConcurrentNote) => notes.set(itemIndex, { ...notes.get(itemIndex), ...add });
		for (const [itemIndex, ids] of written.removedDuplicates)
			note(itemIndex, { duplicatesRemoved: [...(notes.get(itemIndex)?.duplicatesRemoved ?? []), ...ids] });
		for (const [itemIndex, why] of written.overtaken) note(itemIndex, { concurrentWrite: why });
		const again: ParsedItem[] = [];
		for (const item of decided) {
			const write = writtenOf.get(item.itemIndex);
			const why = written.again.get(item.itemIndex);
			if (write && why !== undefined) {
				note(item.itemIndex, { concurrentWrite: why });
				if (round < RECHECK_ROUNDS) {
					again.push({ step: 'parsed', itemIndex: item.itemIndex, mapped: write.mapped });
					continue;
				}
				finals.set(item.itemIndex, {
					...write,
					failure: {
						message: `LexOffice contact ${write.mapped.lexofficeId}: other executions kept writing it at the same time (${why})`,
						description: 'Nothing is lost: the next sync of this contact completes it.',
					},
				});
				continue;
			}
			finals.set(item.itemIndex, write ? withWriteResults(write, written.results) : item);
			if (write) Object.assign(results, resultsOf(write, written.results));
		}
		open = again;
	}
	return {
		items: items.map((item) => {
			const final = finals.get(item.itemIndex);
			if (!final) throw new Error(`Sync Contacts has no outcome for item ${item.itemIndex}`);
			return final;
		}),
		results,
		notes,
	};
}

/**
 * One chunk under the lock of its LexOffice contacts: executions for the same contact (a burst of
 * created/changed events) never interleave their lookup and their writes, so the second one finds
 * what the first one wrote. In one n8n process only (see ARCHITECTURE.md, "Concurrency").
 */
async function syncLocked(
	this: IExecuteFunctions,
	settings: SyncSettings,
	items: ParsedItem[],
	beforeLookup: () => Promise<void>,
): Promise<{ items: FinalItem[]; results: WriteResults; notes: Map<number, ConcurrentNote> }> {
	const portalHost = await portalHostOf.call(this);
	const keyOf = (lexofficeId: string) => contactKey(portalHost, settings.systemCode, lexofficeId);
	return await withKeyLock(
		items.map((item) => keyOf(item.mapped.lexofficeId)),
		async () => {
			// Only for event executions: a manual or scheduled run (import, reconciliation) always asks Bitrix24.
			const now = Date.now();
			const recalled =
				!settings.dryRun && this.getMode() === 'webhook'
					? items.map((item) => recall(item, keyOf(item.mapped.lexofficeId), now))
					: items;
			const toSync = recalled.filter(isParsed);
			if (toSync.length === 0) return { items: replaceTaken(recalled, isParsed, []), results: {}, notes: new Map() };
			await beforeLookup();
			const synced = await syncWithBitrix24.call(this, settings, toSync);
			if (!settings.dryRun) rememberOutcomes(synced.items, synced.results, keyOf, Date.now());
			return { ...synced, items: replaceTaken(recalled, isParsed, synced.items) };
		},
	);
}

/**
 * `beforeLookup` runs before the first request about contacts, and only when one is needed: events
 * that repeat what this process already wrote cost no request at all (issue #15).
 */
export async function syncContacts(
	this: IExecuteFunctions,
	settings: SyncSettings,
	itemIndexes: number[],
	beforeLookup: () => Promise<void>,
): Promise<IDataObject[]> {
	const outcomes: IDataObject[] = [];
	for (let start = 0; start < itemIndexes.length; start += CONTACTS_PER_CHUNK) {
		// A contact that cannot be read fails alone (its output item says why); the others go on.
		const parsed = skipRepeated(
			itemIndexes
				.slice(start, start + CONTACTS_PER_CHUNK)
				.map((itemIndex) => parseItem.call(this, itemIndex, settings)),
		);
		const toSync = parsed.filter(isParsed);
		const synced =
			toSync.length > 0
				? await syncLocked.call(this, settings, toSync, beforeLookup)
				: { items: [], results: {}, notes: new Map<number, ConcurrentNote>() };
		const items = replaceTaken(parsed, isParsed, synced.items);
		outcomes.push(
			...items.map((item) => ({ ...outcomeOf(item, synced.results, settings), ...synced.notes.get(item.itemIndex) })),
		);
	}
	return outcomes;
}
