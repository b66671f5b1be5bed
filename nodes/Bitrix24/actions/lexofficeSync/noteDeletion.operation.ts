import { DateTime } from 'luxon';
import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { SYSTEM_CODE } from '../../../shared/contract/links';
import { bitrix24Batch } from '../../transport';
import { CRM_ENTITIES } from '../../helpers/crmRecordEntity';
import { commandError } from '../../helpers/crmRecordFields';
import type { ItemOperation } from '../../../shared/operation';

export const option: ItemOperation['option'] = {
	name: 'Note Deletion',
	value: 'noteDeletion',
	description: 'Record on the Bitrix24 company or contact (timeline) that its LexOffice contact was deleted; nothing is deleted',
	action: 'Note a LexOffice contact deletion',
};

export const description = updateDisplayOptions({ show: { resource: ['lexofficeSync'], operation: ['noteDeletion'] } }, [
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
]);

const text = (value: unknown) => String(value ?? '').trim();

function when(raw: string): string {
	const parsed = raw ? DateTime.fromISO(raw, { setZone: true }) : DateTime.now();
	return (parsed.isValid ? parsed : DateTime.now()).setZone('Europe/Berlin').toFormat('dd.MM.yyyy HH:mm');
}

/**
 * A deletion in LexOffice must not silently delete CRM history: the Bitrix24 records keep their
 * link (ORIGIN_ID) and get a timeline comment that says what happened (bitrix24-api.md §7.1).
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const lexofficeId = text(this.getNodeParameter('lexofficeId', itemIndex, ''));
	const systemCode = text(this.getNodeParameter('systemCode', itemIndex, SYSTEM_CODE)) || SYSTEM_CODE;
	if (!lexofficeId) {
		throw new NodeOperationError(this.getNode(), 'LexOffice Contact ID is empty', {
			itemIndex,
			description: 'Map the deleted contact\'s ID, e.g. {{ $json.resourceId }} from the LexOffice Trigger.',
		});
	}
	const entities = [CRM_ENTITIES.company, CRM_ENTITIES.contact];
	const lookups = entities.map((entity) => ({
		key: entity.resource,
		method: `${entity.methodPrefix}.list`,
		params: { filter: { ORIGINATOR_ID: systemCode, ORIGIN_ID: lexofficeId }, select: ['ID'] },
	}));
	const found = await bitrix24Batch.call(this, lookups, { itemIndex });
	const records = entities.flatMap((entity) => {
		const answer = found[entity.resource];
		if (!answer.ok) throw commandError.call(this, `${entity.methodPrefix}.list`, answer, itemIndex);
		return (Array.isArray(answer.result) ? (answer.result as IDataObject[]) : []).map((row) => ({ entity, id: Number(row.ID) }));
	});
	if (records.length === 0) return this.helpers.returnJsonArray({ lexofficeId, found: false, records: [] });

	const comment = `Der verknüpfte LexOffice-Kontakt wurde am ${when(text(this.getNodeParameter('deletedAt', itemIndex, '')))} in LexOffice gelöscht (LexOffice-ID ${lexofficeId}). Der Datensatz bleibt in Bitrix24 erhalten.`;
	const notes = records.map(({ entity, id }, index) => ({
		key: `note${index}`,
		method: 'crm.timeline.comment.add',
		params: { fields: { ENTITY_ID: id, ENTITY_TYPE: entity.resource, COMMENT: comment } },
	}));
	const written = await bitrix24Batch.call(this, notes, { halt: false, itemIndex });
	return this.helpers.returnJsonArray({
		lexofficeId,
		found: true,
		records: records.map(({ entity, id }, index) => {
			const answer = written[`note${index}`];
			if (!answer.ok) throw commandError.call(this, 'crm.timeline.comment.add', answer, itemIndex);
			return { entityType: entity.resource, id, commentId: Number(answer.result) };
		}),
	});
}
