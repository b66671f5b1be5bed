import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { bbcodeLink } from '../../helpers/bbcode';
import { base64Of, readBinaryFile } from '../../helpers/binaryFile';
import type { CrmTargetType } from '../../helpers/crmEntities';
import { crmTargetProperties, readCrmTarget, requiredTextParameter } from '../../helpers/crmTargetParameters';
import { bitrix24Call } from '../../transport';
import type { OperationOption } from '../../../shared/operation';

export const option: OperationOption = {
	name: 'Add Comment',
	value: 'addComment',
	description: 'Add a comment, optionally with a link and a file, to the timeline of a record',
	action: 'Add a timeline comment',
};

const TYPES: CrmTargetType[] = ['contact', 'company', 'smartInvoice', 'deal', 'lead'];

const displayOptions = { show: { resource: ['timeline'], operation: ['addComment'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [
	...crmTargetProperties({
		types: TYPES,
		defaultType: 'contact',
		typeDescription: 'Type of the record whose timeline gets the comment',
	}),
	{
		displayName: 'Comment',
		name: 'comment',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		description: 'Text of the comment. Bitrix24 renders BBCode, e.g. [B]bold[/B].',
	},
	{
		displayName: 'Attach File',
		name: 'attachFile',
		type: 'boolean',
		default: false,
		description:
			"Whether to attach a file from the input item's binary data, e.g. the invoice PDF downloaded from LexOffice",
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		description: 'Name of the binary property that holds the file',
		displayOptions: { show: { attachFile: [true] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'File Name',
				name: 'fileName',
				type: 'string',
				default: '',
				placeholder: 'RE-2024-0042.pdf',
				description: "Name the attachment gets in Bitrix24. Empty: the binary data's own file name.",
			},
			{
				displayName: 'Link Text',
				name: 'linkText',
				type: 'string',
				default: '',
				placeholder: 'Rechnung RE-2024-0042 in LexOffice',
				description:
					'Text of the link; empty shows the URL. Square brackets are replaced by round ones, as BBCode would end the link at them.',
			},
			{
				displayName: 'Link URL',
				name: 'linkUrl',
				type: 'string',
				default: '',
				placeholder: 'https://app.lexware.de/permalink/invoices/view/…',
				description: 'Adds a clickable link below the comment ([URL=…]…[/URL]). Must be an http(s) address.',
			},
		],
	},
]);

interface CommentOptions {
	fileName?: string;
	linkText?: string;
	linkUrl?: string;
}

/** The comment text with the optional link line; a bad URL is refused before anything is sent. */
function commentText(this: IExecuteFunctions, itemIndex: number, options: CommentOptions): string {
	const comment = requiredTextParameter.call(this, 'comment', 'Comment', itemIndex);
	if (!options.linkUrl?.trim()) return comment;
	const link = bbcodeLink(options.linkUrl, options.linkText);
	if (link) return `${comment}\n${link}`;
	throw new NodeOperationError(this.getNode(), `"Link URL" is not an absolute http(s) address: "${options.linkUrl}"`, {
		itemIndex,
		description: "Enter a full address starting with https://, e.g. the invoice's LexOffice link.",
	});
}

/**
 * crm.timeline.comment.add (bitrix24-api.md §7.1): only the lower-case `fields` key is read since
 * crm 23.100.0; ENTITY_TYPE is the lower-case type name; FILES is a list of [name, base64] pairs.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const { target, id } = readCrmTarget.call(this, itemIndex, TYPES);
	const options = this.getNodeParameter('options', itemIndex, {}) as CommentOptions;
	const comment = commentText.call(this, itemIndex, options);
	const fields: IDataObject = { ENTITY_ID: id, ENTITY_TYPE: target.timelineName, COMMENT: comment };
	const files: string[] = [];
	if (this.getNodeParameter('attachFile', itemIndex, false) as boolean) {
		const propertyName = requiredTextParameter.call(this, 'binaryPropertyName', 'Input Binary Field', itemIndex);
		const file = await readBinaryFile.call(this, itemIndex, propertyName);
		const name = options.fileName?.trim() || file.fileName;
		fields.FILES = [[name, base64Of(file)]];
		files.push(name);
	}
	const answer = await bitrix24Call.call(this, 'crm.timeline.comment.add', { fields }, { itemIndex });
	return this.helpers.returnJsonArray({
		id: Number(answer.result),
		entityType: target.timelineName,
		entityId: id,
		comment,
		files,
	});
}
