import { randomUUID } from 'crypto';

import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { CLAIM_HELD_ERROR, claimOriginId } from '../../../shared/contract/links';
import { withKeyLock } from '../../../shared/keyedLock';
import type { ItemOperation } from '../../../shared/operation';
import { cancelSignalOf, pauseUnlessCancelled } from '../../../shared/transportFailures';
import { portalHostOf } from '../../transport';
import {
	claimTargetOf,
	linkState,
	lockKeyOf,
	readLink,
	recordParameters,
	replaceLinkIf,
	type ClaimTarget,
	type Link,
} from './linkClaim';

export const option: ItemOperation['option'] = {
	name: 'Claim Record for Linking',
	value: 'claimLink',
	description:
		'Before finding or creating the LexOffice contact of a Bitrix24 record: mark an unlinked record as being linked by this execution, or wait for another execution that is linking it',
	action: 'Claim a record for linking',
};

export const description = updateDisplayOptions({ show: { resource: ['lexofficeSync'], operation: ['claimLink'] } }, [
	{
		displayName:
			'Makes two clicks at once end with one LexOffice contact: the first claims the record (ORIGIN_ID "claim:…"), the second waits until the first has stored its link and then uses that contact. Store the link with "Store LexOffice Link", release the claim on errors with "Release Link Claim".',
		name: 'claimLinkNotice',
		type: 'notice',
		default: '',
	},
	...recordParameters,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Wait for Another Claim (Seconds)',
				name: 'waitSeconds',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 50 },
				default: 30,
				description:
					'How long to wait for another execution that is linking the record before failing with "try again"',
			},
			{
				displayName: 'Claim Expires After (Minutes)',
				name: 'expiresAfterMinutes',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 60 },
				default: 5,
				description:
					'A claim older than this belongs to an execution that stopped (e.g. its worker died) and may be taken over',
			},
		],
	},
]);

const POLL_MS = 1000;

type Claimed =
	| { kind: 'linked'; link: Link }
	| { kind: 'claimed'; originId: string; previous: Link; tookOver: boolean }
	| { kind: 'busy'; expiresAtMs: number };

/**
 * One attempt, under the process-wide lock of the record (so in one n8n process no two executions
 * interleave here at all): read the link; linked → done; a live claim of another execution →
 * busy; unlinked or an expired claim → compare-and-set to this execution's claim and read back,
 * which across processes catches the one interleaving the batch leaves (see linkClaim.ts).
 */
async function attempt(
	this: IExecuteFunctions,
	target: ClaimTarget,
	token: string,
	expiresAfterMs: number,
	itemIndex: number,
): Promise<Claimed> {
	const current = await readLink.call(this, target, itemIndex);
	const state = linkState(current, target.systemCode);
	if (state.kind === 'linked') return { kind: 'linked', link: current };
	if (state.kind === 'claimed' && state.expiresAtMs > Date.now())
		return { kind: 'busy', expiresAtMs: state.expiresAtMs };
	const mine = claimOriginId(token, Date.now() + expiresAfterMs);
	await replaceLinkIf.call(this, target, current, { ORIGINATOR_ID: target.systemCode, ORIGIN_ID: mine }, itemIndex);
	const after = await readLink.call(this, target, itemIndex);
	if (after.ORIGIN_ID === mine) {
		// An expired claim's owner never got to store its link: what was there before it is unknown.
		const previous = state.kind === 'claimed' ? { ORIGINATOR_ID: '', ORIGIN_ID: '' } : current;
		return { kind: 'claimed', originId: mine, previous, tookOver: state.kind === 'claimed' };
	}
	const afterState = linkState(after, target.systemCode);
	if (afterState.kind === 'linked') return { kind: 'linked', link: after };
	return { kind: 'busy', expiresAtMs: afterState.kind === 'claimed' ? afterState.expiresAtMs : Date.now() };
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const target = claimTargetOf.call(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const waitMs = Math.max(0, Number(options.waitSeconds ?? 30)) * 1000;
	const expiresAfterMs = Math.max(1, Number(options.expiresAfterMinutes ?? 5)) * 60_000;
	const key = lockKeyOf(await portalHostOf.call(this), target);
	const token = randomUUID();
	const deadline = Date.now() + waitMs;
	let waited = false;
	for (;;) {
		const outcome = await withKeyLock(
			[key],
			async () => await attempt.call(this, target, token, expiresAfterMs, itemIndex),
		);
		if (outcome.kind !== 'busy') {
			const input = this.getInputData()[itemIndex]?.json ?? {};
			const link = outcome.kind === 'linked' ? outcome.link : outcome.previous;
			return [
				{
					json: {
						...input,
						// What the record is linked to apart from this execution's claim: the next node finds by it.
						...link,
						claim: {
							claimed: outcome.kind === 'claimed',
							originId: outcome.kind === 'claimed' ? outcome.originId : link.ORIGIN_ID,
							previousOriginatorId: link.ORIGINATOR_ID,
							previousOriginId: link.ORIGIN_ID,
							tookOver: outcome.kind === 'claimed' && outcome.tookOver,
							waitedForAnotherClick: waited,
							// Not when the other click gave its claim back (it failed) and this one claimed after all.
							linkedByAnotherClick: waited && outcome.kind === 'linked',
						},
					},
				},
			];
		}
		if (Date.now() >= deadline) {
			// The answer page tells this case by the message's beginning and says it in the user's language.
			throw new NodeOperationError(
				this.getNode(),
				`${CLAIM_HELD_ERROR} of Bitrix24 ${target.entity.resource} ${target.id}`,
				{
					itemIndex,
					description: `Nothing was changed. Try again in a minute. If an execution stopped before it finished, its claim ends at ${new Date(outcome.expiresAtMs).toISOString()}.`,
				},
			);
		}
		waited = true;
		await pauseUnlessCancelled(POLL_MS, cancelSignalOf(this));
		if (cancelSignalOf(this)?.aborted)
			throw new NodeOperationError(this.getNode(), 'The execution was cancelled', { itemIndex });
	}
}
