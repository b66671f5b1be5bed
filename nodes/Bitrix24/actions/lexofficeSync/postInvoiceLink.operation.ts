import {
	NodeApiError,
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import { languageProperty, readLanguage } from '../../../shared/language';
import type { ItemOperation } from '../../../shared/operation';
import { CRM_TARGETS, positiveId, type CrmTargetType } from '../../helpers/crmEntities';
import { invoiceLinkNote } from '../../helpers/invoiceNotes';
import { hasCommentWith, type TimelineOwner } from '../../helpers/readBack';
import { bitrix24Call } from '../../transport';
import { memoryFieldOption, readMemoryField } from './memoryField';
import { recordInvoiceEffect } from './syncInvoiceMemory';

export const option: ItemOperation['option'] = {
	name: 'Post Invoice Link',
	value: 'postInvoiceLink',
	description:
		"Post the link to the LexOffice invoice in the timeline of its smart invoice and of its client's card, once: what is there already is not posted again; recorded after it happened",
	action: 'Post the link to a LexOffice invoice',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['lexofficeSync'], operation: ['postInvoiceLink'] } },
	[
		{
			displayName: 'Sync Invoice Result',
			name: 'syncResult',
			type: 'json',
			default: '={{ $json }}',
			required: true,
			description:
				"Sync Invoice's output item: the smart invoice's ID, lexofficeUrl, voucherNumber, status, client and claim",
		},
		{
			...languageProperty,
			description:
				'Language of the note Bitrix24 users read in the timeline. A link already there in the other language is not posted again.',
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				{
					displayName: "Post on the Client's Card",
					name: 'onClient',
					type: 'boolean',
					default: true,
					description: 'Whether the company or contact the smart invoice belongs to gets the link in its timeline too',
				},
				memoryFieldOption,
			],
		},
	],
);

const CLIENT_TYPES: CrmTargetType[] = ['company', 'contact'];

function readResult(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const raw = this.getNodeParameter('syncResult', itemIndex) as unknown;
	const result = typeof raw === 'string' ? (JSON.parse(raw) as unknown) : raw;
	if (typeof result === 'object' && result !== null && positiveId((result as IDataObject).id) !== null)
		return result as IDataObject;
	throw new NodeOperationError(this.getNode(), '"Sync Invoice Result" has no smart invoice ID', {
		itemIndex,
		description:
			"Connect this node to Sync Invoice's output (through an IF on firstSight), so it gets { id, lexofficeUrl, … }.",
	});
}

/**
 * Adds the link comment to each timeline that lacks it (the URL to the invoice identifies it), then
 * records the link done on the smart invoice. On failure the claim is released, so the next event
 * of the invoice posts what is missing, and the node fails with the reason.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const result = readResult.call(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as { onClient?: boolean; memoryField?: string };
	const memoryField = readMemoryField.call(this, options.memoryField, itemIndex);
	const id = positiveId(result.id) as number;
	const claim = typeof result.claim === 'string' ? result.claim : '';
	const note = invoiceLinkNote(
		String(result.voucherNumber ?? ''),
		String(result.status ?? ''),
		String(result.lexofficeUrl ?? ''),
		readLanguage.call(this, itemIndex),
	);
	const owners: TimelineOwner[] = [{ timelineName: CRM_TARGETS.smartInvoice.timelineName, id }];
	const clientId = positiveId(result.clientId);
	const clientType = result.clientType as CrmTargetType;
	if (options.onClient !== false && clientId !== null && CLIENT_TYPES.includes(clientType))
		owners.push({ timelineName: CRM_TARGETS[clientType].timelineName, id: clientId });

	const posted: IDataObject[] = [];
	try {
		for (const owner of owners) {
			const already = await hasCommentWith.call(this, owner, note.markers, itemIndex);
			if (!already) {
				const answer = await bitrix24Call.call(
					this,
					'crm.timeline.comment.add',
					{ fields: { ENTITY_ID: owner.id, ENTITY_TYPE: owner.timelineName, COMMENT: note.text } },
					{ itemIndex },
				);
				posted.push({ entityType: owner.timelineName, entityId: owner.id, commentId: Number(answer.result) });
			} else posted.push({ entityType: owner.timelineName, entityId: owner.id, alreadyThere: true });
		}
	} catch (error) {
		if (claim) await recordInvoiceEffect.call(this, memoryField, id, 'link', claim, false, itemIndex);
		throw error instanceof NodeApiError ? error : new NodeApiError(this.getNode(), error as JsonObject, { itemIndex });
	}
	const { recorded } = await recordInvoiceEffect.call(this, memoryField, id, 'link', claim, true, itemIndex);
	return this.helpers.returnJsonArray({
		id,
		lexofficeInvoiceId: result.lexofficeInvoiceId ?? null,
		timelines: posted,
		recorded,
	});
}
