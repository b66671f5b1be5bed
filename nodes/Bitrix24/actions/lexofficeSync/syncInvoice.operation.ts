import {
	NodeApiError,
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type JsonObject,
} from 'n8n-workflow';

import { SYNCED_STATUSES, type SyncedStatus } from '../../../shared/contract/invoiceStatus';
import { SYSTEM_CODE } from '../../../shared/contract/links';
import { invoiceTriggerName } from '../../../shared/contract/invoiceStatus';
import type { Language } from '../../../shared/contract/userTexts';
import { languageProperty, readLanguage } from '../../../shared/language';
import { DEFAULT_APP_URL } from '../../../shared/contract/permalinks';
import type { ItemOperation } from '../../../shared/operation';
import { memoryFieldOption, readMemoryField } from './memoryField';
import { berlinToday, InvalidInvoice, readLexofficeInvoice } from './syncInvoiceInput';
import { withKeyLock } from '../../../shared/keyedLock';
import { portalHostOf } from '../../transport';
import { invoiceLockKey, syncInvoice, type InvoiceSyncSettings } from './syncInvoiceRun';

export const option: ItemOperation['option'] = {
	name: 'Sync Invoice',
	value: 'syncInvoice',
	description:
		'Create or update the smart invoice of a LexOffice invoice (client, number, amount, dates, stage from the status), close it when the invoice is voided or its draft deleted, and claim what to report: link, PDF, automation trigger',
	action: 'Sync a LexOffice invoice to Bitrix24',
};

const properties: INodeProperties[] = [
	{
		displayName:
			'Output per invoice, for IF nodes: firstSight (post the link), attachPdf (attach the PDF, once finalized), triggerCode (the automation trigger to fire; null when the status did not change). Each is claimed on the smart invoice for this execution and done once: record it with Record Invoice Effect after it happened (Post Invoice Link records itself); one that failed is reported again at the next event. A draft deleted in LexOffice (invoice.deleted) closes its smart invoice: stage "Deleted Draft" and a timeline note; it is not removed.',
		name: 'syncInvoiceNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'LexOffice Invoice',
		name: 'invoice',
		type: 'json',
		default: '={{ $json }}',
		required: true,
		description:
			"The LexOffice invoice (JSON) as the LexOffice node's Invoice → Get or Voucher List → Get Many puts it out. A deletion: the LexOffice Trigger's invoice.deleted item (or Event → Get Resource's item of a deleted invoice), or { ID, deleted: true }.",
	},
	{
		displayName: 'Category Name or ID',
		name: 'categoryId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getSmartInvoiceCategoriesOrDefault' },
		default: '',
		description:
			'Category (pipeline) new smart invoices go to; default: the portal\'s default category. Existing invoices stay in theirs. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		...languageProperty,
		description:
			'Language of what Bitrix24 users read: the smart-invoice title, the closing note of a voided invoice or deleted draft, and the trigger name put out',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Leave Drafts Out',
				name: 'skipDrafts',
				type: 'boolean',
				default: false,
				description:
					'Whether drafts get no smart invoice: it is created when the invoice is finalized. A smart invoice that exists already follows its invoice as before.',
			},
			{
				displayName: 'LexOffice Web App URL',
				name: 'appUrl',
				type: 'string',
				default: DEFAULT_APP_URL,
				description:
					'Base of the link to the invoice (…/permalink/invoices/view/{ID}); a link the input item carries wins',
			},
			{
				displayName: 'Stage for Deleted Draft Name or ID',
				name: 'stage_deleted',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getSyncInvoiceStages', loadOptionsDependsOn: ['categoryId'] },
				default: 'failed',
				description:
					'Stage a smart invoice moves to when its LexOffice invoice becomes "deleted". Default: the category\'s failed stage. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Stage for Draft Name or ID',
				name: 'stage_draft',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getSyncInvoiceStages', loadOptionsDependsOn: ['categoryId'] },
				default: 'new',
				description:
					'Stage a smart invoice moves to when its LexOffice invoice becomes "draft". Default: the category\'s new stage. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Stage for Open Name or ID',
				name: 'stage_open',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getSyncInvoiceStages', loadOptionsDependsOn: ['categoryId'] },
				default: 'sent',
				description:
					'Stage a smart invoice moves to when its LexOffice invoice becomes "open". Default: the category\'s sent stage. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Stage for Overdue Name or ID',
				name: 'stage_overdue',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getSyncInvoiceStages', loadOptionsDependsOn: ['categoryId'] },
				default: 'sent',
				description:
					'Stage a smart invoice moves to when its LexOffice invoice becomes "overdue". Default: the category\'s sent stage. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Stage for Paid Name or ID',
				name: 'stage_paid',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getSyncInvoiceStages', loadOptionsDependsOn: ['categoryId'] },
				default: 'paid',
				description:
					'Stage a smart invoice moves to when its LexOffice invoice becomes "paid". Default: the category\'s paid stage. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Stage for Voided Name or ID',
				name: 'stage_voided',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getSyncInvoiceStages', loadOptionsDependsOn: ['categoryId'] },
				default: 'failed',
				description:
					'Stage a smart invoice moves to when its LexOffice invoice becomes "voided". Default: the category\'s failed stage. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			memoryFieldOption,
			{
				displayName: 'System Code',
				name: 'systemCode',
				type: 'string',
				default: SYSTEM_CODE,
				description:
					'The ORIGINATOR_ID the LexOffice contacts were synced with; the client is looked up by it and the LexOffice contact ID',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['lexofficeSync'], operation: ['syncInvoice'] } },
	properties,
);

