import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { SYSTEM_CODE } from '../../../shared/contract/links';
import { withKeyLock } from '../../../shared/keyedLock';
import { languageProperty, readLanguage } from '../../../shared/language';
import type { ItemOperation } from '../../../shared/operation';
import { deletionNote, isDeletionNote, type DeletionNote } from '../../helpers/deletionNote';
import { bitrix24Batch, bitrix24Paginate, portalHostOf } from '../../transport';
import { CRM_ENTITIES, type CrmEntity } from '../../helpers/crmRecordEntity';
import { commandError } from '../../helpers/crmRecordFields';
import { SETTLE_ROUNDS } from '../shared/settleUncertain';

export const option: ItemOperation['option'] = {
	name: 'Note Deletion',
	value: 'noteDeletion',
	description:
		'Record on the Bitrix24 company or contact (timeline) that its LexOffice contact was deleted, once per deletion; nothing is deleted',
	action: 'Note a LexOffice contact deletion',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['lexofficeSync'], operation: ['noteDeletion'] } },
	[
		{
			displayName: 'LexOffice Contact ID',
			name: 'lexofficeId',
			type: 'string',
			required: true,
			default: '={{ $json.resourceId }}',
			description: 'ID of the deleted LexOffice contact; the LexOffice Trigger gives it as resourceId',
		},
		{
			displayName: 'Deleted At',
			name: 'deletedAt',
			type: 'string',
			default: '={{ $json.eventDate }}',
			description: 'When it was deleted (the event date); empty: now',
		},
		{
			displayName: 'System Code',
			name: 'systemCode',
			type: 'string',
			default: SYSTEM_CODE,
			description: 'The ORIGINATOR_ID the records were synced with',
		},
		{
			...languageProperty,
			description:
				'Language of the timeline note; a note written in the other language counts as there (no second note)',
		},
	],
);

const text = (value: unknown) => String(value ?? '').trim();

type NotedRecord = { entity: CrmEntity; id: number };
type NoteOutcome = { commentId: number; settledByReadBack?: true; addedByAnotherRun?: true; warning?: string };

/**
 * The ids of this deletion's notes on the record's timeline, newest first; with `firstOnly` the
 * reading stops at the first. crm.timeline.comment.list needs ENTITY_ID and ENTITY_TYPE and pages
 * like every list method (Bitrix24 REST docs, crm/timeline/comment/crm_timeline_comment_list).
 */
async function noteIds(
	this: IExecuteFunctions,
	{ entity, id }: NotedRecord,
	note: DeletionNote,
	itemIndex: number,
	firstOnly: boolean,
): Promise<number[]> {
	const params = {
		filter: { ENTITY_ID: id, ENTITY_TYPE: entity.resource },
		select: ['ID', 'COMMENT'],
		order: { ID: 'DESC' },
	};
	const ids: number[] = [];
	for await (const page of bitrix24Paginate.call(this, 'crm.timeline.comment.list', params, { itemIndex })) {
		ids.push(...page.filter((row) => isDeletionNote(row.COMMENT, note)).map((row) => Number(row.ID)));
		if (firstOnly && ids.length > 0) break;
	}
	return ids;
}

async function findNote(
	this: IExecuteFunctions,
	record: NotedRecord,
	note: DeletionNote,
	itemIndex: number,
): Promise<number | undefined> {
	return (await noteIds.call(this, record, note, itemIndex, true))[0];
}

/**
 * Another n8n process (a queue-mode worker) may have added the same note between this one's read
 * and its add: no lock reaches across processes. So after adding, the timeline is read again and
 * every copy but the oldest is deleted. Each process that added does this, so they all keep the
 * same note; a copy another one deleted first is fine (NOT_FOUND). The note is there either way,
 * so a copy Bitrix24 would not delete is a warning, not a failure.
 */
async function keepOldestNote(
	this: IExecuteFunctions,
	record: NotedRecord,
	note: DeletionNote,
	itemIndex: number,
): Promise<{ kept?: number; warning?: string }> {
	for (let round = 0; ; round++) {
		const [kept, ...copies] = (await noteIds.call(this, record, note, itemIndex, false)).sort((a, b) => a - b);
		if (copies.length === 0) return { kept };
		const deletes = copies.map((commentId) => ({
			key: `delete${commentId}`,
			method: 'crm.timeline.comment.delete',
			params: { id: commentId },
		}));
		const answers = await bitrix24Batch.call(this, deletes, { halt: false, itemIndex });
		const failed = deletes
			.map((command) => answers[command.key])
			.filter((answer) => !answer.ok && answer.error !== 'NOT_FOUND');
		if (failed.length === 0) return { kept };
		if (round >= SETTLE_ROUNDS || failed.some((answer) => !answer.ok && answer.uncertain !== true)) {
			const reason = failed.map((answer) => (answer.ok ? '' : answer.description || answer.error)).join('; ');
			return {
				kept,
				warning: `Another run added the same note at the same time; its copy could not be removed (${reason})`,
			};
		}
	}
}

/**
 * Adds the note to the records that lack it. An add whose answer was lost is settled by reading
 * the timeline again (ARCHITECTURE.md "Retries and settling"): found means done, not found means
 * it did not happen and is sent again, up to SETTLE_ROUNDS times.
 */
