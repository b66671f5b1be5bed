/**
 * Sync Contacts' report step: one output item per input item, from its final state and the write
 * results (pure), and what this process remembers of it (contactVersions.ts).
 */
import type { IDataObject } from 'n8n-workflow';

import { uncertainMark } from '../shared/settleUncertain';
import { rememberSettled } from './contactVersions';
import type { FinalItem, PlannedRecord, SyncSettings, WriteItem } from './syncContactsSteps';
import { stampKey, type WriteResults } from './syncContactsWrite';

interface WriteOutcome {
	action: string;
	id: number | null;
	error?: string;
}

function writeOutcome(record: PlannedRecord, results: WriteResults): WriteOutcome {
	const { decision } = record;
	const action = decision.action === 'matched' ? 'updated' : decision.action;
	const id = decision.action === 'created' ? null : decision.id;
	const result = record.key ? results[record.key] : undefined;
	if (!result) return { action, id };
	if (!result.ok)
		return {
			action: 'failed',
			id,
			error: result.description || result.error,
			...(result.uncertain ? uncertainMark(action) : {}),
		};
	return { action, id: id ?? Number(result.result) };
}

/** Dry Run: whether the contact would change and, per record, the fields with old → new values. */
function dryRunChanges(write: WriteItem | undefined): IDataObject {
	if (!write) return { wouldChange: false, changes: [] };
	return { wouldChange: true, changes: (write.changes ?? []) as unknown as IDataObject[] };
}

/** The output item of one input item. */
export function outcomeOf(item: FinalItem, results: WriteResults, settings: SyncSettings): IDataObject {
	const mapped = item.mapped;
	const given = item.step === 'failed' ? item.given : undefined;
	const identity: IDataObject = {
		lexofficeId: mapped?.lexofficeId ?? given?.id ?? null,
		name: mapped?.name ?? null,
		kind: mapped?.kind ?? null,
		entityType: mapped?.record.entity ?? given?.entity ?? null,
	};
	if (settings.dryRun) identity.dryRun = true;
	if (item.step === 'skipped')
		return {
			...identity,
			action: 'skipped',
			id: null,
			reason: item.reason,
			...(settings.dryRun ? dryRunChanges(undefined) : {}),
		};
	if (item.step === 'settled')
		return { ...identity, action: 'unchanged', id: item.id, contactPersons: [], requisite: 'unchanged' };

	const write = item.step === 'write' ? item : undefined;
	const main = write
		? writeOutcome(write.record, results)
		: { action: item.step === 'unchanged' ? 'unchanged' : 'failed', id: item.step === 'unchanged' ? item.id : null };
	const failure = item.step === 'failed' ? item.failure : write?.failure;
	const outcome: IDataObject = {
		...identity,
		action: failure ? 'failed' : main.action,
		id: main.id,
		...(write?.record.decision.action === 'matched' ? { matchedBy: write.record.decision.matchedBy } : {}),
		contactPersons: (write?.persons ?? []).map((person) => ({ ...writeOutcome(person, results) })),
		requisite: write?.requisite ? write.requisite.action : item.step === 'unchanged' ? 'unchanged' : null,
	};
	// The setting, not what this record got (see Set Responsible User): Summarize Sync Results sends its notification to this user.
	if (settings.mapping.responsibleUserId !== undefined) outcome.responsibleUserId = settings.mapping.responsibleUserId;
	if (settings.dryRun && !failure) Object.assign(outcome, dryRunChanges(write));
	if (mapped && mapped.warnings.length > 0) outcome.warnings = mapped.warnings;
	if (write?.removedPersons.length) outcome.contactPersonsRemovedInLexoffice = write.removedPersons;
	if (failure) {
		outcome.error = failure.message;
		if (failure.description) outcome.errorDescription = failure.description;
		if (failure.uncertain && write) Object.assign(outcome, uncertainMark(write.record.decision.action));
	}
	return outcome;
}

/**
 * Remembers what Bitrix24 now holds for every contact that was written completely or found
 * current, so that events repeating it within a minute cost no request (issue #15).
 */
export function rememberOutcomes(
	items: FinalItem[],
	results: WriteResults,
	keyOf: (lexofficeId: string) => string,
	now: number,
): void {
	for (const item of items) {
		if (item.step === 'unchanged') rememberSettled(keyOf(item.mapped.lexofficeId), item.mapped.version, item.id, now);
		if (item.step !== 'write' || item.failure || results[stampKey(item)]?.ok !== true) continue;
		const { id } = writeOutcome(item.record, results);
		if (id) rememberSettled(keyOf(item.mapped.lexofficeId), item.record.version, id, now);
	}
}
