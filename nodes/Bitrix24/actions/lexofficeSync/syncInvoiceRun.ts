/**
 * One LexOffice invoice → its smart invoice (bitrix24-api.md §6): find the client by its LexOffice
 * link, upsert by xmlId, move the stage when the status changed, and remember on the smart invoice
 * what was reported, so replays and restarts report nothing twice.
 */
import { NodeApiError, type IDataObject, type IExecuteFunctions, type JsonObject } from 'n8n-workflow';

import { CRM_ENTITIES } from '../../helpers/crmRecordEntity';
import { commandError } from '../../helpers/crmRecordFields';
import { SMART_INVOICE_ENTITY_TYPE_ID } from '../../helpers/crmEntities';
import {
	decideStatusChange,
	formatMemory,
	isOlderState,
	parseMemory,
	STAGE_OF_STATUS,
	type StatusDecision,
	type SyncMemory,
} from '../../../shared/contract/invoiceStatus';
import { userTexts, type Language } from '../../../shared/contract/userTexts';
import { bitrix24Batch, bitrix24Call, rowsOf, uncertainWriteOf, type BatchCommand } from '../../transport';
import { SETTLE_ROUNDS } from '../shared/settleUncertain';
import {
	defaultCategory,
	invoiceCategories,
	invoiceStages,
	stageWithMeaning,
	type InvoiceStage,
} from '../../helpers/invoiceStages';
import type { LexofficeInvoice } from './syncInvoiceInput';

export interface InvoiceSyncSettings {
	systemCode: string;
	/** Category for new smart invoices; undefined = the portal's default category. */
	categoryId?: number;
	/** Field of the smart invoice the sync keeps its memory in (formatMemory). */
	memoryField: string;
	/** Of the title new and synced smart invoices get; default German. */
	language?: Language;
}

type Client = { entityType: 'company' | 'contact'; id: number };

const entityTypeId = SMART_INVOICE_ENTITY_TYPE_ID;

/**
 * Deliveries of one change come in threes (invoice.changed, invoice.status.changed,
 * payment.changed; lexoffice-api.md §6.2) and n8n runs them as parallel executions. Syncs of the
 * same invoice on the same portal take turns within this n8n process (withKeyLock), so only the
 * first one sees the change and there is one smart invoice per LexOffice invoice.
 */
export function invoiceLockKey(portalHost: string, invoiceId: string): string {
	return `bitrix24-smart-invoice ${portalHost} ${invoiceId}`;
}

/** Categories and stages are read once per execution, whatever the number of items. */
const portalCache = new WeakMap<
	object,
	{ defaultCategoryId?: Promise<number>; stages: Map<number, Promise<InvoiceStage[]>> }
>();

function cacheOf(this: IExecuteFunctions) {
	let cache = portalCache.get(this);
	if (!cache) portalCache.set(this, (cache = { stages: new Map() }));
	return cache;
}

async function categoryForNewInvoice(
	this: IExecuteFunctions,
	settings: InvoiceSyncSettings,
	itemIndex: number,
): Promise<number> {
	if (settings.categoryId !== undefined) return settings.categoryId;
	const cache = cacheOf.call(this);
	cache.defaultCategoryId ??= invoiceCategories
		.call(this, itemIndex)
		.then((categories) => defaultCategory(categories)?.id ?? 0);
	return await cache.defaultCategoryId;
}

async function stagesOfCategory(
	this: IExecuteFunctions,
	categoryId: number,
	itemIndex: number,
): Promise<InvoiceStage[]> {
	const { stages } = cacheOf.call(this);
	let pending = stages.get(categoryId);
	if (!pending) stages.set(categoryId, (pending = invoiceStages.call(this, categoryId, itemIndex)));
	return await pending;
}

