import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { renderRedirectPage } from '../../helpers/redirectPage';
import type { OperationOption } from '../../../shared/operation';

export const option: OperationOption = {
	name: 'Build Answer Page',
	value: 'renderPage',
	description: 'Build the HTML page a button click is answered with, for a "Respond to Webhook" node',
	action: 'Build a placement answer page',
};

const displayOptions = { show: { resource: ['placement'], operation: ['renderPage'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [
	{
		displayName:
			'Output: {"html": "…"}. Answer the click with a "Respond to Webhook" node (version 1) that responds with text {{ $json.html }} and the header Content-Type: text/html.',
		name: 'renderPageNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'LexOffice: Rechnung erstellt',
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		description: 'Text below the title (plain text)',
	},
	{
		displayName: 'Link URL',
		name: 'url',
		type: 'string',
		default: '',
		placeholder: 'https://app.lexware.de/permalink/invoices/edit/…',
		description: 'Page to open, e.g. the LexOffice invoice editor. Empty: the page shows only the text.',
	},
	{ displayName: 'Link Text', name: 'linkText', type: 'string', default: '', description: 'Empty: the URL itself' },
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
	},
	{
		displayName: 'Language',
		name: 'language',
		type: 'string',
		default: 'de',
		description: 'Language of the page, e.g. de or en',
	},
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const text = (name: string) => String(this.getNodeParameter(name, itemIndex, '') ?? '').trim();
	const title = text('title');
	if (!title)
		throw new NodeOperationError(this.getNode(), 'Title is empty', {
			itemIndex,
			description: 'Enter the heading of the page.',
		});
	try {
		const html = renderRedirectPage({
			title,
			message: text('message') || undefined,
			url: text('url') || undefined,
			linkText: text('linkText') || undefined,
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
