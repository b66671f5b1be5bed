/**
 * Sync Contacts' write step: the claims of records that exist, every planned write in batch
 * requests of 50 (a new record, its requisite, addresses and contact persons travel in one request,
 * linked by `$result[…]`, bitrix24-api.md §3.3), a re-check of added records, then ORIGIN_VERSION
 * for each contact all of whose writes succeeded (across workers: contactRecheck.ts). The
 * stamp is what marks a contact done: a run stopped before it leaves the contact "changed", and
 * the next run's plan completes it (syncContactsPlan.ts).
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { bitrix24Batch, type BatchCommand, type BatchCommandResult } from '../../transport';
import { CRM_ENTITIES } from '../../helpers/crmRecordEntity';
import {
	addedVerdict,
	duplicateDeletes,
	pendingVersion,
	swapOutcome,
	versionSwapCommands,
	type AddedRecord,
} from './contactRecheck';
import { linkedRecords } from './syncContactsLookup';
import type { WriteItem } from './syncContactsSteps';

export type WriteResults = Record<string, BatchCommandResult>;

export const stampKey = (item: WriteItem) => `v${item.itemIndex}`;
const stampCheckKey = (item: WriteItem) => `s${item.itemIndex}`;
const claimKeys = (item: WriteItem) => ({ check: `c${item.itemIndex}`, update: `k${item.itemIndex}` });

/** The id of a contact's main record after its writes: the one updated, or the one its add created. */
export function writtenId(item: WriteItem, results: WriteResults): number {
	const { record } = item;
	if (record.decision.action !== 'created') return record.decision.id;
	const created = record.key === undefined ? undefined : results[record.key];
	return created?.ok ? Number(created.result) : 0;
}

/** Whether every write of a contact succeeded (so it may be stamped). */
const allWritten = (item: WriteItem, results: WriteResults) =>
	!item.failure && item.commands.every((command) => results[command.key]?.ok);

/**
 * ORIGIN_VERSION for each contact whose writes all succeeded (pure). With `pending` (the text
 * this execution's writes put there, contactRecheck.ts), an updated record is stamped only while
 * it still holds that text; an added one was checked right before (addedVerdict).
 */
export function stampCommands(
	items: WriteItem[],
	results: WriteResults,
	pending?: Map<number, string>,
): BatchCommand[] {
	return items.flatMap((item) => {
		if (!allWritten(item, results)) return [];
		const { record } = item;
		const id = writtenId(item, results);
		const mine = pending?.get(item.itemIndex);
		if (mine !== undefined && record.decision.action !== 'created') {
			return versionSwapCommands(record.mapped.entity, id, mine, item.mapped.version, {
				check: stampCheckKey(item),
				update: stampKey(item),
			});
		}
		const entity = CRM_ENTITIES[record.mapped.entity];
		return [
			{
				key: stampKey(item),
				method: `${entity.methodPrefix}.update`,
				params: { id, fields: { ORIGIN_VERSION: item.mapped.version } },
			},
		];
	});
}

/** The item index a batch key belongs to: every key of a contact's writes is letters, then its item index. */
const itemOfKey = (key: string) => Number(/^[a-z]+(\d+)/.exec(key)?.[1] ?? NaN);

/** The results of one contact's writes, claim, re-check deletes and stamp (pure). */
export const resultsOf = (item: WriteItem, results: WriteResults): WriteResults =>
	Object.fromEntries(Object.entries(results).filter(([key]) => itemOfKey(key) === item.itemIndex));

/** What to do about a write Bitrix24 refused, from its message. */
function refusalFix(message: string): string {
	if (/required/i.test(message)) {
		return 'This portal requires a field the sync does not fill: give it a value for every record with Extra Company Fields / Extra Contact Fields on Sync Contacts, or make it optional in Bitrix24, then run the sync again.';
	}
	if (/mail/i.test(message)) return 'Correct the e-mail address in LexOffice, then run the sync again.';
	return 'Correct the value named in LexOffice (or the Bitrix24 field settings), then run the sync again; the next run completes this contact.';
}

/** The item after its writes: the first one Bitrix24 refused (or that did not run) becomes its failure (pure). */
export function withWriteResults(item: WriteItem, results: WriteResults): WriteItem {
	if (item.failure) return item;
	const stamp = stampKey(item);
	const failed =
		item.commands.find((command) => !results[command.key]?.ok) ??
		(results[stamp]?.ok === false ? { key: stamp, method: 'storing ORIGIN_VERSION' } : undefined);
	if (!failed) return item;
	const result = results[failed.key];
	const refused = result && !result.ok ? result : undefined;
	const reason = refused?.description || refused?.error || 'not executed';
	return {
		...item,
		failure: {
			message: `LexOffice contact ${item.mapped.lexofficeId}: ${failed.method}: ${reason}`,
			description: refusalFix(reason),
			// An answer lost on the way back: settleUncertainWrites reads this contact back and plans again.
			uncertain: refused?.uncertain === true,
		},
	};
}

/** What one round of writes left behind besides its results (contactRecheck.ts). */
export interface WriteRound {
	/** The items as written: with their pending ORIGIN_VERSION, and a refused claim as their failure. */
	items: WriteItem[];
	results: WriteResults;
	/** Contacts another execution got in the way of, and why: looked up and planned again by the run. */
	again: Map<number, string>;
	/** Records this execution added and deleted again, because another one had added the lowest. */
	removedDuplicates: Map<number, number[]>;
	/** Contacts whose added record another writer (same or newer version) wrote since: that one stamps it. */
	overtaken: Map<number, string>;
}

