/**
 * Create or Update (upsert) of contacts and companies for a sync: all input items together, so
 * 500 items cost a handful of lookup requests and ceil(writes / 50) batch requests (§3.3).
 *
 * Outcome per input item: `{action, id, entityType, originId, originVersion}` with action
 * created | updated | unchanged | matched | failed. A write Bitrix24 refuses is that item's
 * `failed` outcome (with Bitrix24's error) whether or not "Continue On Fail" is on: its
 * neighbours were written, and the workflow needs every item's result to count and report them.
 * Problems found before any write (bad input, a lookup that failed) stop the node unless
 * "Continue On Fail" is on, in which case they too become `failed` items.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { decideUpserts, groupByOriginId, type InputGroup, type UpsertDecision } from '../../helpers/upsertMatching';
import { bitrix24Batch, type BatchCommand, type BatchCommandResult } from '../../transport';
import { jsonOutcomes, type BatchOperation } from '../../../shared/operation';
import { forOperation } from './crmRecordDescription';
import type { CrmEntity } from '../../helpers/crmRecordEntity';
import { asFieldDescriptions, convertMappedValues, withMultifieldWrites } from '../../helpers/crmRecordFields';
import { runLookups } from '../../helpers/crmRecordLookup';
import { originLookupCommands, originMatches, secondaryMatches, type RecordCache } from './crmRecordMatching';
import { readItem, readSettings, upsertProperties, type UpsertItem, type UpsertSettings } from './crmRecordUpsertInput';
import { settleUncertainWrites, uncertainMark } from './settleUncertain';

/** The batch command that writes one record, or none when it is unchanged. */
function writeCommand(
	entity: CrmEntity,
	settings: UpsertSettings,
	key: string,
	decision: UpsertDecision,
	item: UpsertItem,
	records: RecordCache,
): BatchCommand | undefined {
	if (decision.action === 'unchanged' || !item.converted) return undefined;
	const current = decision.action === 'created' ? undefined : records.get(decision.id);
	const fields = withMultifieldWrites(item.converted, current, settings.mode);
	// The link to the external record is the node's to set, whatever the mapping says.
	fields.ORIGINATOR_ID = settings.systemCode;
	fields.ORIGIN_ID = item.originId;
	if (item.originVersion) fields.ORIGIN_VERSION = item.originVersion;
	else delete fields.ORIGIN_VERSION;
	if (decision.action === 'created') return { key, method: `${entity.methodPrefix}.add`, params: { fields } };
	return { key, method: `${entity.methodPrefix}.update`, params: { id: decision.id, fields } };
}

function outcomeOf(decision: UpsertDecision, result: BatchCommandResult | undefined, dryRun: boolean): IDataObject {
	const outcome: IDataObject = { action: decision.action, id: decision.action === 'created' ? null : decision.id };
	if (decision.action === 'matched') outcome.matchedBy = decision.matchedBy;
	if ('duplicatesFound' in decision && decision.duplicatesFound.length > 0)
		outcome.duplicatesFound = decision.duplicatesFound;
	if (dryRun) outcome.dryRun = true;
	if (!result) return outcome;
	if (!result.ok) {
		return {
			...outcome,
			action: 'failed',
			error: result.description,
			errorCode: result.error,
			...(result.uncertain ? uncertainMark(decision.action) : {}),
		};
	}
	if (decision.action === 'created') outcome.id = Number(result.result);
	return outcome;
}

