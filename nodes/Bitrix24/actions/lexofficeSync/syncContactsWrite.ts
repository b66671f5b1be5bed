/**
 * Sync Contacts' write step: every planned write in batch requests of 50 (a new record, its
 * requisite, addresses and contact persons travel in one request, linked by `$result[…]`,
 * bitrix24-api.md §3.3), then ORIGIN_VERSION for each contact all of whose writes succeeded. The
 * stamp is what marks a contact done: a run stopped before it leaves the contact "changed", and
 * the next run's plan completes it (syncContactsPlan.ts).
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { bitrix24Batch, type BatchCommand, type BatchCommandResult } from '../../transport';
import { CRM_ENTITIES } from '../../helpers/crmRecordEntity';
import { idOrReference } from './syncContactsPlan';
import type { WriteItem } from './syncContactsSteps';

export type WriteResults = Record<string, BatchCommandResult>;

export const stampKey = (item: WriteItem) => `v${item.itemIndex}`;

/** ORIGIN_VERSION for each contact whose writes all succeeded (pure). */
export function stampCommands(items: WriteItem[], results: WriteResults): BatchCommand[] {
	return items.flatMap((item) => {
		if (item.failure || item.commands.some((command) => !results[command.key]?.ok)) return [];
		const { record } = item;
		const created = record.key === undefined ? undefined : results[record.key];
		const id = record.decision.action === 'created' ? Number(created?.ok ? created.result : 0) : idOrReference(record);
		const entity = CRM_ENTITIES[record.mapped.entity];
		return [
			{
				key: stampKey(item),
				method: `${entity.methodPrefix}.update`,
				params: { id, fields: { ORIGIN_VERSION: item.mapped.version } },
			},
		];
	});
}

/** What to do about a write Bitrix24 refused, from its message. */
function refusalFix(message: string): string {
	if (/required/i.test(message)) {
		return 'This portal requires a field the sync does not fill: give it a value for every record with Extra Company Fields / Extra Contact Fields on Sync Contacts, or make it optional in Bitrix24, then run the sync again.';
	}
	if (/mail/i.test(message)) return 'Correct the e-mail address in LexOffice, then run the sync again.';
	return 'Correct the value named in LexOffice (or the Bitrix24 field settings), then run the sync again; the next run completes this contact.';
}

/** The item after its writes: the first one Bitrix24 refused (or that did not run) becomes its failure (pure). */
export function withWriteResults(item: WriteItem, results: WriteResults): WriteItem {
	if (item.failure) return item;
	const stamp = stampKey(item);
	const failed =
		item.commands.find((command) => !results[command.key]?.ok) ??
		(results[stamp]?.ok === false ? { key: stamp, method: 'storing ORIGIN_VERSION' } : undefined);
	if (!failed) return item;
	const result = results[failed.key];
	const refused = result && !result.ok ? result : undefined;
	const reason = refused?.description || refused?.error || 'not executed';
	return {
		...item,
		failure: {
			message: `LexOffice contact ${item.mapped.lexofficeId}: ${failed.method}: ${reason}`,
			description: refusalFix(reason),
			// An answer lost on the way back: settleUncertainWrites reads this contact back and plans again.
			uncertain: refused?.uncertain === true,
		},
	};
}

/** Sends the writes, then the stamps; returns every result by batch key. */
export async function writePlanned(this: IExecuteFunctions, items: WriteItem[]): Promise<WriteResults> {
	const writes = items.filter((item) => !item.failure).flatMap((item) => item.commands);
	const results = writes.length ? await bitrix24Batch.call(this, writes, { halt: false }) : {};
	const stamps = stampCommands(items, results);
	const stamped = stamps.length ? await bitrix24Batch.call(this, stamps, { halt: false }) : {};
	return { ...results, ...stamped };
}
