import { NodeOperationError, updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { DEFAULT_APP_URL } from '../../../Lexoffice/helpers/eventResources';
import type { ItemOperation } from '../types';
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
			'The LexOffice invoice (JSON) as the LexOffice node\'s Invoice → Get or Voucher List → Get Many puts it out. After a LexOffice Trigger on invoice events, map the item\'s resource field.',
	},
	{
		displayName: 'Category Name or ID',
		name: 'categoryId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getSmartInvoiceCategories' },
		default: '',
		description:
			'Category (pipeline) new smart invoices go to; empty: the portal\'s default category. Existing invoices stay in theirs. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
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
				description: 'Base of the link to the invoice (…/permalink/invoices/view/{ID}); a link the input item carries wins',
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
				default: 'lexoffice',
				description: 'The ORIGINATOR_ID the LexOffice contacts were synced with; the client is looked up by it and the LexOffice contact ID',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['lexofficeSync'], operation: ['syncInvoice'] } }, properties);

const FIELD_NAME = /^(?:[a-z][A-Za-z0-9]*|ufCrm[A-Za-z0-9_]+)$/;

function readSettings(context: IExecuteFunctions, itemIndex: number): InvoiceSyncSettings & { appUrl: string } {
	const options = context.getNodeParameter('options', itemIndex, {}) as { appUrl?: string; memoryField?: string; systemCode?: string };
	const fail = (message: string, description: string) => new NodeOperationError(context.getNode(), message, { itemIndex, description });
	const category = String(context.getNodeParameter('categoryId', itemIndex, '') ?? '').trim();
	if (category !== '' && !/^\d+$/.test(category)) {
		throw fail(`"Category" must be a category ID, got "${category}"`, 'Pick the category from the list, or leave it empty for the portal\'s default category.');
	}
	const memoryField = (options.memoryField ?? '').trim() || 'sourceDescription';
	if (!FIELD_NAME.test(memoryField)) {
		throw fail(`"Sync State Field" is not a smart-invoice field name: "${memoryField}"`, 'Use a camelCase field name as crm.item.* names it, e.g. sourceDescription or ufCrm5_1700000000.');
	}
	return {
		systemCode: (options.systemCode ?? '').trim() || 'lexoffice',
		categoryId: category === '' ? undefined : Number(category),
		memoryField,
		appUrl: (options.appUrl ?? '').trim() || DEFAULT_APP_URL,
	};
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const settings = readSettings(this, itemIndex);
	let invoice;
	try {
		invoice = readLexofficeInvoice(this.getNodeParameter('invoice', itemIndex), settings.appUrl, berlinToday());
	} catch (error) {
		const hint = error instanceof InvalidInvoice ? error.hint : 'The value must be a JSON object: the LexOffice invoice.';
		throw new NodeOperationError(this.getNode(), (error as Error).message, { itemIndex, description: hint });
	}
	const key = invoiceLockKey(await portalHostOf(this), invoice.id);
	return await withKeyLock([key], async () => await syncInvoice(this, invoice, settings, itemIndex));
}