/** The main record's write also sets this execution's pending ORIGIN_VERSION (pure). */
function withPendingVersion(item: WriteItem, pending: string): WriteItem {
	const commands = item.commands.map((command) =>
		command.key === item.record.key
			? {
					...command,
					params: {
						...command.params,
						fields: { ...(command.params?.fields as IDataObject), ORIGIN_VERSION: pending },
					},
				}
			: command,
	);
	return { ...item, commands };
}

/** What of an added contact came with its record in the same request (deleted with a duplicate). */
function addedRecord(item: WriteItem, results: WriteResults, pending: string): AddedRecord {
	const okId = (key: string | undefined) => {
		const result = key === undefined ? undefined : results[key];
		return result?.ok ? Number(result.result) : 0;
	};
	return {
		entity: item.record.mapped.entity,
		originId: item.record.mapped.originId,
		ownId: writtenId(item, results),
		pending,
		requisiteId: item.requisite?.action === 'created' ? okId(item.requisite.requisiteKey) : undefined,
		personIds: item.persons
			.filter((person) => person.decision.action === 'created')
			.map((person) => okId(person.key))
			.filter(Boolean),
	};
}

async function sendAll(this: IExecuteFunctions, commands: BatchCommand[]): Promise<WriteResults> {
	return commands.length ? await bitrix24Batch.call(this, commands, { halt: false }) : {};
}

/**
 * One round of writes: the claims of records that exist, the writes, a re-check of the records
 * it added, the deletes of its own duplicates, then the stamps (see contactRecheck.ts for why).
 * `nonce` makes this execution's pending ORIGIN_VERSION its own.
 */
export async function writePlanned(
	this: IExecuteFunctions,
	systemCode: string,
	planned: WriteItem[],
	nonce: () => string,
): Promise<WriteRound> {
	const round: WriteRound = {
		items: [],
		results: {},
		again: new Map(),
		removedDuplicates: new Map(),
		overtaken: new Map(),
	};
	const pending = new Map(planned.map((item) => [item.itemIndex, pendingVersion(item.mapped.version, nonce())]));
	const pendingOf = (item: WriteItem) => pending.get(item.itemIndex) ?? '';
	let items = planned.map((item) => withPendingVersion(item, pendingOf(item)));

	// Claim: a record that exists is written only while it holds what the lookup saw.
	const existing = new Set(items.filter((item) => !item.failure && item.record.decision.action !== 'created'));
	const claims = await sendAll.call(
		this,
		[...existing].flatMap((item) =>
			versionSwapCommands(
				item.record.mapped.entity,
				writtenId(item, {}),
				item.seenVersion,
				pendingOf(item),
				claimKeys(item),
			),
		),
	);
	items = items.map((item) => {
		if (!existing.has(item)) return item;
		const keys = claimKeys(item);
		const outcome = swapOutcome(claims[keys.check], claims[keys.update], item.seenVersion !== '');
		if (outcome === 'lost' || outcome === 'uncertain') {
			round.again.set(item.itemIndex, 'another execution wrote this contact since it was read');
		} else if (outcome === 'refused') {
			const refused = claims[keys.update];
			const reason = refused && !refused.ok ? refused.description || refused.error : 'not executed';
			return {
				...item,
				failure: { message: `LexOffice contact ${item.mapped.lexofficeId}: storing ORIGIN_VERSION: ${reason}` },
			};
		}
		return item;
	});
	const writing = items.filter((item) => !item.failure && !round.again.has(item.itemIndex));
	const results = await sendAll.call(
		this,
		writing.flatMap((item) => item.commands),
	);

	// Re-check what was added: the lowest record with that ORIGIN_ID is the contact's.
	const added = writing.filter((item) => item.record.decision.action === 'created' && writtenId(item, results) > 0);
	const stampable = new Set(writing.filter((item) => item.record.decision.action !== 'created'));
	if (added.length > 0) {
		const ids = { company: [] as string[], contact: [] as string[] };
		for (const item of added) ids[item.record.mapped.entity].push(item.record.mapped.originId);
		const found = await linkedRecords.call(this, systemCode, ids);
		const deletes: BatchCommand[] = [];
		const duplicates = new Map<WriteItem, AddedRecord>();
		for (const item of added) {
			const record = addedRecord(item, results, pendingOf(item));
			const verdict = addedVerdict(record, found[record.entity].get(record.originId) ?? []);
			if (verdict.kind === 'stamp') stampable.add(item);
			else if (verdict.kind === 'overtaken')
				round.overtaken.set(item.itemIndex, `another execution wrote version ${verdict.stored} since; it stamps it`);
			else if (verdict.kind === 'vanished')
				round.again.set(item.itemIndex, 'the record it added was deleted meanwhile');
			else {
				round.again.set(
					item.itemIndex,
					`record ${verdict.keptId} with the same ORIGIN_ID was added first by another execution`,
				);
				deletes.push(...duplicateDeletes(record, `d${item.itemIndex}`));
				duplicates.set(item, record);
			}
		}
		// A delete that fails leaves a duplicate that every lookup ignores (the lowest id is kept).
		const deleted = await sendAll.call(this, deletes);
		for (const [item, record] of duplicates)
			if (deleted[`d${item.itemIndex}`]?.ok) round.removedDuplicates.set(item.itemIndex, [record.ownId]);
	}

	const toStamp = writing.filter((item) => stampable.has(item));
	const stamped = await sendAll.call(this, stampCommands(toStamp, results, pending));
	for (const item of toStamp) {
		if (item.record.decision.action === 'created' || stamped[stampKey(item)] === undefined) continue;
		if (swapOutcome(stamped[stampCheckKey(item)], stamped[stampKey(item)], true) === 'lost')
			round.again.set(item.itemIndex, 'another execution wrote this contact after this one');
	}
	round.items = items;
	round.results = { ...claims, ...results, ...stamped };
	return round;
}
