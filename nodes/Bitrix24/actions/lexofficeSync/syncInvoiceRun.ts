/**
 * One LexOffice invoice → its smart invoice (bitrix24-api.md §6): find the client by its LexOffice
 * link, upsert by xmlId, move the stage when the status changed, and remember on the smart invoice
 * what was reported, so replays and restarts report nothing twice.
 */
import { NodeApiError, type IDataObject, type IExecuteFunctions, type JsonObject } from 'n8n-workflow';

import { CRM_ENTITIES } from '../../helpers/crmRecordEntity';
import { commandError } from '../../helpers/crmRecordFields';
import { CRM_TARGETS, SMART_INVOICE_ENTITY_TYPE_ID } from '../../helpers/crmEntities';
import {
	CLOSING_STATUSES,
	formatMemory,
	isOlderState,
	parseMemory,
	planInvoiceSync,
	STAGE_OF_STATUS,
	type StageMeaning,
	type SyncedStatus,
	type SyncMemory,
	type SyncPlan,
} from '../../../shared/contract/invoiceStatus';
import { DEFAULT_LANGUAGE, userTexts, type Language } from '../../../shared/contract/userTexts';
import { DateTime } from 'luxon';

import { closingNote } from '../../helpers/invoiceNotes';
import { hasCommentWith, hasDocument } from '../../helpers/readBack';
import { bitrix24Batch, bitrix24Call, rowsOf, uncertainWriteOf, type BatchCommand } from '../../transport';
import { INVOICE_ROUNDS, recordInvoiceEffect, updateIfStateUnchanged } from './syncInvoiceMemory';
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
	/** Of the title new and synced smart invoices get and of the closing note; default German. */
	language?: Language;
	/** No smart invoice for a draft (one that exists follows its invoice as before). */
	skipDrafts?: boolean;
	/** The stage per status: a stage meaning (the default mapping) or a stage id of the category. */
	stages?: Partial<Record<SyncedStatus, string>>;
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

const MEANINGS: StageMeaning[] = ['new', 'sent', 'paid', 'failed'];

/**
 * The stage for `status` in the invoice's category: the one picked in "Stages" when it belongs to
 * that category, else the stage with the default meaning (STAGE_OF_STATUS). A picked stage of
 * another category (an invoice that stays in its own) falls back with a warning.
 */