function readSettings(this: IExecuteFunctions, itemIndex: number): InvoiceSyncSettings & { appUrl: string } {
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		appUrl?: string;
		memoryField?: string;
		systemCode?: string;
		skipDrafts?: boolean;
	} & Record<string, unknown>;
	const fail = (message: string, description: string) =>
		new NodeOperationError(this.getNode(), message, { itemIndex, description });
	const category = String(this.getNodeParameter('categoryId', itemIndex, '') ?? '').trim();
	if (category !== '' && !/^\d+$/.test(category)) {
		throw fail(
			`"Category" must be a category ID, got "${category}"`,
			"Pick the category from the list, or leave it empty for the portal's default category.",
		);
	}
	const memoryField = readMemoryField.call(this, options.memoryField, itemIndex);
	const stages: Partial<Record<SyncedStatus, string>> = {};
	for (const status of SYNCED_STATUSES) {
		const picked = String(options[`stage_${status}`] ?? '').trim();
		if (picked) stages[status] = picked;
	}
	return {
		skipDrafts: options.skipDrafts === true,
		stages,
		systemCode: (options.systemCode ?? '').trim() || SYSTEM_CODE,
		categoryId: category === '' ? undefined : Number(category),
		memoryField,
		appUrl: (options.appUrl ?? '').trim() || DEFAULT_APP_URL,
		language: readLanguage.call(this, itemIndex),
	};
}

/** The trigger's name of a synced invoice in the chosen language. */
function withUserTexts(outcome: IDataObject, language: Language): IDataObject {
	if (outcome.action === 'failed') return outcome;
	return { ...outcome, triggerName: invoiceTriggerName(outcome.triggerCode, language) ?? null };
}

/**
 * A problem of this one invoice (not an invoice, a value Bitrix24 refuses for it): reported in its
 * output item with what to do, so the other invoices of the run go on. Authentication, an
 * unreachable portal and other node-wide problems still stop the node.
 */
function invoiceFailure(error: unknown, invoiceId: string | null): IDataObject | undefined {
	if (error instanceof InvalidInvoice)
		return { action: 'failed', lexofficeInvoiceId: invoiceId, error: error.message, errorDescription: error.hint };
	const { httpCode, message } = error as { httpCode?: string | null; message?: string };
	if (error instanceof NodeApiError && httpCode === '400') {
		return {
			action: 'failed',
			lexofficeInvoiceId: invoiceId,
			error: `LexOffice invoice ${invoiceId ?? '?'}: Bitrix24 refused the smart invoice: ${message}`,
			errorDescription:
				'Correct the value Bitrix24 names (or make the field optional in the smart-invoice settings); the next event of this invoice syncs it.',
		};
	}
	return undefined;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const settings = readSettings.call(this, itemIndex);
	let invoice;
	try {
		const raw = this.getNodeParameter('invoice', itemIndex);
		if (typeof raw === 'object' && raw !== null && !Array.isArray(raw) && 'error' in raw && !('id' in raw)) {
			// The LexOffice node before this one failed for this item (Continue on error), e.g. an invoice deleted in LexOffice.
			throw new InvalidInvoice(
				`The invoice could not be read from LexOffice: ${String((raw as IDataObject).error)}`,
				'A draft deleted in LexOffice is closed by its invoice.deleted event (route items whose resource is deleted to this node). Otherwise check the LexOffice node before this one.',
			);
		}
		invoice = readLexofficeInvoice(raw, settings.appUrl, berlinToday());
	} catch (error) {
		if (error instanceof InvalidInvoice)
			return this.helpers.returnJsonArray(invoiceFailure(error, null) as IDataObject);
		throw new NodeOperationError(this.getNode(), (error as Error).message, {
			itemIndex,
			description: 'The value must be a JSON object: the LexOffice invoice.',
		});
	}
	const current = invoice;
	try {
		const key = invoiceLockKey(await portalHostOf.call(this), current.id);
		const outcome = await withKeyLock([key], async () => await syncInvoice.call(this, current, settings, itemIndex));
		return this.helpers.returnJsonArray(withUserTexts(outcome, settings.language ?? 'de'));
	} catch (error) {
		const failure = invoiceFailure(error, current.id);
		if (failure) return this.helpers.returnJsonArray({ ...failure, voucherNumber: current.voucherNumber });
		// Node-wide (credentials, portal unreachable): the router stops the node with it.
		if (error instanceof NodeApiError) throw new NodeApiError(this.getNode(), error as unknown as JsonObject);
		throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
	}
}
