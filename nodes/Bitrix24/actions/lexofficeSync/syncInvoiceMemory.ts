/**
 * The sync's memory on the smart invoice (invoiceStatus.ts), changed only by compare-and-set: a
 * write goes through only if the field still holds what the writer read. This is what orders
 * executions on several n8n workers (issue #12): a sync that loses plans again from what won.
 */
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type JsonObject,
} from 'n8n-workflow';

import { commandError } from '../../helpers/crmRecordFields';
import { SMART_INVOICE_ENTITY_TYPE_ID } from '../../helpers/crmEntities';
import { formatMemory, parseMemory, recordEffect, type Effect } from '../../../shared/contract/invoiceStatus';
import { bitrix24Batch, bitrix24Call, rowsOf, uncertainWriteOf } from '../../transport';
import { SETTLE_ROUNDS } from '../shared/settleUncertain';

const entityTypeId = SMART_INVOICE_ENTITY_TYPE_ID;

/** How often a compare-and-set that lost to another execution is planned again before giving up. */
export const INVOICE_ROUNDS = 5;

/**
 * crm.item.update only if the sync state is still the one the decision was made on: a batch whose
 * first sub-call finds the smart invoice by id and that exact state, and whose update takes its id
 * from that answer (bitrix24-api.md §3.3, `$result[…]`). When another execution wrote the state
 * meanwhile, the list finds nothing, the reference is empty and the update fails without writing:
 * undefined. A smart invoice without a sync state yet is updated as it is.
 */
export async function updateIfStateUnchanged(
	this: IExecuteFunctions,
	memoryField: string,
	existing: IDataObject,
	changes: IDataObject,
	itemIndex: number,
): Promise<IDataObject | undefined> {
	const state = existing[memoryField];
	if (typeof state !== 'string' || state === '') {
		const answer = await bitrix24Call.call(
			this,
			'crm.item.update',
			{ entityTypeId, id: Number(existing.id), fields: changes },
			{ itemIndex },
		);
		return ((answer.result as IDataObject | undefined)?.item ?? existing) as IDataObject;
	}
	const results = await bitrix24Batch.call(
		this,
		[
			{
				key: 'same',
				method: 'crm.item.list',
				params: { entityTypeId, filter: { id: Number(existing.id), [`=${memoryField}`]: state }, select: ['id'] },
			},
			{
				key: 'update',
				method: 'crm.item.update',
				params: { entityTypeId, id: '$result[same][items][0][id]', fields: changes },
			},
		],
		{ itemIndex },
	);
	const update = results.update;
	if (!update?.ok) {
		const found = results.same?.ok ? rowsOf(results.same.result) : [];
		// The state was there and the update still failed: Bitrix24 refused the values, not a race.
		if (found.length > 0 && update && !update.uncertain)
			throw commandError.call(this, 'crm.item.update', update, itemIndex);
		return undefined;
	}
	return ((update.result as IDataObject | undefined)?.item ?? existing) as IDataObject;
}

export interface RecordOutcome {
	/** `done`, `released` (to do again at the next sync), or `unchanged` (already so, or another execution's claim). */
	recorded: 'done' | 'released' | 'unchanged';
	memory: string;
}

/**
 * Records on smart invoice `id` that an effect this execution claimed (`claim`) happened, or
 * releases it when it failed. Compare-and-set; when another execution wrote the memory in
 * between, it is read again and the record decided anew. A write whose answer was lost is settled
 * the same way: the next read shows whether it went through.
 */
export async function recordInvoiceEffect(
	this: IExecuteFunctions,
	memoryField: string,
	id: number,
	effect: Effect,
	claim: string,
	succeeded: boolean,
	itemIndex: number,
	triggerCode?: string,
): Promise<RecordOutcome> {
	for (let round = 1; ; round++) {
		const answer = await bitrix24Call.call(
			this,
			'crm.item.list',
			{ entityTypeId, filter: { id }, select: ['id', memoryField] },
			{ itemIndex },
		);
		const [existing] = rowsOf(answer.result);
		const memory = existing ? parseMemory(existing[memoryField]) : undefined;
		if (!existing || !memory) {
			throw new NodeOperationError(
				this.getNode(),
				`Smart invoice ${id} has no sync state in "${memoryField}" to record the ${effect} in (deleted, or the field was edited)`,
				{ itemIndex },
			);
		}
		const next = recordEffect(memory, effect, claim, succeeded, triggerCode);
		if (!next) return { recorded: 'unchanged', memory: String(existing[memoryField]) };
		const text = formatMemory(next);
		let written: IDataObject | undefined;
		try {
			written = await updateIfStateUnchanged.call(this, memoryField, existing, { [memoryField]: text }, itemIndex);
		} catch (error) {
			if (uncertainWriteOf(error) === undefined || round > SETTLE_ROUNDS)
				throw error instanceof NodeApiError ? error : new NodeApiError(this.getNode(), error as JsonObject);
			continue;
		}
		if (written) return { recorded: succeeded ? 'done' : 'released', memory: text };
		if (round >= INVOICE_ROUNDS)
			throw new NodeOperationError(
				this.getNode(),
				`Other executions kept changing the sync state of smart invoice ${id}; the ${effect} was not recorded`,
				{
					itemIndex,
				},
			);
	}
}
