import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { parseClaim } from '../../../shared/contract/links';
import type { ItemOperation } from '../../../shared/operation';
import { claimTargetOf, readLink, recordParameters, replaceLinkIf } from './linkClaim';

export const option: ItemOperation['option'] = {
	name: 'Release Link Claim',
	value: 'releaseClaim',
	description:
		'On an error after "Claim Record for Linking": give the record its previous link back if it still holds this execution\'s claim. Passes its input item on.',
	action: 'Release a link claim',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['lexofficeSync'], operation: ['releaseClaim'] } },
	[
		...recordParameters,
		{
			displayName: 'Claim',
			name: 'claim',
			type: 'string',
			default: '',
			description: 'The claim to release (claim.originId of "Claim Record for Linking"); empty: nothing to release',
		},
		{
			displayName: 'Previous ORIGINATOR_ID',
			name: 'previousOriginatorId',
			type: 'string',
			default: '',
			description: 'What ORIGINATOR_ID held before the claim (claim.previousOriginatorId)',
		},
		{
			displayName: 'Previous ORIGIN_ID',
			name: 'previousOriginId',
			type: 'string',
			default: '',
			description: 'What ORIGIN_ID held before the claim (claim.previousOriginId)',
		},
	],
);

type Release = 'released' | 'notHeld' | 'none' | 'failed';

/**
 * Runs on the error path, so it never fails itself: its output is its input (the error being
 * reported) with `claimRelease` — released, notHeld (the record holds no longer this claim, e.g. the
 * link was stored before a later step failed), none (no claim was made) or failed (the claim stays
 * until it expires; `claimReleaseError` says why).
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const input = this.getInputData()[itemIndex]?.json ?? {};
	const answer = (claimRelease: Release, extra: object = {}) => [{ json: { ...input, claimRelease, ...extra } }];
	const claim = String(this.getNodeParameter('claim', itemIndex, '')).trim();
	if (!parseClaim(claim)) return answer('none');
	try {
		const target = claimTargetOf.call(this, itemIndex);
		const current = await readLink.call(this, target, itemIndex);
		if (current.ORIGIN_ID !== claim) return answer('notHeld');
		const previous = {
			ORIGINATOR_ID: String(this.getNodeParameter('previousOriginatorId', itemIndex, '')).trim(),
			ORIGIN_ID: String(this.getNodeParameter('previousOriginId', itemIndex, '')).trim(),
		};
		await replaceLinkIf.call(this, target, current, previous, itemIndex);
		const after = await readLink.call(this, target, itemIndex);
		if (after.ORIGIN_ID !== claim) return answer('released');
		return answer('failed', { claimReleaseError: 'Bitrix24 did not take the previous link back' });
	} catch (error) {
		return answer('failed', { claimReleaseError: (error as Error).message });
	}
}