/** The client record and the existing smart invoice, in one batch request. */
async function lookUp(
	this: IExecuteFunctions,
	invoice: LexofficeInvoice,
	settings: InvoiceSyncSettings,
	itemIndex: number,
) {
	const clients = [CRM_ENTITIES.company, CRM_ENTITIES.contact];
	const commands: BatchCommand[] = [
		{
			key: 'invoice',
			method: 'crm.item.list',
			params: { entityTypeId, filter: { '=xmlId': invoice.id }, order: { id: 'ASC' }, select: ['*', 'uf*'] },
		},
	];
	// Contact persons of a company carry `<companyId>:person:<n>`: the exact ORIGIN_ID excludes them.
	if (invoice.contactId) {
		for (const entity of clients) {
			commands.push({
				key: entity.resource,
				method: `${entity.methodPrefix}.list`,
				params: {
					filter: { ORIGINATOR_ID: settings.systemCode, ORIGIN_ID: invoice.contactId },
					order: { ID: 'ASC' },
					select: ['ID'],
				},
			});
		}
	}
	const found = await bitrix24Batch.call(this, commands, { itemIndex });
	const rows = (command: BatchCommand) => {
		const answer = found[command.key];
		if (!answer.ok) throw commandError.call(this, command.method, answer, itemIndex);
		return rowsOf(answer.result);
	};
	const [existing] = rows(commands[0]);
	let client: Client | undefined;
	for (const command of commands.slice(1)) {
		const [row] = rows(command);
		if (row && !client) client = { entityType: command.key as Client['entityType'], id: Number(row.ID) };
	}
	return { existing: existing as IDataObject | undefined, client };
}

/** The fields the smart invoice should have; stage and memory are decided separately. */
function desiredFields(invoice: LexofficeInvoice, client: Client | undefined, language?: Language): IDataObject {
	const fields: IDataObject = { title: userTexts(language).invoice.title(invoice.voucherNumber) };
	if (invoice.voucherNumber) fields.accountNumber = invoice.voucherNumber;
	if (invoice.amount !== undefined) fields.opportunity = invoice.amount;
	if (invoice.currency) fields.currencyId = invoice.currency.toUpperCase();
	if (invoice.invoiceDay) fields.begindate = invoice.invoiceDay;
	if (invoice.dueDay) fields.closedate = invoice.dueDay;
	// §6: the client is companyId plus contactIds. A client not found is left as it is, not removed.
	if (client?.entityType === 'company') fields.companyId = client.id;
	if (client?.entityType === 'contact') fields.contactIds = [client.id];
	return fields;
}

const day = (value: unknown) => String(value ?? '').slice(0, 10);

function sameValue(field: string, current: unknown, wanted: unknown): boolean {
	switch (field) {
		case 'opportunity':
			return Math.abs(Number(current) - Number(wanted)) < 0.005;
		case 'begindate':
		case 'closedate':
			return day(current) === wanted;
		case 'companyId':
			return Number(current) === wanted;
		case 'contactIds':
			return JSON.stringify((Array.isArray(current) ? current : []).map(Number)) === JSON.stringify(wanted);
		case 'accountNumber':
			// A portal that keeps accountNumber read-only (§6 VERIFY) must not cause a write every time.
			return String(current ?? '') === '' || String(current) === wanted;
		default:
			return String(current ?? '') === String(wanted ?? '');
	}
}

/** Only what differs from the smart invoice as it is. */
function changedFields(existing: IDataObject, wanted: IDataObject): IDataObject {
	const changes: IDataObject = {};
	for (const [field, value] of Object.entries(wanted)) {
		if (!sameValue(field, existing[field], value)) changes[field] = value;
	}
	// Otherwise Bitrix24 recomputes the amount from product rows, of which there are none (§6).
	if ('opportunity' in changes) changes.isManualOpportunity = 'Y';
	return changes;
}

async function targetStage(
	this: IExecuteFunctions,
	categoryId: number,
	decision: StatusDecision,
	itemIndex: number,
): Promise<{ stage?: InvoiceStage; categoryStages: InvoiceStage[] }> {
	const categoryStages = await stagesOfCategory.call(this, categoryId, itemIndex);
	return { stage: stageWithMeaning(categoryStages, STAGE_OF_STATUS[decision.status]), categoryStages };
}

/**
 * crm.item.add, settled when its answer is lost: the smart invoice is looked up again by its xmlId
 * (the LexOffice invoice id) and, if it is there, taken as created; only if not is it added again.
 */
