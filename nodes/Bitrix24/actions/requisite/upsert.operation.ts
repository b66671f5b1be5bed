/**
 * Requisite → Create or Update for all input items together (bitrix24-api.md §3.3, §5): two
 * rounds of batched reads (templates + requisites of all owners, then the addresses of the
 * requisites found), then every write in batches of 50, a new requisite with its addresses in
 * one request. Unchanged requisites and addresses are not written.
 *
 * Bad input, a missing default template or a failed read stop the node before anything is written
 * (unless "Continue On Fail"); a write Bitrix24 refuses fails only its own item (`action: failed`).
 */
import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { bitrix24Batch, type BatchCommandResult } from '../../transport';
import { rowsFrom, runLookups } from '../../helpers/crmRecordLookup';
import { settleUncertainWrites } from '../shared/settleUncertain';
import { jsonOutcomes, type BatchOperation } from '../../../shared/operation';
import {
	isDefaultChoice,
	presetLookupCommand,
	presetsOf,
	resolvePresetId,
	type RequisitePreset,
} from '../../helpers/requisitePresets';
import {
	nameForNewRequisite,
	readRequisiteInput,
	upsertProperties,
	type RequisiteInput,
} from '../shared/requisiteInput';
import {
	addressesOf,
	findManagedRequisite,
	ownerKey,
	requisiteLookupCommands,
	requisitesByOwner,
} from '../shared/requisiteLookup';
import { planRequisite, requisiteOutcome, type RequisitePlan } from '../shared/requisitePlan';

export const option: BatchOperation['option'] = {
	name: 'Create or Update',
	value: 'upsert',
	description: 'Create a new record, or update the current one if it already exists (upsert)',
	action: 'Create or update a requisite',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['requisite'], operation: ['upsert'] } },
	upsertProperties(),
);

interface ItemState {
	itemIndex: number;
	input?: RequisiteInput;
	error?: Error;
	presetId?: number;
	current?: IDataObject;
	plan?: RequisitePlan;
}

type LiveState = ItemState & { input: RequisiteInput };

const live = (states: ItemState[]) =>
	states.filter((state): state is LiveState => !state.error && state.input !== undefined);

function attempt(state: ItemState, step: () => void): void {
	try {
		step();
	} catch (error) {
		state.error = error as Error;
	}
}

/** Two items writing one requisite would race each other; the later ones are refused. */
function refuseSharedTargets(this: IExecuteFunctions, states: LiveState[]): void {
	const firstWriter = new Map<string, number>();
	for (const state of states) {
		const { input } = state;
		const target = state.current
			? `id:${String(state.current.ID)}`
			: `new:${ownerKey(input.ownerEntityTypeId, input.ownerId)}:${input.externalKey || `preset${String(state.presetId)}`}`;
		const first = firstWriter.get(target);
		if (first === undefined) {
			firstWriter.set(target, state.itemIndex);
			continue;
		}
		state.error = new NodeOperationError(
			this.getNode(),
			`Input item ${first} already writes this requisite in this run`,
			{
				itemIndex: state.itemIndex,
				description: 'A requisite can be written once per run. Merge the items, or give them different External Keys.',
			},
		);
	}
}

function plan(
	this: IExecuteFunctions,
	state: LiveState,
	addresses: Map<number, Map<number, IDataObject>>,
): RequisitePlan {
	const newName = state.current ? '' : nameForNewRequisite(state.input);
	if (!state.current && !newName) {
		throw new NodeOperationError(this.getNode(), '"Requisite Name" is empty and there is no name to use instead', {
			itemIndex: state.itemIndex,
			description:
				'Bitrix24 needs a name for a new requisite. Fill in Requisite Name, or add Company Name or First/Last Name.',
		});
	}
	const current = state.current;
	return planRequisite(
		state.input,
		state.presetId as number,
		current,
		current && addresses.get(Number(current.ID)),
		newName,
	);
}

async function upsert(this: IExecuteFunctions, itemIndexes: number[]): Promise<IDataObject[]> {
	const states: ItemState[] = itemIndexes.map((itemIndex) => ({ itemIndex }));
	for (const state of states) attempt(state, () => (state.input = readRequisiteInput.call(this, state.itemIndex)));

	// Round 1: the templates (only when a default is chosen) and every owner's requisites.
	const ownerCommands = requisiteLookupCommands(live(states).map((state) => state.input));
	const needsPresets = live(states).some((state) => isDefaultChoice(state.input.presetChoice));
	const first = await runLookups.call(this, [
		...(needsPresets ? [presetLookupCommand('presets')] : []),
		...ownerCommands,
	]);
	const presets: RequisitePreset[] | undefined = needsPresets ? presetsOf(rowsFrom(first, 'presets')) : undefined;
	const byOwner = requisitesByOwner(first, ownerCommands);
	for (const state of live(states)) {
		const { input } = state;
		// A default template the portal does not have is the portal's problem, not the item's: it stops the node.
		const presetId = resolvePresetId(
			this.getNode(),
			input.presetChoice,
			input.ownerEntityTypeId,
			presets,
			state.itemIndex,
		);
		state.presetId = presetId;
		attempt(
			state,
			() =>
				(state.current = findManagedRequisite(
					byOwner.get(ownerKey(input.ownerEntityTypeId, input.ownerId)) ?? [],
					input,
					presetId,
				)),
		);
	}
	refuseSharedTargets.call(this, live(states));

	// Round 2: the addresses of the requisites found, for items that manage addresses.
	const withAddresses = live(states).filter((state) => state.current && state.input.addresses.length > 0);
	const addresses = await addressesOf.call(
		this,
		withAddresses.map((state) => Number(state.current?.ID)),
	);
	for (const state of live(states)) attempt(state, () => (state.plan = plan.call(this, state, addresses)));

	// Writes: no halt, so a refused command fails only its item.
	const commands = live(states).flatMap((state) => state.plan?.commands ?? []);
	const results: Record<string, BatchCommandResult> =
		commands.length === 0 ? {} : await bitrix24Batch.call(this, commands, { halt: false });
	return states.map((state) =>
		state.plan && !state.error ? requisiteOutcome(state.plan, results) : failedOutcome(state.error),
	);
}

function failedOutcome(error: Error | undefined): IDataObject {
	const { description } = (error ?? {}) as { description?: string | null };
	return {
		action: 'failed',
		requisiteId: null,
		addresses: [],
		error: error?.message ?? 'The item was not processed',
		...(description ? { errorDescription: description } : {}),
	};
}

export async function executeBatch(
	this: IExecuteFunctions,
	itemIndexes: number[],
): Promise<Array<INodeExecutionData | Error>> {
	return jsonOutcomes(await settleUncertainWrites(itemIndexes, async (indexes) => await upsert.call(this, indexes)));
}

/** Under Continue On Fail, a problem before any write fails every item as a `failed` outcome. */
export function failedItem(this: IExecuteFunctions, error: Error): INodeExecutionData {
	return { json: failedOutcome(error) };
}