async function targetStage(
	this: IExecuteFunctions,
	categoryId: number,
	status: SyncedStatus,
	settings: InvoiceSyncSettings,
	itemIndex: number,
): Promise<{ stage?: InvoiceStage; categoryStages: InvoiceStage[]; wanted: string; warning?: string }> {
	const categoryStages = await stagesOfCategory.call(this, categoryId, itemIndex);
	const picked = settings.stages?.[status];
	if (picked && !MEANINGS.includes(picked as StageMeaning)) {
		const stage = categoryStages.find((candidate) => candidate.id === picked);
		if (stage) return { stage, categoryStages, wanted: picked };
		const meaning = STAGE_OF_STATUS[status];
		return {
			stage: stageWithMeaning(categoryStages, meaning),
			categoryStages,
			wanted: meaning,
			warning: `The stage picked for "${status}" (${picked}) is not a stage of invoice category ${categoryId}; its "${meaning}" stage was used`,
		};
	}
	const meaning = (picked as StageMeaning | undefined) ?? STAGE_OF_STATUS[status];
	return { stage: stageWithMeaning(categoryStages, meaning), categoryStages, wanted: meaning };
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

/** Nothing written, nothing to report: an older state, a draft left out, a deletion with no smart invoice. */
function skippedOutcome(
	invoice: LexofficeInvoice,
	existing: IDataObject | undefined,
	status: SyncedStatus,
	skippedReason: string,
): IDataObject {
	return {
		id: existing ? Number(existing.id) : null,
		entityTypeId,
		lexofficeInvoiceId: invoice.id,
		voucherNumber: invoice.voucherNumber,
		title: String(existing?.title ?? ''),
		action: existing ? 'unchanged' : 'skipped',
		firstSight: false,
		previousStatus: existing ? status : null,
		status,
		stageId: String(existing?.stageId ?? ''),
		stageChanged: false,
		triggerCode: null,
		triggerName: null,
		attachPdf: false,
		claim: null,
		lexofficeUrl: invoice.url,
		changedFields: [],
		skippedReason,
	};
}

/**
 * The closing note of a voided invoice or deleted draft, written after the stage was: only if the
 * timeline does not hold it yet (an earlier run may have written it and not recorded it), then
 * recorded. A failure releases the claim, so the next event of the invoice writes it; the stage
 * is closed either way, so it is a warning, not a failed item.
 */
async function writeClosingNote(
	this: IExecuteFunctions,
	invoice: LexofficeInvoice,
	settings: InvoiceSyncSettings,
	id: number,
	claim: string,
	itemIndex: number,
): Promise<string | undefined> {
	const note = closingNote(invoice.status, invoice.id, invoice.voucherNumber, settings.language ?? DEFAULT_LANGUAGE);
	const owner = { timelineName: CRM_TARGETS.smartInvoice.timelineName, id };
	let succeeded = true;
	let failure: string | undefined;
	try {
		if (!(await hasCommentWith.call(this, owner, note.markers, itemIndex))) {
			await bitrix24Call.call(
				this,
				'crm.timeline.comment.add',
				{ fields: { ENTITY_ID: id, ENTITY_TYPE: owner.timelineName, COMMENT: note.text } },
				{ itemIndex },
			);
		}
	} catch (error) {
		succeeded = false;
		failure = `The closing note could not be written (${(error as Error).message}); the next event of this invoice writes it`;
	}
	await recordInvoiceEffect.call(this, settings.memoryField, id, 'note', claim, succeeded, itemIndex);
	return failure;
}

/** The PDF is due: unless the smart invoice already has a document (attached, not recorded), it is claimed. */
async function pdfAlreadyAttached(this: IExecuteFunctions, existing: IDataObject | undefined, itemIndex: number) {
	return existing !== undefined && (await hasDocument.call(this, entityTypeId, Number(existing.id), itemIndex));
}

const wasClaimed = (plan: SyncPlan) => plan.postLink || plan.attachPdf || plan.trigger !== null || plan.closingNote;

/**
 * One LexOffice invoice (or the deletion of a draft) → its smart invoice. The sync writes the
 * fields, the stage when the status changed, and in the same compare-and-set write the memory:
 * the new status and the effects (link, PDF, trigger) this execution claims. It reports them;
 * the workflow does them and records each after it happened (Record Invoice Effect, Post Invoice
 * Link). An effect not recorded is claimed again by a later sync once released or stale.
 */
export async function syncInvoice(
	this: IExecuteFunctions,
	invoice: LexofficeInvoice,
	settings: InvoiceSyncSettings,
	itemIndex: number,
	round = 1,
): Promise<IDataObject> {
	const again = async () => await syncInvoice.call(this, invoice, settings, itemIndex, round + 1);
	const { existing, client } = await lookUp.call(this, invoice, settings, itemIndex);
	if (!existing && invoice.status === 'deleted')
		return skippedOutcome(invoice, undefined, 'deleted', 'Bitrix24 has no smart invoice of this deleted draft');
	if (!existing && invoice.status === 'draft' && settings.skipDrafts)
		return skippedOutcome(
			invoice,
			undefined,
			'draft',
			'Drafts are left out ("Leave Drafts Out"): no smart invoice until it is finalized',
		);
	const previous = existing ? parseMemory(existing[settings.memoryField]) : undefined;
	if (existing && isOlderState(previous, invoice.updatedDate)) {
		const known = previous as SyncMemory;
		const reason =
			known.status === 'deleted'
				? 'The draft was deleted in LexOffice; its smart invoice is closed'
				: `Bitrix24 already holds a newer state of this invoice (${String(known.updatedDate)}) than this input (${String(invoice.updatedDate)})`;
		return skippedOutcome(invoice, existing, known.status, reason);
	}
	const plan = planInvoiceSync(previous, invoice.status, DateTime.now(), invoice.updatedDate);
	if (plan.attachPdf && (await pdfAlreadyAttached.call(this, existing, itemIndex))) {
		plan.attachPdf = false;
		plan.memory.pdf = 'done';
		if (!wasClaimed(plan)) plan.claim = null;
	}
	// A deletion has no invoice data: only stage and memory change.
	const wanted = invoice.status === 'deleted' ? {} : desiredFields(invoice, client, settings.language);
	wanted[settings.memoryField] = formatMemory(plan.memory);

	const categoryId = existing
		? Number(existing.categoryId)
		: await categoryForNewInvoice.call(this, settings, itemIndex);
	const warnings: string[] = [];
	if (invoice.contactId && !client) {
		warnings.push(
			`LexOffice contact ${invoice.contactId} is not in Bitrix24 (not synced yet), so the smart invoice has no client; the contact sync brings it, and the next sync of this invoice links it`,
		);
	}
	// The stage follows LexOffice only when the status changed: a stage set by hand or by an
	// automation rule in between is left alone.
	if (!existing || plan.statusChanged) {
		const target = await targetStage.call(this, categoryId, invoice.status, settings, itemIndex);
		if (target.warning) warnings.push(target.warning);
		if (target.stage) wanted.stageId = target.stage.id;
		else {
			const listed = target.categoryStages.map((candidate) => candidate.id).join(', ') || 'none';
			warnings.push(
				`Invoice category ${categoryId} has no "${target.wanted}" stage (its stages: ${listed}); the stage was left as it is`,
			);
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
			const updated = await updateIfStateUnchanged.call(this, settings.memoryField, existing, changes, itemIndex);
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
	const id = Number(item.id);
	if (plan.closingNote && plan.claim) {
		const failure = await writeClosingNote.call(this, invoice, settings, id, plan.claim, itemIndex);
		if (failure) warnings.push(failure);
	}
	const stageId = String(item.stageId ?? wanted.stageId ?? '');
	const { claimedElsewhere } = plan;
	return {
		id,
		entityTypeId,
		lexofficeInvoiceId: invoice.id,
		voucherNumber: invoice.voucherNumber,
		title: String(item.title ?? wanted.title ?? ''),
		action,
		firstSight: plan.postLink,
		previousStatus: plan.previousStatus,
		status: plan.status,
		stageId,
		stageChanged: action === 'created' || (existing !== undefined && String(existing.stageId ?? '') !== stageId),
		triggerCode: plan.trigger?.code ?? null,
		triggerName: plan.trigger?.name ?? null,
		attachPdf: plan.attachPdf,
		claim: plan.claim,
		closed: CLOSING_STATUSES.includes(plan.status),
		lexofficeUrl: invoice.url,
		clientType: client?.entityType ?? null,
		clientId: client?.id ?? null,
		changedFields: action === 'unchanged' ? [] : written.filter((field) => field !== 'isManualOpportunity'),
		...(claimedElsewhere.length > 0 ? { claimedElsewhere } : {}),
		...(item.settledByReadBack === true ? { settledByReadBack: true } : {}),
		...(warnings.length > 0 ? { warning: warnings.join('. ') } : {}),
	};
}
