import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { linksTo } from '../../../shared/contract/links';
import type { ItemOperation } from '../../../shared/operation';
import { claimTargetOf, readLink, recordParameters, replaceLinkIf } from './linkClaim';

export const option: ItemOperation['option'] = {
	name: 'Store LexOffice Link',
	value: 'storeLink',
	description:
		'Link a Bitrix24 contact or company to its LexOffice contact (ORIGINATOR_ID, ORIGIN_ID), only if it still holds what this execution expects (its claim)',
	action: 'Store a LexOffice link',
};

export const description = updateDisplayOptions({ show: { resource: ['lexofficeSync'], operation: ['storeLink'] } }, [
	...recordParameters,
	{
		displayName: 'LexOffice Contact ID',
		name: 'lexofficeId',
		type: 'string',
		required: true,
		default: '={{ $json.id }}',
		description: 'The LexOffice contact to link the record to',
	},
	{
		displayName: 'Expected ORIGIN_ID',
		name: 'expectedOriginId',
		type: 'string',
		default: '',
		description:
			'What ORIGIN_ID must still hold: the claim that the Claim Record for Linking operation put out (its claim.originId). Empty: the record must not be linked.',
	},
]);

/**
 * Claim → link as one compare-and-set (linkClaim.ts). A record already linked to this contact is
 * left as it is; one that holds something else (another execution took over an expired claim, or
 * a user linked it meanwhile) is not overwritten: the error says what it holds.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const target = claimTargetOf.call(this, itemIndex);
	const lexofficeId = String(this.getNodeParameter('lexofficeId', itemIndex, ''))
		.trim()
		.toLowerCase();
	if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(lexofficeId)) {
		throw new NodeOperationError(
			this.getNode(),
			`"LexOffice Contact ID" must be a LexOffice id, not "${lexofficeId}"`,
			{
				itemIndex,
				description: 'Map the id of the LexOffice contact, e.g. {{ $json.id }} after Find or Create.',
			},
		);
	}
	const expected = String(this.getNodeParameter('expectedOriginId', itemIndex, '')).trim();
	const result = (action: 'linked' | 'unchanged') => [
		{ json: { entityType: target.entity.resource, id: target.id, lexofficeId, action } },
	];
	const current = await readLink.call(this, target, itemIndex);
	if (linksTo(current, lexofficeId, target.systemCode)) return result('unchanged');
	const holdsSomethingElse = () =>
		new NodeOperationError(
			this.getNode(),
			`The Bitrix24 ${target.entity.resource} ${target.id} was not linked to the LexOffice contact ${lexofficeId}: it now holds ORIGINATOR_ID "${current.ORIGINATOR_ID}", ORIGIN_ID "${current.ORIGIN_ID}"`,
			{
				itemIndex,
				description:
					'Another execution or a user changed its link meanwhile (e.g. this execution took longer than its claim lasts). Check which LexOffice contact the record should be linked to.',
			},
		);
	if (current.ORIGIN_ID !== expected) throw holdsSomethingElse();
	await replaceLinkIf.call(
		this,
		target,
		current,
		{ ORIGINATOR_ID: target.systemCode, ORIGIN_ID: lexofficeId },
		itemIndex,
	);
	const after = await readLink.call(this, target, itemIndex);
	if (linksTo(after, lexofficeId, target.systemCode)) return result('linked');
	Object.assign(current, after);
	throw holdsSomethingElse();
}
