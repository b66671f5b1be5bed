import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { base64Of, isPdf, readBinaryFile } from '../../helpers/binaryFile';
import type { CrmTargetType } from '../../helpers/crmEntities';
import { crmTargetProperties, readCrmTarget, requiredTextParameter } from '../../helpers/crmTargetParameters';
import { bitrix24Call } from '../../transport';
import type { OperationOption } from '../../../shared/operation';
import { minimalDocx } from './minimalDocx';

export const option: OperationOption = {
	name: 'Upload',
	value: 'upload',
	description: 'Attach a ready-made file (e.g. the LexOffice invoice PDF) to a record as a CRM document',
	action: 'Upload a document',
};

const TYPES: CrmTargetType[] = ['smartInvoice', 'contact', 'company', 'deal', 'lead'];

type FileMode = 'pdfWithGeneratedDocx' | 'fileContent';

const displayOptions = { show: { resource: ['document'], operation: ['upload'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [
	...crmTargetProperties({
		types: TYPES,
		defaultType: 'smartInvoice',
		typeDescription: 'Type of the record the document belongs to',
	}),
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Rechnung RE-2024-0042',
	},
	{
		displayName: 'Number',
		name: 'number',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'RE-2024-0042',
		description: 'Document number shown in Bitrix24 (required by Bitrix24), e.g. the invoice number',
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		description: 'Name of the binary property that holds the file',
	},
	{
		displayName: 'Send File As',
		name: 'fileMode',
		type: 'options',
		options: [
			{
				name: 'PDF Plus Generated DOCX (Documented)',
				value: 'pdfWithGeneratedDocx',
				description:
					'Bitrix24 documents a DOCX as the document and a PDF as an optional extra; the PDF goes in pdfContent and a one-page DOCX naming it in fileContent',
			},
			{
				name: 'File as Document Content',
				value: 'fileContent',
				description:
					'The file itself goes in fileContent: right for a DOCX; for a PDF it is untested whether Bitrix24 accepts it',
			},
		],
		default: 'pdfWithGeneratedDocx',
		description:
			"Bitrix24's document upload requires a DOCX (fileContent) and takes a PDF only in addition (pdfContent). Whether a PDF alone is accepted is not documented, so the default sends the PDF with a small generated DOCX.",
	},
	{
		displayName: 'Region',
		name: 'region',
		type: 'string',
		default: 'de',
		description: 'Region of the document (two-letter code) as Bitrix24 expects it, e.g. de',
	},
]);

/**
 * crm.documentgenerator.document.upload (bitrix24-api.md §7.2). A file upload: never sent inside
 * a batch (§3.3). The PDF version may take 30-40 s to appear in Bitrix24 (`pdfUrl`).
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const { target, id } = readCrmTarget.call(this, itemIndex, TYPES);
	const title = requiredTextParameter.call(this, 'title', 'Title', itemIndex);
	const number = requiredTextParameter.call(this, 'number', 'Number', itemIndex);
	const region = requiredTextParameter.call(this, 'region', 'Region', itemIndex).toLowerCase();
	if (!/^[a-z]{2}$/.test(region)) {
		throw new NodeOperationError(this.getNode(), `"Region" must be a two-letter code, got "${region}"`, {
			itemIndex,
			description: 'Use the region of the portal, e.g. de.',
		});
	}
	const propertyName = requiredTextParameter.call(this, 'binaryPropertyName', 'Input Binary Field', itemIndex);
	const file = await readBinaryFile.call(this, itemIndex, propertyName);
	const mode = this.getNodeParameter('fileMode', itemIndex) as FileMode;
	const fields: IDataObject = { entityTypeId: target.entityTypeId, entityId: id, title, number, region };
	if (mode === 'pdfWithGeneratedDocx') {
		if (!isPdf(file)) {
			throw new NodeOperationError(this.getNode(), `The file in "${propertyName}" (${file.fileName}) is not a PDF`, {
				itemIndex,
				description: 'For a DOCX or other document set "Send File As" to "File as Document Content".',
			});
		}
		fields.fileContent = minimalDocx([title, number, `PDF: ${file.fileName}`]).toString('base64');
		fields.pdfContent = base64Of(file);
	} else {
		fields.fileContent = base64Of(file);
	}
	const answer = await bitrix24Call.call(this, 'crm.documentgenerator.document.upload', { fields }, { itemIndex });
	const document = ((answer.result as IDataObject | undefined)?.document ?? answer.result) as IDataObject;
	return this.helpers.returnJsonArray(document);
}