async function upsert(this: IExecuteFunctions, entity: CrmEntity, itemIndexes: number[]): Promise<IDataObject[]> {
	const settings = readSettings.call(this);
	const items = itemIndexes.map((itemIndex) => readItem.call(this, itemIndex, settings));

	// Round 1: the live field list (to convert values) and the lookup by external id, one batch.
	const records: RecordCache = new Map();
	const originIds = [...new Set(items.filter((item) => !item.error).map((item) => item.originId))];
	const first = await runLookups.call(this, [
		{ key: 'fields', method: `${entity.methodPrefix}.fields` },
		...originLookupCommands(entity, settings.systemCode, originIds),
	]);
	const descriptions = asFieldDescriptions(first.get('fields'));
	for (const item of items) {
		if (item.error) continue;
		try {
			item.converted = convertMappedValues.call(this, item.itemIndex, descriptions);
		} catch (error) {
			item.error = error as Error;
		}
	}
	const byOriginId = originMatches(first, settings.systemCode, records);

	const live = items.filter((item) => !item.error);
	const itemAt = new Map(live.map((item) => [item.itemIndex, item]));
	const groups: InputGroup[] = groupByOriginId(live);
	const representative = (group: InputGroup) => itemAt.get(group.representative) as UpsertItem;

	// Round 2: secondary rules, only for records the external id did not find.
	const unresolved = groups.filter((group) => !byOriginId.has(group.originId));
	const secondary = await secondaryMatches.call(this, entity, settings, unresolved.map(representative), records);
	const secondaryOf = new Map(unresolved.map((group, index) => [group, secondary[index]]));

	const decisions = decideUpserts(
		groups.map((group) => ({
			originVersion: representative(group).originVersion,
			byOrigin: byOriginId.get(group.originId) ?? [],
			bySecondary: secondaryOf.get(group) ?? [],
		})),
	);

	// Writes: one command per record, 50 per batch request, no halt: a refusal stays with its item.
	const commands = groups.flatMap((group, index) => {
		const command = writeCommand(entity, settings, `write${index}`, decisions[index], representative(group), records);
		return command ? [command] : [];
	});
	const results =
		settings.dryRun || commands.length === 0 ? {} : await bitrix24Batch.call(this, commands, { halt: false });

	const outcomes = new Map<number, IDataObject>();
	groups.forEach((group, index) => {
		const outcome = outcomeOf(
			decisions[index],
			settings.dryRun ? undefined : results[`write${index}`],
			settings.dryRun,
		);
		for (const member of group.members)
			outcomes.set(member, { ...outcome, ...identityOf(entity, itemAt.get(member) as UpsertItem) });
	});
	return items.map(
		(item) =>
			outcomes.get(item.itemIndex) ??
			failedOutcome(entity, item, item.error ?? new Error('The item was not processed')),
	);
}

function identityOf(entity: CrmEntity, item: UpsertItem): IDataObject {
	return { entityType: entity.resource, originId: item.originId, originVersion: item.originVersion };
}

/** The item's identity for a failure report, as far as its parameters can still be read. */
function identityFor(this: IExecuteFunctions, itemIndex: number): UpsertItem {
	const read = (name: string) => {
		try {
			return String(this.getNodeParameter(name, itemIndex, '') ?? '').trim();
		} catch {
			return '';
		}
	};
	return { itemIndex, originId: read('originId'), originVersion: read('originVersion'), matchValues: [] };
}

function failedOutcome(entity: CrmEntity, item: UpsertItem, error: Error): IDataObject {
	const { description } = error as { description?: string | null };
	return {
		action: 'failed',
		id: null,
		...identityOf(entity, item),
		error: error.message,
		...(description ? { errorDescription: description } : {}),
	};
}

export function crmUpsert(entity: CrmEntity): BatchOperation {
	return {
		option: {
			name: 'Create or Update',
			value: 'upsert',
			description: 'Create a new record, or update the current one if it already exists (upsert)',
			action: `Create or update a ${entity.resource}`,
		},
		description: forOperation(entity, 'upsert', upsertProperties(entity)),
		async executeBatch(this: IExecuteFunctions, itemIndexes: number[]) {
			const outcomes = await settleUncertainWrites(
				itemIndexes,
				async (indexes) => await upsert.call(this, entity, indexes),
			);
			return jsonOutcomes(outcomes);
		},
		failedItem(this: IExecuteFunctions, error: Error, itemIndex: number) {
			return { json: failedOutcome(entity, identityFor.call(this, itemIndex), error) };
		},
	};
}
