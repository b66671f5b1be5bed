import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { parseClaim, parseOriginId, SYSTEM_CODE } from '../../../shared/contract/links';
import { crmEntityOf, type CrmEntity } from '../../helpers/crmRecordEntity';
import { commandError } from '../../helpers/crmRecordFields';
import { bitrix24Batch, bitrix24Call, type BatchCommandResult } from '../../transport';

/**
 * The link fields of a Bitrix24 contact or company as a compare-and-set register (issue #12): the
 * create-invoice button claims an unlinked record before it finds or creates its LexOffice
 * contact, so two clicks at once (in one n8n process or on two queue-mode workers) end with one
 * LexOffice contact. LexOffice has no conditional create and no delete (lexoffice-api.md §3.1), so
 * the one place both clicks meet is the record. ARCHITECTURE.md "Concurrency across processes"
 * says why this is safe and what window remains.
 */

export interface Link {
	ORIGINATOR_ID: string;
	ORIGIN_ID: string;
}

export type LinkState =
	| { kind: 'linked' }
	| { kind: 'claimed'; token: string; expiresAtMs: number }
	| { kind: 'unlinked' };

const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '');

export const linkOf = (record: IDataObject): Link => ({
	ORIGINATOR_ID: text(record.ORIGINATOR_ID),
	ORIGIN_ID: text(record.ORIGIN_ID),
});

/** Linked: this system code and a LexOffice id; claimed: this system code and a claim; else unlinked. */
export function linkState(link: Link, systemCode: string): LinkState {
	if (link.ORIGINATOR_ID !== systemCode || link.ORIGIN_ID === '') return { kind: 'unlinked' };
	const claim = parseClaim(link.ORIGIN_ID);
	if (claim) return { kind: 'claimed', ...claim };
	return parseOriginId(link.ORIGIN_ID) ? { kind: 'linked' } : { kind: 'unlinked' };
}

/** The parameters every link-claim operation has: which record, and the system code of its link. */
export const recordParameters: INodeProperties[] = [
	{
		displayName: 'Record Type',
		name: 'recordType',
		type: 'options',
		options: [
			{ name: 'Contact', value: 'contact' },
			{ name: 'Company', value: 'company' },
		],
		default: 'contact',
		description: 'Whether the record is a Bitrix24 contact or company',
	},
	{
		displayName: 'Record ID',
		name: 'recordId',
		type: 'string',
		default: '={{ $json.ID }}',
		description: 'ID of the Bitrix24 contact or company',
	},
	{
		displayName: 'System Code',
		name: 'systemCode',
		type: 'string',
		default: SYSTEM_CODE,
		description: 'The ORIGINATOR_ID of the link',
	},
];

export interface ClaimTarget {
	entity: CrmEntity;
	id: number;
	systemCode: string;
}

export function claimTargetOf(this: IExecuteFunctions, itemIndex: number): ClaimTarget {
	const type = this.getNodeParameter('recordType', itemIndex, 'contact');
	const entity = crmEntityOf(type);
	if (!entity) {
		throw new NodeOperationError(this.getNode(), `"Record Type" must be contact or company, not "${String(type)}"`, {
			itemIndex,
			description: 'Choose Contact or Company, or map the entity type of the button click.',
		});
	}
	const rawId = text(this.getNodeParameter('recordId', itemIndex, ''));
	const id = Number(rawId);
	if (!/^\d+$/.test(rawId) || id <= 0) {
		throw new NodeOperationError(
			this.getNode(),
			`"Record ID" must be the number of a Bitrix24 ${entity.resource}, not "${rawId}"`,
			{
				itemIndex,
				description: 'Map the ID of the record, e.g. {{ $json.ID }} after a Get.',
			},
		);
	}
	const systemCode = text(this.getNodeParameter('systemCode', itemIndex, SYSTEM_CODE)) || SYSTEM_CODE;
	return { entity, id, systemCode };
}

/** The record's link as Bitrix24 holds it now. */
export async function readLink(this: IExecuteFunctions, target: ClaimTarget, itemIndex: number): Promise<Link> {
	const answer = await bitrix24Call.call(this, `${target.entity.methodPrefix}.get`, { id: target.id }, { itemIndex });
	return linkOf((answer.result ?? {}) as IDataObject);
}

/**
 * Writes `next` only if the record still holds `expected`: one batch whose list finds the record
 * by id and exactly that link, and whose update takes its id from that answer (bitrix24-api.md
 * §3.3, `$result[…]`); when another execution changed the link meanwhile the list is empty and the
 * update, without an id, writes nothing. An empty expected value is filtered as "empty" (VERIFY on
 * a portal: the sandbox matches empty and missing values), which is why callers read back.
 * 'uncertain': the answer was lost; the caller reads back.
 */
export async function replaceLinkIf(
	this: IExecuteFunctions,
	target: ClaimTarget,
	expected: Link,
	next: Link,
	itemIndex: number,
): Promise<'written' | 'changedMeanwhile' | 'uncertain'> {
	const { methodPrefix } = target.entity;
	const results = await bitrix24Batch.call(
		this,
		[
			{
				key: 'same',
				method: `${methodPrefix}.list`,
				params: {
					filter: { ID: target.id, '=ORIGINATOR_ID': expected.ORIGINATOR_ID, '=ORIGIN_ID': expected.ORIGIN_ID },
					select: ['ID'],
				},
			},
			{
				key: 'update',
				method: `${methodPrefix}.update`,
				params: { id: '$result[same][0][ID]', fields: { ...next } },
			},
		],
		{ itemIndex },
	);
	const { same, update } = results;
	if (update?.ok) return 'written';
	if (isUncertain(update) || isUncertain(same)) return 'uncertain';
	const found = same?.ok && Array.isArray(same.result) ? same.result.length : 0;
	// The link was there and the update still failed: Bitrix24 refused the values, not a race.
	if (found > 0 && update && !update.ok) throw commandError.call(this, `${methodPrefix}.update`, update, itemIndex);
	if (same && !same.ok) throw commandError.call(this, `${methodPrefix}.list`, same, itemIndex);
	return 'changedMeanwhile';
}

const isUncertain = (result: BatchCommandResult | undefined) =>
	result !== undefined && !result.ok && result.uncertain === true;

export const lockKeyOf = (host: string, target: ClaimTarget) =>
	`bitrix24-link-claim ${host} ${target.entity.resource} ${target.id}`;
