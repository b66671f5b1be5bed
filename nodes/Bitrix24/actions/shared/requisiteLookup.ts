/**
 * The reads of Requisite → Create or Update, batched (§3.3): the requisites of all owners in one
 * round (45 owners per crm.requisite.list, `@ENTITY_ID` = IN), the addresses of the requisites
 * found in a second (4 requisites per crm.address.list).
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { PAGE_SIZE } from '../../transport';
import { addressListParams } from '../../helpers/addressValues';
import {
	chunk,
	rowsFrom,
	runLookups,
	scanCommand,
	VALUES_PER_LIST,
	type LookupCommand,
} from '../../helpers/crmRecordLookup';
import type { RequisiteInput } from './requisiteInput';

/**
 * Requisites per crm.address.list. An address list has no ID to page by, so one page must hold
 * all rows: a requisite has at most one address per type, and the core knows 12 types
 * (EntityAddressType, §5), so 4 requisites give at most 48 rows.
 */
const REQUISITES_PER_ADDRESS_LIST = 4;

const REQUISITE_SELECT = ['ID', 'ENTITY_TYPE_ID', 'ENTITY_ID', 'PRESET_ID', 'NAME', 'XML_ID'];

export const ownerKey = (entityTypeId: unknown, id: unknown) => `${Number(entityTypeId)}:${Number(id)}`;

/** One scan per owner type and 45 owners, selecting every field some item manages. */
export function requisiteLookupCommands(inputs: RequisiteInput[]): LookupCommand[] {
	const select = [...new Set([...REQUISITE_SELECT, ...inputs.flatMap((input) => Object.keys(input.fields))])];
	const ownersByType = new Map<number, Set<number>>();
	for (const input of inputs) {
		const owners = ownersByType.get(input.ownerEntityTypeId) ?? new Set<number>();
		ownersByType.set(input.ownerEntityTypeId, owners.add(input.ownerId));
	}
	return [...ownersByType].flatMap(([entityTypeId, owners]) =>
		chunk([...owners], VALUES_PER_LIST).map((ids, index) =>
			scanCommand(
				`owners${entityTypeId}_${index}`,
				'crm.requisite.list',
				{ ENTITY_TYPE_ID: entityTypeId, '@ENTITY_ID': ids },
				select,
			),
		),
	);
}

/** The looked-up requisites by owner, oldest first. */
export function requisitesByOwner(
	results: Map<string, unknown>,
	commands: LookupCommand[],
): Map<string, IDataObject[]> {
	const byOwner = new Map<string, IDataObject[]>();
	for (const command of commands) {
		for (const row of rowsFrom(results, command.key)) {
			const key = ownerKey(row.ENTITY_TYPE_ID, row.ENTITY_ID);
			byOwner.set(key, [...(byOwner.get(key) ?? []), row]);
		}
	}
	for (const rows of byOwner.values()) rows.sort((a, b) => Number(a.ID) - Number(b.ID));
	return byOwner;
}

/**
 * The requisite an item manages: the one whose XML_ID is the item's external key; else (no key
 * yet, e.g. made by hand or by the old Market app) the oldest of the owner's requisites with the
 * chosen template, when it carries no other key.
 */
export function findManagedRequisite(
	rows: IDataObject[],
	input: RequisiteInput,
	presetId: number,
): IDataObject | undefined {
	const keyOf = (row: IDataObject) => String(row.XML_ID ?? '');
	if (input.externalKey) {
		const byKey = rows.find((row) => keyOf(row) === input.externalKey);
		if (byKey) return byKey;
	}
	return rows.find((row) => Number(row.PRESET_ID) === presetId && (!input.externalKey || keyOf(row) === ''));
}

/** The current addresses of these requisites, by requisite id and address type. */
export async function addressesOf(
	this: IExecuteFunctions,
	requisiteIds: number[],
): Promise<Map<number, Map<number, IDataObject>>> {
	const commands: LookupCommand[] = chunk([...new Set(requisiteIds)], REQUISITES_PER_ADDRESS_LIST).map(
		(ids, index) => ({
			key: `addresses${index}`,
			method: 'crm.address.list',
			params: addressListParams(ids),
		}),
	);
	const byRequisite = new Map<number, Map<number, IDataObject>>();
	if (commands.length === 0) return byRequisite;
	const results = await runLookups.call(this, commands);
	for (const command of commands) {
		const rows = results.get(command.key);
		if (!Array.isArray(rows)) continue;
		if (rows.length >= PAGE_SIZE) {
			throw new NodeOperationError(
				this.getNode(),
				'Bitrix24 returned more addresses for some requisites than one page holds',
				{
					description:
						'This portal has more address types than expected; please report it to the maintainers of this node.',
				},
			);
		}
		for (const row of rows as IDataObject[]) {
			const requisiteId = Number(row.ENTITY_ID);
			const byType = byRequisite.get(requisiteId) ?? new Map<number, IDataObject>();
			byRequisite.set(requisiteId, byType.set(Number(row.TYPE_ID), row));
		}
	}
	return byRequisite;
}
