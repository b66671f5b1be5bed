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

import { SYSTEM_CODE } from '../../../shared/contract/links';
import { invoiceTriggerName, type InvoiceStatus } from '../../../shared/contract/invoiceStatus';
import { userTexts, type Language } from '../../../shared/contract/userTexts';
import { languageProperty, readLanguage } from '../../../shared/language';
import { DEFAULT_APP_URL } from '../../../shared/contract/permalinks';
import type { ItemOperation } from '../../../shared/operation';
import { berlinToday, InvalidInvoice, readLexofficeInvoice } from './syncInvoiceInput';
import { withKeyLock } from '../../../shared/keyedLock';
import { portalHostOf } from '../../transport';
import { invoiceLockKey, syncInvoice, type InvoiceSyncSettings } from './syncInvoiceRun';

export const option: ItemOperation['option'] = {
	name: 'Sync Invoice',
	value: 'syncInvoice',
	description:
		'Create or update the smart invoice of a LexOffice invoice (client, number, amount, dates, stage from the status) and say what to report: link, PDF, automation trigger',
	action: 'Sync a LexOffice invoice to Bitrix24',
};

const properties: INodeProperties[] = [
	{
		displayName:
			'Output per invoice, for IF nodes: firstSight (post the link), attachPdf (true once, when first seen finalized), triggerCode (the automation trigger to fire; null when the status did not change). What was reported is kept on the smart invoice, so replayed events fire nothing.',
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
			"The LexOffice invoice (JSON) as the LexOffice node's Invoice → Get or Voucher List → Get Many puts it out. After a LexOffice Trigger on invoice events, map the item's resource field.",
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
			'Language of what Bitrix24 users read: the smart-invoice title, the trigger name and the timelineComment / timelineLinkText put out for the timeline',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'LexOffice Web App URL',
				name: 'appUrl',
				type: 'string',
				default: DEFAULT_APP_URL,
				description:
					'Base of the link to the invoice (…/permalink/invoices/view/{ID}); a link the input item carries wins',
			},
			{
				displayName: 'Sync State Field',
				name: 'memoryField',
				type: 'string',
				default: 'sourceDescription',
				placeholder: 'ufCrm_LexofficeState',
				description:
					'Text field of smart invoices where the sync notes what it already reported (status, PDF, overdue). Default: "Source information". Use a custom field if that one is used otherwise.',
			},
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

const FIELD_NAME = /^(?:[a-z][A-Za-z0-9]*|ufCrm[A-Za-z0-9_]+)$/;

function readSettings(this: IExecuteFunctions, itemIndex: number): InvoiceSyncSettings & { appUrl: string } {
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		appUrl?: string;
		memoryField?: string;
		systemCode?: string;
	};
	const fail = (message: string, description: string) =>
		new NodeOperationError(this.getNode(), message, { itemIndex, description });
	const category = String(this.getNodeParameter('categoryId', itemIndex, '') ?? '').trim();
	if (category !== '' && !/^\d+$/.test(category)) {
		throw fail(
			`"Category" must be a category ID, got "${category}"`,
			"Pick the category from the list, or leave it empty for the portal's default category.",
		);
	}
	const memoryField = (options.memoryField ?? '').trim() || 'sourceDescription';
	if (!FIELD_NAME.test(memoryField)) {
		throw fail(
			`"Sync State Field" is not a smart-invoice field name: "${memoryField}"`,
			'Use a camelCase field name as crm.item.* names it, e.g. sourceDescription or ufCrm5_1700000000.',
		);
	}
	return {
		systemCode: (options.systemCode ?? '').trim() || SYSTEM_CODE,
		categoryId: category === '' ? undefined : Number(category),
		memoryField,
		appUrl: (options.appUrl ?? '').trim() || DEFAULT_APP_URL,
		language: readLanguage.call(this, itemIndex),
	};
}

/** The texts of a synced invoice in the chosen language: the trigger's name and the timeline entry. */
function withUserTexts(outcome: IDataObject, language: Language): IDataObject {
	if (outcome.action === 'failed') return outcome;
	const texts = userTexts(language);
	const voucherNumber = typeof outcome.voucherNumber === 'string' ? outcome.voucherNumber : undefined;
	return {
		...outcome,
		triggerName: invoiceTriggerName(outcome.triggerCode, language) ?? null,
		timelineComment: texts.invoice.timelineComment(
			voucherNumber,
			texts.invoice.status[outcome.status as InvoiceStatus],
		),
		timelineLinkText: texts.invoice.timelineLinkText(voucherNumber),
	};
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
				'A draft deleted in LexOffice leaves its smart invoice as it is. Otherwise check the LexOffice node before this one.',
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
