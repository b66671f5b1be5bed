/**
 * Dropdowns of the Smart Invoice resource, live from the portal: categories and stages differ
 * between portals (bitrix24-api.md §6, §11), custom fields too (§4.4).
 */
import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import {
	invoiceCategories,
	invoiceStages,
	STAGE_MEANINGS,
	stageListParams,
	stagesOf,
	type InvoiceCategory,
	type InvoiceStage,
} from '../helpers/invoiceStages';
import { SMART_INVOICE_ENTITY_TYPE_ID } from '../helpers/crmEntities';
import { bitrix24Batch, bitrix24Call } from '../transport';

const stageOption = (stage: InvoiceStage, prefix = ''): INodePropertyOptions => ({
	name: `${prefix}${stage.name}`,
	value: stage.id,
	description: `${stage.id} (${stage.semantics})`,
});

export async function getSmartInvoiceCategories(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return (await invoiceCategories.call(this)).map((category) => ({
		name: category.isDefault ? `${category.name} (Default)` : category.name,
		value: String(category.id),
		description: `Category ID ${category.id}`,
	}));
}

/** The categories behind a listed default: '' = the portal's default category, decided when the node runs. */
export async function getSmartInvoiceCategoriesOrDefault(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const byDefault: INodePropertyOptions = { name: "Default: the Portal's Default Category", value: '' };
	return [byDefault, ...(await getSmartInvoiceCategories.call(this))];
}

/** The category the node names (Create, or the Get Many filter), if any. */
function chosenCategory(this: ILoadOptionsFunctions): number | undefined {
	for (const path of ['categoryId', 'filters.categoryId']) {
		const value = String(this.getNodeParameter(path, '') ?? '').trim();
		if (/^\d+$/.test(value)) return Number(value);
	}
	return undefined;
}

/**
 * The stages of the chosen category; without one (Update, Move to Stage: the invoice's own
 * category decides) the stages of every category, one batch request for all.
 */
export async function getSmartInvoiceStages(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const categoryId = chosenCategory.call(this);
	if (categoryId !== undefined) return (await invoiceStages.call(this, categoryId)).map((stage) => stageOption(stage));
	const categories = await invoiceCategories.call(this);
	if (categories.length === 0) return [];
	const answers = await bitrix24Batch.call(
		this,
		categories.map((category) => ({
			key: `category${category.id}`,
			method: 'crm.status.list',
			params: stageListParams(category.id),
		})),
	);
	return categories.flatMap((category: InvoiceCategory) => {
		const answer = answers[`category${category.id}`];
		return answer.ok ? stagesOf(answer.result).map((stage) => stageOption(stage, `${category.name}: `)) : [];
	});
}

/**
 * Sync Invoice's stage per status: the four stage meanings first (the defaults, found in whatever
 * category an invoice is in), then the stages of the chosen category (or of every category).
 */
export async function getSyncInvoiceStages(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const meanings = STAGE_MEANINGS.map((meaning) => ({
		name: `Default: ${meaning.name}`,
		value: meaning.value,
		description: meaning.description,
	}));
	return [...meanings, ...(await getSmartInvoiceStages.call(this))];
}

/** Custom fields (ufCrm…) of smart invoices, as crm.item.fields names them (§4.3, §4.4). */
export async function getSmartInvoiceCustomFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const answer = await bitrix24Call.call(this, 'crm.item.fields', { entityTypeId: SMART_INVOICE_ENTITY_TYPE_ID });
	const fields = ((answer.result as IDataObject | undefined)?.fields ?? {}) as Record<string, IDataObject>;
	return Object.entries(fields)
		.filter(([name]) => /^uf/i.test(name))
		.map(([name, field]) => ({
			name: String(field.listLabel || field.formLabel || field.title || name),
			value: name,
			description: name,
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}

export const invoiceLoadOptions = {
	getSmartInvoiceCategories,
	getSmartInvoiceCategoriesOrDefault,
	getSmartInvoiceStages,
	getSmartInvoiceCustomFields,
	getSyncInvoiceStages,
};
