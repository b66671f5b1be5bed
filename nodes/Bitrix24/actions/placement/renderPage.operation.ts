import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { renderRedirectPage, type RedirectPageContent } from '../../helpers/redirectPage';
import { userTexts } from '../../../shared/contract/userTexts';
import { languageProperty, readLanguage } from '../../../shared/language';
import type { OperationOption } from '../../../shared/operation';

export const option: OperationOption = {
	name: 'Build Answer Page',
	value: 'renderPage',
	description: 'Build the HTML page a button click is answered with, for a "Respond to Webhook" node',
	action: 'Build a placement answer page',
};

const displayOptions = { show: { resource: ['placement'], operation: ['renderPage'] } };
const custom = { show: { content: ['custom'] } };
const invoiceCreated = { show: { content: ['invoiceCreated'] } };
const invoiceFailed = { show: { content: ['invoiceFailed'] } };
const invoiceCreatedOrFailed = { show: { content: ['invoiceCreated', 'invoiceFailed'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [
	{
		displayName:
			'Output: {"html": "…"}. Answer the click with a "Respond to Webhook" node (version 1) that responds with text {{ $json.html }} and the header Content-Type: text/html.',
		name: 'renderPageNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Content',
		name: 'content',
		type: 'options',
		options: [
			{ name: 'Custom', value: 'custom', description: 'Title, message and link as entered below' },
			{
				name: 'Invoice Created',
				value: 'invoiceCreated',
				description: 'Says that the draft invoice is ready and links to it, in the chosen language',
			},
			{
				name: 'Invoice Not Created',
				value: 'invoiceFailed',
				description: 'Says why the invoice could not be created and which n8n execution has the details',
			},
		],
		default: 'custom',
	},
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'LexOffice: Rechnung erstellt',
		displayOptions: custom,
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		description: 'Text below the title (plain text)',
		displayOptions: custom,
	},
	{
		displayName: 'Invoice Number',
		name: 'voucherNumber',
		type: 'string',
		default: '={{ $json.voucherNumber }}',
		description: 'Number of the invoice; empty for a draft without one',
		displayOptions: invoiceCreated,
	},
	{
		displayName: 'Customer Name',
		name: 'contactName',
		type: 'string',
		default: '={{ $json.contactName }}',
		description: 'The LexOffice customer of the click (on an error page: the one it created or linked, if any)',
		displayOptions: invoiceCreatedOrFailed,
	},
	{
		displayName: 'Customer Created',
		name: 'contactCreated',
		type: 'boolean',
		default: false,
		description: 'Whether the customer was newly created in LexOffice for this click (the page says so)',
		displayOptions: invoiceCreatedOrFailed,
	},
	{
		displayName: 'Linked by Another Click',
		name: 'linkedByConcurrentClick',
		type: 'boolean',
		default: false,
		description:
			'Whether another click on the same record linked the customer while this click waited (claim.linkedByAnotherClick of Claim Record for Linking); the page says that every click drafts its own invoice',
		displayOptions: invoiceCreated,
	},
	{
		displayName: 'Error',
		name: 'error',
		type: 'string',
		default: '={{ $json.error || $json.message }}',
		description: 'What went wrong; the page adds the n8n execution that has the details',
		displayOptions: invoiceFailed,
	},
	{
		displayName: 'Error Description',
		name: 'errorDescription',
		type: 'string',
		default: '={{ $json.description }}',
		displayOptions: invoiceFailed,
	},
	{
		displayName: 'Link Stored',
		name: 'linkStored',
		type: 'boolean',
		default: false,
		description: 'Whether the Bitrix24 record was linked to the customer before the failure (the page says so)',
		displayOptions: invoiceFailed,
	},
	{
		displayName: 'Record Still Claimed',
		name: 'recordClaimed',
		type: 'boolean',
		default: false,
		description:
			'Whether the record still holds the claim of Claim Record for Linking, reserved until it expires (the page says so)',
		displayOptions: invoiceFailed,
	},
	{
		displayName: 'Another Click in Progress',
		name: 'clickInProgress',
		type: 'boolean',
		default: false,
		description:
			'Whether Claim Record for Linking gave up waiting for another click on the record (its error begins with "Another execution is still finding or creating the LexOffice contact"): the page says so, that nothing was changed and to click again in a minute, instead of the error',
		displayOptions: invoiceFailed,
	},
	{
		displayName: 'Link URL',
		name: 'url',
		type: 'string',
		default: '',
		placeholder: 'https://app.lexware.de/permalink/invoices/edit/…',
		description: 'Page to open, e.g. the LexOffice invoice editor. Empty: the page shows only the text.',
		displayOptions: { show: { content: ['custom', 'invoiceCreated'] } },
	},
	{
		displayName: 'Link Text',
		name: 'linkText',
		type: 'string',
		default: '',
		description: 'Empty: the URL itself',
		displayOptions: custom,
	},
	{
		displayName: 'Open In',
		name: 'openIn',
		type: 'options',
		options: [
			{
				name: 'New Tab',
				value: 'newTab',
				description: 'Keeps Bitrix24 open; falls back to the same tab when the browser blocks it',
			},
			{ name: 'Same Tab', value: 'top', description: 'Replaces Bitrix24 in the browser tab' },
		],
		default: 'newTab',
		displayOptions: { show: { content: ['custom', 'invoiceCreated'] } },
	},
	{
		...languageProperty,
		description: 'Language of the page: its texts (except custom ones, which are yours) and its lang attribute',
	},
]);

type PageText = Pick<RedirectPageContent, 'title' | 'message' | 'linkText'>;

/** Title, message and link text of the page; a prepared page takes them from the texts module. */
function pageText(this: IExecuteFunctions, itemIndex: number, text: (name: string) => string): PageText {
	const content = text('content') || 'custom';
	if (content === 'custom') {
		const title = text('title');
		if (!title)
			throw new NodeOperationError(this.getNode(), 'Title is empty', {
				itemIndex,
				description: 'Enter the heading of the page.',
			});
		return { title, message: text('message') || undefined, linkText: text('linkText') || undefined };
	}
	const texts = userTexts(readLanguage.call(this, itemIndex)).answerPage;
	const flag = (name: string) => this.getNodeParameter(name, itemIndex, false) === true;
	if (content === 'invoiceCreated') {
		return {
			title: texts.invoiceCreatedTitle,
			message: texts.invoiceCreatedMessage(
				text('voucherNumber') || undefined,
				text('contactName'),
				flag('contactCreated'),
				flag('linkedByConcurrentClick'),
			),
			linkText: texts.invoiceCreatedLinkText,
		};
	}
	const execution = String(this.getExecutionId() ?? '');
	const workflow = this.getWorkflow().name ?? '';
	if (flag('clickInProgress'))
		return { title: texts.invoiceFailedTitle, message: texts.clickInProgressMessage(execution, workflow) };
	return {
		title: texts.invoiceFailedTitle,
		message: texts.invoiceFailedMessage(
			text('error') || texts.unknownError,
			text('errorDescription') || undefined,
			execution,
			workflow,
			{
				contactName: text('contactName'),
				contactCreated: flag('contactCreated'),
				linkStored: flag('linkStored'),
				recordClaimed: flag('recordClaimed'),
			},
		),
	};
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const text = (name: string) => String(this.getNodeParameter(name, itemIndex, '') ?? '').trim();
	const page = pageText.call(this, itemIndex, text);
	try {
		const html = renderRedirectPage({
			...page,
			url: text('content') === 'invoiceFailed' ? undefined : text('url') || undefined,
			language: text('language') || undefined,
			openIn: text('openIn') === 'top' ? 'top' : 'newTab',
		});
		return this.helpers.returnJsonArray({ html });
	} catch (error) {
		throw new NodeOperationError(this.getNode(), `Link URL: ${(error as Error).message}`, {
			itemIndex,
			description: 'Map an absolute https:// address, e.g. the editUrl of LexOffice → Create Draft for Contact.',
		});
	}
}
