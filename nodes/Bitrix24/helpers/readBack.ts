/**
 * Reading back what an effect left in Bitrix24, before doing it again: a timeline comment with a
 * marker, a CRM document on a record. What cannot be read back (an automation trigger fired) is
 * not here: crm.automation.trigger.execute leaves nothing to list (bitrix24-api.md §8).
 */
import type { IDataObject } from 'n8n-workflow';

import { bitrix24Call, bitrix24Paginate, type Bitrix24Context } from '../transport';

export interface TimelineOwner {
	/** The lower-case ENTITY_TYPE of crm.timeline.comment.* (§7.1). */
	timelineName: string;
	id: number;
}

/**
 * Whether the record's timeline holds a comment containing one of `markers` (a note's marker as each
 * language writes it), newest first. crm.timeline.
 * comment.list needs ENTITY_ID and ENTITY_TYPE and pages like every list method (Bitrix24 REST
 * docs, crm/timeline/comment/crm_timeline_comment_list).
 */
export async function hasCommentWith(
	this: Bitrix24Context,
	owner: TimelineOwner,
	markers: readonly string[],
	itemIndex: number,
): Promise<boolean> {
	const params = {
		filter: { ENTITY_ID: owner.id, ENTITY_TYPE: owner.timelineName },
		select: ['ID', 'COMMENT'],
		order: { ID: 'DESC' },
	};
	for await (const page of bitrix24Paginate.call(this, 'crm.timeline.comment.list', params, { itemIndex })) {
		const holds = (comment: unknown) =>
			typeof comment === 'string' && markers.some((marker) => comment.includes(marker));
		if (page.some((row) => holds(row.COMMENT))) return true;
	}
	return false;
}

/**
 * Whether the record has a CRM document (crm.documentgenerator.document.list, filter by
 * entityTypeId and entityId; answer `{documents: […]}`: Bitrix24 REST docs,
 * crm/documentgenerator/documents/crm_documentgenerator_document_list).
 */
export async function hasDocument(
	this: Bitrix24Context,
	entityTypeId: number,
	entityId: number,
	itemIndex: number,
): Promise<boolean> {
	const answer = await bitrix24Call.call(
		this,
		'crm.documentgenerator.document.list',
		{ filter: { entityTypeId, entityId }, select: ['id'] },
		{ itemIndex },
	);
	const documents = (answer.result as IDataObject | undefined)?.documents;
	return Array.isArray(documents)
		? documents.length > 0
		: typeof documents === 'object' && documents !== null && Object.keys(documents).length > 0;
}