async function createSettled(
	this: IExecuteFunctions,
	invoice: LexofficeInvoice,
	settings: InvoiceSyncSettings,
	params: IDataObject,
	itemIndex: number,
): Promise<IDataObject> {
	for (let attempt = 0; ; attempt++) {
		try {
			const answer = await bitrix24Call.call(this, 'crm.item.add', params, { itemIndex });
			const item = ((answer.result as IDataObject | undefined)?.item ?? {}) as IDataObject;
			return attempt > 0 ? { ...item, settledByReadBack: true } : item;
		} catch (error) {
			if (uncertainWriteOf(error) === undefined || attempt >= SETTLE_ROUNDS)
				throw new NodeApiError(this.getNode(), error as JsonObject);
			const { existing } = await lookUp.call(this, invoice, settings, itemIndex);
			if (existing) return { ...existing, settledByReadBack: true };
		}
	}
}

/**
 * Across n8n workers (issue #12) the per-process lock does not hold: a sync checks what Bitrix24
 * holds again before it acts on its lookup, and starts over (at most this many times) when
 * another execution got there first.
 */
const INVOICE_ROUNDS = 5;

/**
 * After an add: the smart invoice with the lowest id is the one of this LexOffice invoice (ids
 * grow, so every later creator sees it). A higher one this execution added is deleted again.
 */
async function keptAfterAdd(
	this: IExecuteFunctions,
	invoice: LexofficeInvoice,
	addedId: number,
	itemIndex: number,
): Promise<boolean> {
	const answer = await bitrix24Call.call(
		this,
		'crm.item.list',
		{ entityTypeId, filter: { '=xmlId': invoice.id }, order: { id: 'ASC' }, select: ['id'] },
		{ itemIndex },
	);
	const [first] = rowsOf(answer.result);
	if (!first || Number(first.id) === addedId) return true;
	await bitrix24Call.call(this, 'crm.item.delete', { entityTypeId, id: addedId }, { itemIndex });
	return false;
}

/**
 * crm.item.update only if the sync state is still the one the decision was made on: a batch whose
 * first sub-call finds the smart invoice by id and that exact state, and whose update takes its id
 * from that answer (bitrix24-api.md §3.3, `$result[…]`). When another execution wrote the state
 * meanwhile, the list finds nothing, the reference is empty and the update fails without writing:
 * undefined. A smart invoice without a sync state yet is updated as it is.
 */
