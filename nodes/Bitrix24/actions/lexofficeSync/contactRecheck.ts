/**
 * Sync Contacts across processes (issue #12, ARCHITECTURE.md "Concurrency across processes"),
 * pure: the decisions the write step (syncContactsWrite.ts) takes from what Bitrix24 answers, and
 * the batch commands of its conditional writes. The per-process lock (keyedLock.ts) does not
 * reach other n8n workers, so a write of one LexOffice contact is made safe by ORIGIN_VERSION:
 *
 * - a writer first **claims** an existing record: ORIGIN_VERSION is set to its own pending text
 *   `<version>/<hash>~<nonce>` only if it still holds what the lookup saw (compare-and-set through
 *   a list in the same batch, bitrix24-api.md §3.3), so a lookup that another worker made stale
 *   never leads to a write; its data write sets the pending text again;
 * - a writer **stamps** `<version>/<hash>` only where its own pending text is still stored (the same
 *   compare-and-set), so data another writer put there after it is never stamped with its version;
 * - after **adding** a record it reads the records of that ORIGIN_ID again: the lowest id is the
 *   record of the LexOffice contact (ids grow, so every later adder sees it); a higher one it
 *   added is deleted with its requisite and contact persons, and the contact is planned again
 *   onto the lowest one.
 *
 * A lost compare-and-set sends the contact through lookup and plan again (at most RECHECK_ROUNDS),
 * where the usual rules decide: an older input is skipped, the same version is current.
 */
import type { BatchCommand } from '../../transport';
import { CRM_ENTITIES } from '../../helpers/crmRecordEntity';
import type { MatchCandidate } from '../../helpers/upsertMatching';

/** Rounds of lookup → plan → write for one contact before it is reported failed (the next sync completes it). */
export const RECHECK_ROUNDS = 3;

type Entity = keyof typeof CRM_ENTITIES & ('company' | 'contact');

/** ORIGIN_VERSION while one writer is writing: its version, `~`, a text no other writer uses. */
export const pendingVersion = (version: string, nonce: string) => `${version}~${nonce}`;

/** Whether `stored` is another writer's pending text of exactly this version (same LexOffice version and mapping). */
export const isPendingOfSameVersion = (stored: string, version: string) => stored.startsWith(`${version}~`);

/**
 * A compare-and-set on a record's ORIGIN_VERSION: the list finds the record only while it holds
 * `expected`; the update takes its id from that answer, so it fails without writing otherwise.
 * `expected` '' (a record that has none): a plain update, as nothing else can be compared.
 */
export function versionSwapCommands(
	entity: Entity,
	id: number,
	expected: string,
	next: string,
	keys: { check: string; update: string },
): BatchCommand[] {
	const prefix = CRM_ENTITIES[entity].methodPrefix;
	const fields = { ORIGIN_VERSION: next };
	if (expected === '') return [{ key: keys.update, method: `${prefix}.update`, params: { id, fields } }];
	return [
		{
			key: keys.check,
			method: `${prefix}.list`,
			params: { filter: { ID: id, '=ORIGIN_VERSION': expected }, select: ['ID'] },
		},
		{ key: keys.update, method: `${prefix}.update`, params: { id: `$result[${keys.check}][0][ID]`, fields } },
	];
}

/** How a compare-and-set went, from the answers of its two sub-calls. */
export type SwapOutcome = 'done' | 'lost' | 'refused' | 'uncertain';

export function swapOutcome(
	check: { ok: boolean; result?: unknown } | undefined,
	update: { ok: boolean; uncertain?: boolean } | undefined,
	conditional: boolean,
): SwapOutcome {
	if (update?.ok) return 'done';
	if (!update || update.uncertain || (conditional && check?.ok !== true)) return 'uncertain';
	// The list found nothing: another writer changed ORIGIN_VERSION since it was read.
	if (conditional && Array.isArray(check?.result) && check.result.length === 0) return 'lost';
	return 'refused';
}

/** One main record this execution has just added, not yet stamped. */
export interface AddedRecord {
	entity: Entity;
	/** The LexOffice id (ORIGIN_ID). */
	originId: string;
	ownId: number;
	/** The pending ORIGIN_VERSION it was added with. */
	pending: string;
	/** Its requisite and contact persons, added in the same request (deleted with a duplicate). */
	requisiteId?: number;
	personIds: number[];
}

export type AddedVerdict =
	/** The lowest record with its ORIGIN_ID, still holding this writer's pending text: stamp it. */
	| { kind: 'stamp' }
	/** Another writer added the lowest one: delete this one (and what came with it), plan again onto that. */
	| { kind: 'duplicate'; keptId: number }
	/** The record is gone (deleted meanwhile): plan again. */
	| { kind: 'vanished' }
	/**
	 * The lowest record, but another writer has since written it (only one with the same or a newer
	 * version can, as its claim compares with what it saw): that writer stamps it, this one does not.
	 */
	| { kind: 'overtaken'; stored: string };

/** What to do with a record this execution added, from the records that now carry its ORIGIN_ID. */
export function addedVerdict(added: AddedRecord, found: MatchCandidate[]): AddedVerdict {
	const [lowest] = [...found].sort((a, b) => a.id - b.id);
	if (!found.some((candidate) => candidate.id === added.ownId)) return { kind: 'vanished' };
	if (lowest.id !== added.ownId) return { kind: 'duplicate', keptId: lowest.id };
	if (lowest.originVersion === added.pending) return { kind: 'stamp' };
	return { kind: 'overtaken', stored: lowest.originVersion };
}

/** The deletes that remove a duplicate this execution added: its requisite (with its addresses), persons, itself. */
export function duplicateDeletes(added: AddedRecord, keyPrefix: string): BatchCommand[] {
	return [
		...(added.requisiteId
			? [{ key: `${keyPrefix}rq`, method: 'crm.requisite.delete', params: { id: added.requisiteId } }]
			: []),
		...added.personIds.map((id, index) => ({
			key: `${keyPrefix}p${index + 1}`,
			method: 'crm.contact.delete',
			params: { id },
		})),
		{ key: keyPrefix, method: `${CRM_ENTITIES[added.entity].methodPrefix}.delete`, params: { id: added.ownId } },
	];
}
