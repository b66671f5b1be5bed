/**
 * Batched reads for Upsert: many list commands (and other reads) per `batch` request (§3.3), each
 * list followed past 50 rows with the fast-scan cursor (order ID ASC, `>ID`, start -1, §2).
 */
import type { IDataObject } from 'n8n-workflow';

import { bitrix24Batch, PAGE_SIZE, rowsOf, type BatchCommand, type Bitrix24Context } from '../transport';
import { commandError } from './crmRecordFields';

export interface LookupCommand extends BatchCommand {
	/** A list method: collect every row, not just the first 50. */
	scan?: boolean;
}

/**
 * Values per `@FIELD` (IN) filter. Fewer than a page (50), so a page only fills up when some
 * values match several records; only then does the command cost a second page.
 */
export const VALUES_PER_LIST = 45;

export function chunk<T>(values: T[], size: number): T[][] {
	const chunks: T[][] = [];
	for (let index = 0; index < values.length; index += size) chunks.push(values.slice(index, index + size));
	return chunks;
}

/** A list command in fast-scan form; more pages follow automatically in `runLookups`. */
export function scanCommand(key: string, method: string, filter: IDataObject, select: string[]): LookupCommand {
	return { key, method, params: { filter, select, order: { ID: 'ASC' }, start: -1 }, scan: true };
}

/**
 * Runs read commands in as few batch requests as possible and returns each command's result
 * (all rows for scans). A failing read fails the whole lookup: deciding without it could create
 * duplicates.
 */
export async function runLookups(this: Bitrix24Context, commands: LookupCommand[]): Promise<Map<string, unknown>> {
	const results = new Map<string, unknown>();
	let pending = commands;
	while (pending.length > 0) {
		const answers = await bitrix24Batch.call(
			this,
			pending.map(({ key, method, params }) => ({ key, method, params })),
		);
		const nextPages: LookupCommand[] = [];
		for (const command of pending) {
			const answer = answers[command.key];
			if (!answer.ok) throw commandError.call(this, command.method, answer);
			if (!command.scan) {
				results.set(command.key, answer.result);
				continue;
			}
			const rows = rowsOf(answer.result);
			results.set(command.key, [...((results.get(command.key) as IDataObject[] | undefined) ?? []), ...rows]);
			if (rows.length >= PAGE_SIZE) {
				const params = command.params ?? {};
				const filter = { ...(params.filter as IDataObject), '>ID': Number(rows[rows.length - 1].ID) };
				nextPages.push({ ...command, params: { ...params, filter } });
			}
		}
		pending = nextPages;
	}
	return results;
}

export const rowsFrom = (results: Map<string, unknown>, key: string): IDataObject[] =>
	(results.get(key) as IDataObject[] | undefined) ?? [];

/** crm.duplicate.findbycomm answers `{"CONTACT": [275, 2297]}`, or `[]` when nothing matched (§4.5). */
export function duplicateIds(result: unknown, typeName: string): number[] {
	if (typeof result !== 'object' || result === null || Array.isArray(result)) return [];
	const ids = (result as Record<string, unknown>)[typeName];
	return Array.isArray(ids) ? ids.map(Number).filter((id) => Number.isInteger(id) && id > 0) : [];
}