async function updateIfStateUnchanged(
	this: IExecuteFunctions,
	settings: InvoiceSyncSettings,
	existing: IDataObject,
	changes: IDataObject,
	itemIndex: number,
): Promise<IDataObject | undefined> {
	const state = existing[settings.memoryField];
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
				params: {
					entityTypeId,
					filter: { id: Number(existing.id), [`=${settings.memoryField}`]: state },
					select: ['id'],
				},
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

/** An older state than the one synced (a late or replayed event): nothing written, nothing to report. */
function olderStateOutcome(existing: IDataObject, invoice: LexofficeInvoice, previous: SyncMemory): IDataObject {
	return {
		id: Number(existing.id),
		entityTypeId,
		lexofficeInvoiceId: invoice.id,
		voucherNumber: invoice.voucherNumber,
		title: String(existing.title ?? ''),
		action: 'unchanged',
		firstSight: false,
		previousStatus: previous.status,
		status: previous.status,
		stageId: String(existing.stageId ?? ''),
		stageChanged: false,
		triggerCode: null,
		triggerName: null,
		attachPdf: false,
		lexofficeUrl: invoice.url,
		changedFields: [],
		skippedReason: `Bitrix24 already holds a newer state of this invoice (${String(previous.updatedDate)}) than this input (${String(invoice.updatedDate)})`,
	};
}

export async function syncInvoice(
	this: IExecuteFunctions,
	invoice: LexofficeInvoice,
	settings: InvoiceSyncSettings,
	itemIndex: number,
	round = 1,
): Promise<IDataObject> {
	const again = async () => await syncInvoice.call(this, invoice, settings, itemIndex, round + 1);
	const { existing, client } = await lookUp.call(this, invoice, settings, itemIndex);
	const previous = existing ? parseMemory(existing[settings.memoryField]) : undefined;
	if (existing && isOlderState(previous, invoice.updatedDate))
		return olderStateOutcome(existing, invoice, previous as SyncMemory);
	const decision = decideStatusChange(previous, invoice.status, invoice.updatedDate);
	const wanted = desiredFields(invoice, client, settings.language);
	wanted[settings.memoryField] = formatMemory(decision.memory);

	const categoryId = existing
		? Number(existing.categoryId)
		: await categoryForNewInvoice.call(this, settings, itemIndex);
	let warning: string | undefined;
	if (invoice.contactId && !client) {
		warning = `LexOffice contact ${invoice.contactId} is not in Bitrix24 (not synced yet), so the smart invoice has no client; the contact sync brings it, and the next sync of this invoice links it`;
	}
	// The stage follows LexOffice only when the status changed: a stage set by hand or by an
	// automation rule in between is left alone.
	if (!existing || decision.statusChanged) {
		const { stage, categoryStages } = await targetStage.call(this, categoryId, decision, itemIndex);
		if (stage) wanted.stageId = stage.id;
		else {
			const listed = categoryStages.map((candidate) => candidate.id).join(', ') || 'none';
			warning = `${warning ? `${warning}. ` : ''}Invoice category ${categoryId} has no "${STAGE_OF_STATUS[decision.status]}" stage (its stages: ${listed}); the stage was left as it is`;
		}
	}

	let item: IDataObject;
	let action: 'created' | 'updated' | 'unchanged';
	let written: string[];
	if (!existing) {
		const fields: IDataObject = { ...wanted, xmlId: invoice.id, ...(categoryId > 0 ? { categoryId } : {}) };
		if ('opportunity' in fields) fields.isManualOpportunity = 'Y';
		item = await createSettled.call(this, invoice, settings, { entityTypeId, fields }, itemIndex);
		// Another worker may have added one at the same time: only the first is kept, the other execution goes on with it.
		if (round < INVOICE_ROUNDS && !(await keptAfterAdd.call(this, invoice, Number(item.id), itemIndex)))
			return await again();
		action = 'created';
		written = Object.keys(fields);
	} else {
		const changes = changedFields(existing, wanted);
		written = Object.keys(changes);
		if (written.length === 0) {
			item = existing;
			action = 'unchanged';
		} else {
			// Another worker wrote the sync state since the lookup (a newer status, or the same change): plan again from it.
			const updated = await updateIfStateUnchanged.call(this, settings, existing, changes, itemIndex);
			if (!updated) {
				if (round < INVOICE_ROUNDS) return await again();
				return {
					action: 'failed',
					lexofficeInvoiceId: invoice.id,
					voucherNumber: invoice.voucherNumber,
					error: `LexOffice invoice ${invoice.id}: other executions kept changing its smart invoice ${String(existing.id)}`,
					errorDescription:
						'Nothing was written or reported for this event; the next event or the daily check of this invoice syncs it.',
				};
			}
			item = updated;
			action = 'updated';
		}
	}
	const stageId = String(item.stageId ?? wanted.stageId ?? '');
	return {
		id: Number(item.id),
		entityTypeId,
		lexofficeInvoiceId: invoice.id,
		voucherNumber: invoice.voucherNumber,
		title: String(item.title ?? wanted.title),
		action,
		firstSight: action === 'created',
		previousStatus: decision.previousStatus,
		status: decision.status,
		stageId,
		stageChanged: action === 'created' || (existing !== undefined && String(existing.stageId ?? '') !== stageId),
		triggerCode: decision.trigger?.code ?? null,
		triggerName: decision.trigger?.name ?? null,
		attachPdf: decision.attachPdf,
		lexofficeUrl: invoice.url,
		clientType: client?.entityType ?? null,
		clientId: client?.id ?? null,
		changedFields: action === 'unchanged' ? [] : written.filter((field) => field !== 'isManualOpportunity'),
		...(item.settledByReadBack === true ? { settledByReadBack: true } : {}),
		...(warning ? { warning } : {}),
	};
}