async function addMissingNotes(
	this: IExecuteFunctions,
	missing: NotedRecord[],
	note: DeletionNote,
	itemIndex: number,
): Promise<Map<NotedRecord, NoteOutcome>> {
	const added = new Map<NotedRecord, NoteOutcome>();
	let pending = missing;
	for (let round = 0; pending.length > 0; round++) {
		const commands = pending.map(({ entity, id }, index) => ({
			key: `note${index}`,
			method: 'crm.timeline.comment.add',
			params: { fields: { ENTITY_ID: id, ENTITY_TYPE: entity.resource, COMMENT: note.text } },
		}));
		const written = await bitrix24Batch.call(this, commands, { halt: false, itemIndex });
		const uncertain: NotedRecord[] = [];
		for (const [index, record] of pending.entries()) {
			const answer = written[`note${index}`];
			if (answer.ok)
				added.set(record, {
					commentId: Number(answer.result),
					...(round > 0 ? { settledByReadBack: true as const } : {}),
				});
			else if (answer.uncertain !== true || round >= SETTLE_ROUNDS)
				throw commandError.call(this, 'crm.timeline.comment.add', answer, itemIndex);
			else uncertain.push(record);
		}
		pending = [];
		for (const record of uncertain) {
			const commentId = await findNote.call(this, record, note, itemIndex);
			if (commentId === undefined) pending.push(record);
			else added.set(record, { commentId, settledByReadBack: true });
		}
	}
	return added;
}

/**
 * A deletion in LexOffice must not silently delete CRM history: the Bitrix24 records keep their
 * link (ORIGIN_ID) and get a timeline comment that says what happened (bitrix24-api.md §7.1).
 * Exactly one per record and deletion, however often LexOffice delivers the event and whichever
 * n8n process receives it: the timeline is read before the note is added (issue #11).
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const lexofficeId = text(this.getNodeParameter('lexofficeId', itemIndex, ''));
	const systemCode = text(this.getNodeParameter('systemCode', itemIndex, SYSTEM_CODE)) || SYSTEM_CODE;
	if (!lexofficeId) {
		throw new NodeOperationError(this.getNode(), 'LexOffice Contact ID is empty', {
			itemIndex,
			description: "Map the deleted contact's ID, e.g. {{ $json.resourceId }} from the LexOffice Trigger.",
		});
	}
	const entities = [CRM_ENTITIES.company, CRM_ENTITIES.contact];
	const lookups = entities.map((entity) => ({
		key: entity.resource,
		method: `${entity.methodPrefix}.list`,
		params: { filter: { ORIGINATOR_ID: systemCode, ORIGIN_ID: lexofficeId }, select: ['ID'] },
	}));
	const found = await bitrix24Batch.call(this, lookups, { itemIndex });
	const records: NotedRecord[] = entities.flatMap((entity) => {
		const answer = found[entity.resource];
		if (!answer.ok) throw commandError.call(this, `${entity.methodPrefix}.list`, answer, itemIndex);
		return (Array.isArray(answer.result) ? (answer.result as IDataObject[]) : []).map((row) => ({
			entity,
			id: Number(row.ID),
		}));
	});
	if (records.length === 0) return this.helpers.returnJsonArray({ lexofficeId, found: false, records: [] });

	const deletedAt = text(this.getNodeParameter('deletedAt', itemIndex, ''));
	const note = deletionNote(lexofficeId, deletedAt, undefined, readLanguage.call(this, itemIndex));
	// Executions of this process for the same deletion take turns, so both cannot miss the note.
	const lockKey = `bitrix24-deletion-note ${await portalHostOf.call(this)} ${systemCode} ${lexofficeId}`;
	return await withKeyLock([lockKey], async () => {
		const existing = new Map<NotedRecord, number>();
		for (const record of records) {
			const commentId = await findNote.call(this, record, note, itemIndex);
			if (commentId !== undefined) existing.set(record, commentId);
		}
		const added = await addMissingNotes.call(
			this,
			records.filter((record) => !existing.has(record)),
			note,
			itemIndex,
		);
		for (const [record, outcome] of added) {
			const { kept, warning } = await keepOldestNote.call(this, record, note, itemIndex);
			const settled = { ...outcome, ...(warning ? { warning } : {}) };
			added.set(
				record,
				kept !== undefined && kept !== outcome.commentId
					? { ...settled, commentId: kept, addedByAnotherRun: true }
					: settled,
			);
		}
		return this.helpers.returnJsonArray({
			lexofficeId,
			found: true,
			records: records.map((record) => {
				const { entity, id } = record;
				const noted = existing.get(record);
				if (noted !== undefined)
					return { entityType: entity.resource, id, commentId: noted, action: 'unchanged', alreadyNoted: true };
				const { addedByAnotherRun, ...outcome } = added.get(record) as NoteOutcome;
				// A run elsewhere added it at the same time; its copy stayed, this one's was removed.
				if (addedByAnotherRun)
					return { entityType: entity.resource, id, ...outcome, action: 'unchanged', alreadyNoted: true };
				return { entityType: entity.resource, id, action: 'created', ...outcome };
			}),
		});
	});
}
