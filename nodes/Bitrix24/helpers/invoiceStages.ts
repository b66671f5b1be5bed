/**
 * Smart-invoice categories (pipelines) and their stages, read live: category ids differ between
 * portals (1, 5, 13 …) and stage ids are `DT31_{category}:{code}` (bitrix24-api.md §6, §11).
 */
import { NodeOperationError, type IDataObject } from 'n8n-workflow';

import { SMART_INVOICE_ENTITY_TYPE_ID } from './crmEntities';
import { bitrix24Call, rowsOf, type Bitrix24Context } from '../transport';
import type { StageMeaning } from '../../shared/contract/invoiceStatus';

export interface InvoiceCategory {
	id: number;
	name: string;
	isDefault: boolean;
}

export type StageSemantics = 'process' | 'success' | 'failure';

export interface InvoiceStage {
	/** STATUS_ID, e.g. `DT31_7:P`: what `stageId` takes. */
	id: string;
	name: string;
	sort: number;
	semantics: StageSemantics;
}

export type { StageMeaning };

export const STAGE_MEANINGS: Array<{ name: string; value: StageMeaning; description: string }> = [
	{ name: 'Failed (Not Paid)', value: 'failed', description: 'The category\'s failure stage ("…:D")' },
	{ name: 'New', value: 'new', description: 'The category\'s first stage ("…:N")' },
	{ name: 'Paid', value: 'paid', description: 'The category\'s success stage ("…:P")' },
	{ name: 'Sent', value: 'sent', description: 'The category\'s "sent" stage ("…:S")' },
];

/** The system stage code behind each meaning (§6: N new, S sent, P paid, D declined). */
const CODE_OF_MEANING: Record<StageMeaning, string> = { new: 'N', sent: 'S', paid: 'P', failed: 'D' };
/** If a portal renamed the codes, success and failure are still marked by their semantics. */
const SEMANTICS_OF_MEANING: Partial<Record<StageMeaning, StageSemantics>> = {
	new: 'process',
	paid: 'success',
	failed: 'failure',
};

export const stageDirectory = (categoryId: number) => `SMART_INVOICE_STAGE_${categoryId}`;

/** `DT31_7:P` → 7; other ids (custom pipelines of SPAs, typos) → undefined. */
export function categoryOfStage(stageId: string): number | undefined {
	const match = /^DT31_(\d+):/.exec(stageId);
	return match ? Number(match[1]) : undefined;
}

export async function invoiceCategories(this: Bitrix24Context, itemIndex?: number): Promise<InvoiceCategory[]> {
	const answer = await bitrix24Call.call(
		this,
		'crm.category.list',
		{ entityTypeId: SMART_INVOICE_ENTITY_TYPE_ID },
		{ itemIndex },
	);
	const categories = ((answer.result as IDataObject | undefined)?.categories ?? []) as IDataObject[];
	return categories.map((category) => ({
		id: Number(category.id),
		name: String(category.name ?? `#${String(category.id)}`),
		isDefault: category.isDefault === 'Y' || category.isDefault === true,
	}));
}

/** The category a new invoice lands in when none is named. */
export function defaultCategory(categories: InvoiceCategory[]): InvoiceCategory | undefined {
	return categories.find((category) => category.isDefault) ?? categories[0];
}

/** crm.status.list answers SEMANTICS 'S'/'F'/null and, for stages, EXTRA.SEMANTICS words (§11). */
function semanticsOf(row: IDataObject): StageSemantics {
	const extra = (row.EXTRA as IDataObject | undefined)?.SEMANTICS;
	if (extra === 'success' || row.SEMANTICS === 'S') return 'success';
	if (extra === 'failure' || row.SEMANTICS === 'F') return 'failure';
	return 'process';
}

/** crm.status.list parameters for one category's stages (also sent inside batches). */
export const stageListParams = (categoryId: number): IDataObject => ({
	filter: { ENTITY_ID: stageDirectory(categoryId) },
	order: { SORT: 'ASC' },
});

export function stagesOf(result: unknown): InvoiceStage[] {
	return rowsOf(result)
		.map((row) => ({
			id: String(row.STATUS_ID),
			name: String(row.NAME ?? row.STATUS_ID),
			sort: Number(row.SORT) || 0,
			semantics: semanticsOf(row),
		}))
		.sort((a, b) => a.sort - b.sort);
}

export async function invoiceStages(
	this: Bitrix24Context,
	categoryId: number,
	itemIndex?: number,
): Promise<InvoiceStage[]> {
	const answer = await bitrix24Call.call(this, 'crm.status.list', stageListParams(categoryId), { itemIndex });
	return stagesOf(answer.result);
}

/** The stage with the meaning's system code, else (new/paid/failed) the first with its semantics. */
export function stageWithMeaning(stages: InvoiceStage[], meaning: StageMeaning): InvoiceStage | undefined {
	const byCode = stages.find((stage) => stage.id.endsWith(`:${CODE_OF_MEANING[meaning]}`));
	if (byCode) return byCode;
	const semantics = SEMANTICS_OF_MEANING[meaning];
	return semantics ? stages.find((stage) => stage.semantics === semantics) : undefined;
}

export type StageChoice = { by: 'meaning'; meaning: StageMeaning } | { by: 'id'; stageId: string };

/**
 * The stage id to write for an invoice of `categoryId`, checked before anything is written: a
 * stage of another category is refused by Bitrix24 anyway, so say which one fits.
 */
export async function resolveStage(
	this: Bitrix24Context,
	categoryId: number,
	choice: StageChoice,
	itemIndex: number,
): Promise<string> {
	const stages = await invoiceStages.call(this, categoryId, itemIndex);
	const listed = stages.map((stage) => `${stage.name} (${stage.id})`).join(', ');
	if (choice.by === 'meaning') {
		const stage = stageWithMeaning(stages, choice.meaning);
		if (stage) return stage.id;
		throw new NodeOperationError(this.getNode(), `Invoice category ${categoryId} has no "${choice.meaning}" stage`, {
			itemIndex,
			description: `Its stages are: ${listed || 'none'}. Set "Stage By" to "Stage From List" and pick one.`,
		});
	}
	if (stages.some((stage) => stage.id === choice.stageId)) return choice.stageId;
	throw new NodeOperationError(
		this.getNode(),
		`Stage "${choice.stageId}" is not a stage of invoice category ${categoryId}`,
		{
			itemIndex,
			description: `Stages of that category: ${listed || 'none'}. An invoice stays in its category; pick one of its stages.`,
		},
	);
}
