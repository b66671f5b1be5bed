/**
 * Sync Contacts across processes (issue #12): the per-process lock (keyedLock.ts) does not reach
 * other n8n workers, so after its writes and before its ORIGIN_VERSION stamp every execution looks
 * its LexOffice contacts up again, by ORIGIN_ID, and decides from what Bitrix24 holds now:
 *
 * - more than one record: the one with the lowest id is the record of that LexOffice id (ids grow,
 *   so every other creator sees it); the execution that created a higher one deletes its own and
 *   writes its data onto the lowest one in another round;
 * - another execution stamped a version not newer than this one since the lookup: its data may have
 *   landed after ours, so this one writes again before it stamps;
 * - a newer version was stamped meanwhile: the input is older; what it wrote is stamped with its own
 *   (older) version, never left under the newer one, so the next sync of the contact rewrites it.
 *
 * The verdict is pure (recheckVerdict); recheckWritten does the one lookup and the deletes.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import type { MatchCandidate } from '../../helpers/upsertMatching';
import { bitrix24Batch, type BatchCommand } from '../../transport';
import { CRM_ENTITIES, type CrmEntity } from '../shared/crmRecordEntity';
import { runLookups } from '../shared/crmRecordLookup';
import { originLookupCommands, originMatches, type RecordCache } from '../shared/crmRecordMatching';
import { isOlderThanStored } from './contactVersions';

/** Rounds of write → re-check for one contact before it is reported failed (the next sync completes it). */
export const RECHECK_ROUNDS = 3;

export type OriginMatches = Record<CrmEntity['resource'], Map<string, MatchCandidate[]>>;

/** The records of these LexOffice ids by ORIGINATOR_ID + ORIGIN_ID, companies and contacts in one batch round. */
export async function lookUpOrigins(
	context: IExecuteFunctions,
	systemCode: string,
	ids: Record<CrmEntity['resource'], string[]>,
	records: Record<CrmEntity['resource'], RecordCache>,
): Promise<OriginMatches> {
	const lookups = await runLookups(context, [
		...originLookupCommands(CRM_ENTITIES.company, systemCode, ids.company).map((command) => ({ ...command, key: `company_${command.key}` })),
		...originLookupCommands(CRM_ENTITIES.contact, systemCode, ids.contact),
	]);
	const companyResults = new Map([...lookups].filter(([key]) => key.startsWith('company_')).map(([key, value]) => [key.slice(8), value]));
	const contactResults = new Map([...lookups].filter(([key]) => !key.startsWith('company_')));
	return {
		company: originMatches(companyResults, systemCode, records.company),
		contact: originMatches(contactResults, systemCode, records.contact),
	};
}

/** One main record this execution has just written (not yet stamped). */
export interface WrittenRecord {
	itemIndex: number;
	entity: CrmEntity['resource'];
	/** ORIGIN_ID of the main record: the LexOffice id. */
	originId: string;
	/** The Bitrix24 id written to. */
	ownId: number;
	created: boolean;
	/** ORIGIN_VERSION to stamp (`<LexOffice version>/<mapping hash>`). */
	version: string;
	/** ORIGIN_VERSION the lookup saw ('' for a record this execution created). */
	seenVersion: string;
	/** Contact persons this execution created with it (deleted with a duplicate). */
	createdPersonIds: number[];
}

export type RecheckVerdict =
	| { kind: 'stamp' }
	/** Stamp, but Bitrix24 was given a newer version meanwhile: the record keeps what this input wrote, with its own version. */
	| { kind: 'stampOlder'; stored: string }
	| { kind: 'retry'; reason: string; deleteOwn: boolean };

export function recheckVerdict(written: WrittenRecord, found: MatchCandidate[]): RecheckVerdict {
	const [keeper] = [...found].sort((a, b) => a.id - b.id);
	if (!keeper) return { kind: 'retry', reason: 'the record was deleted meanwhile', deleteOwn: false };
	if (keeper.id !== written.ownId) {
		return { kind: 'retry', reason: `record ${keeper.id} with the same ORIGIN_ID was created first`, deleteOwn: written.created };
	}
	const stored = keeper.originVersion;
	if (stored === written.seenVersion || stored === written.version) return { kind: 'stamp' };
	if (isOlderThanStored(written.version, stored)) return { kind: 'stampOlder', stored };
	return { kind: 'retry', reason: `version ${stored} was stamped meanwhile and may have overwritten this one`, deleteOwn: false };
}

/**
 * Looks every written record up again and returns the verdict per item index. Duplicates this
 * execution created are deleted here (their requisites and addresses go with them, §5), before
 * the next round writes onto the lowest record.
 */
export async function recheckWritten(context: IExecuteFunctions, systemCode: string, written: WrittenRecord[]): Promise<Map<number, RecheckVerdict>> {
	const verdicts = new Map<number, RecheckVerdict>();
	if (written.length === 0) return verdicts;
	const ids = { company: [] as string[], contact: [] as string[] };
	for (const record of written) ids[record.entity].push(record.originId);
	const found = await lookUpOrigins(context, systemCode, ids, { company: new Map(), contact: new Map() });
	const deletes: BatchCommand[] = [];
	for (const record of written) {
		const verdict = recheckVerdict(record, found[record.entity].get(record.originId) ?? []);
		verdicts.set(record.itemIndex, verdict);
		if (verdict.kind !== 'retry' || !verdict.deleteOwn) continue;
		deletes.push({ key: `d${record.itemIndex}`, method: `${CRM_ENTITIES[record.entity].methodPrefix}.delete`, params: { id: record.ownId } });
		record.createdPersonIds.forEach((id, index) =>
			deletes.push({ key: `d${record.itemIndex}p${index}`, method: 'crm.contact.delete', params: { id } }),
		);
	}
	// A delete that fails leaves a duplicate that a later run's lookup ignores (it keeps the lowest id).
	if (deletes.length > 0) await bitrix24Batch.call(context, deletes, { halt: false });
	return verdicts;
}
