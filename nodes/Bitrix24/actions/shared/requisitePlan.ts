/**
 * The writes of Requisite → Create or Update for one item, and its outcome. A new requisite and
 * its addresses go out as one connected group of commands: the addresses refer to the requisite
 * through `$result[rq…]` (§3.3), so the transport keeps them in the same batch request.
 */
import type { IDataObject } from 'n8n-workflow';

import type { BatchCommand, BatchCommandResult } from '../../transport';
import { planAddressWrite, type AddressAction, type AddressRole } from '../../helpers/addressValues';
import { uncertainMark } from './settleUncertain';
import type { RequisiteInput } from './requisiteInput';

export interface PlannedAddress {
	role: AddressRole;
	typeId: number;
	action: AddressAction;
	/** Key of its command, when one is sent. */
	key?: string;
}

export interface RequisitePlan {
	action: 'created' | 'updated' | 'unchanged';
	/** null until a new requisite is created. */
	requisiteId: number | null;
	requisiteKey: string;
	addresses: PlannedAddress[];
	commands: BatchCommand[];
}

const textOf = (value: unknown) => (value === undefined || value === null ? '' : String(value).trim());

/** The fields of an existing requisite that differ from the item (only those are sent). */
function requisiteChanges(current: IDataObject, input: RequisiteInput, presetId: number): IDataObject {
	const changes: IDataObject = {};
	if (Number(current.PRESET_ID) !== presetId) changes.PRESET_ID = presetId;
	// A requisite found by owner and template gets the key, so the next run finds it by key.
	if (input.externalKey && textOf(current.XML_ID) !== input.externalKey) changes.XML_ID = input.externalKey;
	if (input.name && textOf(current.NAME) !== input.name) changes.NAME = input.name;
	for (const [field, value] of Object.entries(input.fields)) {
		if (textOf(current[field]) !== value) changes[field] = value;
	}
	return changes;
}

function newRequisiteFields(input: RequisiteInput, presetId: number, name: string): IDataObject {
	const fields: IDataObject = {
		ENTITY_TYPE_ID: input.ownerEntityTypeId,
		ENTITY_ID: input.ownerId,
		PRESET_ID: presetId,
		NAME: name,
	};
	if (input.externalKey) fields.XML_ID = input.externalKey;
	for (const [field, value] of Object.entries(input.fields)) if (value !== '') fields[field] = value;
	return fields;
}

/**
 * The commands that make Bitrix24 hold the item: add or update the requisite (nothing when it is
 * unchanged), and per managed address add, update (same three keys) or delete.
 */
export function planRequisite(
	input: RequisiteInput,
	presetId: number,
	current: IDataObject | undefined,
	currentAddresses: Map<number, IDataObject> | undefined,
	newName: string,
): RequisitePlan {
	const requisiteKey = `rq${input.itemIndex}`;
	const commands: BatchCommand[] = [];
	const requisiteRef = current ? Number(current.ID) : `$result[${requisiteKey}]`;
	if (!current) {
		commands.push({
			key: requisiteKey,
			method: 'crm.requisite.add',
			params: { fields: newRequisiteFields(input, presetId, newName) },
		});
	} else {
		const changes = requisiteChanges(current, input, presetId);
		if (Object.keys(changes).length > 0) {
			commands.push({
				key: requisiteKey,
				method: 'crm.requisite.update',
				params: { id: Number(current.ID), fields: changes },
			});
		}
	}
	const addresses = input.addresses.map((address): PlannedAddress => {
		const write = planAddressWrite(
			address.typeId,
			requisiteRef,
			currentAddresses?.get(address.typeId),
			address.values,
			input.removeMissingAddresses,
		);
		if (!write.method) return { role: address.role, typeId: address.typeId, action: write.action };
		const key = `${requisiteKey}a${address.typeId}`;
		commands.push({ key, method: write.method, params: { fields: write.fields } });
		return { role: address.role, typeId: address.typeId, action: write.action, key };
	});
	const action = !current ? 'created' : commands.length > 0 ? 'updated' : 'unchanged';
	return { action, requisiteId: current ? Number(current.ID) : null, requisiteKey, addresses, commands };
}

/** `{action, requisiteId, addresses, error?}`; a failed command fails only its own item. */
export function requisiteOutcome(plan: RequisitePlan, results: Record<string, BatchCommandResult>): IDataObject {
	const failed = (key: string | undefined) => {
		const result = key === undefined ? undefined : results[key];
		return result !== undefined && !result.ok;
	};
	const created = results[plan.requisiteKey];
	const requisiteId = plan.requisiteId ?? (created?.ok ? Number(created.result) : null);
	const addresses = plan.addresses.map((address) => ({
		role: address.role,
		typeId: address.typeId,
		action: failed(address.key) ? 'failed' : address.action,
	}));
	const outcome: IDataObject = { action: plan.action, requisiteId, addresses };
	const failure = plan.commands.find((command) => failed(command.key));
	if (!failure) return outcome;
	const result = results[failure.key] as Extract<BatchCommandResult, { ok: false }>;
	return {
		...outcome,
		action: 'failed',
		error: `${failure.method}: ${result.description || result.error}`,
		errorCode: result.error,
		...(result.uncertain ? uncertainMark(plan.action) : {}),
	};
}
