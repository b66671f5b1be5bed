import type { IExecuteFunctions, INodeExecutionData, INodeProperties, JsonObject } from 'n8n-workflow';
import { NodeApiError, updateDisplayOptions } from 'n8n-workflow';

import { httpCodeOf, lexofficeDownload } from '../../transport';
import { invoiceLocator, inputCheck, locatorId } from '../common';
import type { OperationOption } from '../../../shared/operation';
import { invoicePermalinks } from './read';

/**
 * GET /v1/invoices/{id}/file (lexoffice-api.md §4.3): the document itself, as n8n binary data.
 * Drafts have no document (409).
 */

export const option: OperationOption = {
	name: 'Download PDF',
	value: 'downloadPdf',
	description: 'Download the document of a finalized invoice',
	action: 'Download an invoice PDF',
};

const FORMATS: Record<string, string> = { pdf: 'application/pdf', original: '*/*' };

const displayOptions = { show: { resource: ['invoice'], operation: ['downloadPdf'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [
	invoiceLocator(),
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the output binary field to put the file in',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Format',
				name: 'format',
				type: 'options',
				options: [
					{ name: 'PDF', value: 'pdf', description: 'The printable document (for XRechnung invoices a preview only)' },
					{
						name: 'Original',
						value: 'original',
						description: 'The e-invoice itself: XML for XRechnung invoices, else the PDF',
					},
				],
				default: 'pdf',
			},
		],
	},
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const check = inputCheck.call(this, itemIndex);
	const id = locatorId.call(this, itemIndex, 'invoiceId', 'Invoice');
	const binaryPropertyName = check.required(
		this.getNodeParameter('binaryPropertyName', itemIndex),
		'Put Output File in Field',
	);
	const { format = 'pdf' } = this.getNodeParameter('options', itemIndex, {}) as { format?: string };

	let file;
	try {
		file = await lexofficeDownload.call(this, {
			path: `/v1/invoices/${encodeURIComponent(id)}/file`,
			accept: FORMATS[format] ?? FORMATS.pdf,
		});
	} catch (error) {
		if (httpCodeOf(error) !== 409) throw new NodeApiError(this.getNode(), error as JsonObject);
		// A fresh error: re-wrapping a NodeApiError would hand back the original unchanged.
		const message = `Invoice ${id} is a draft: finalize the invoice in LexOffice first`;
		const { editUrl } = await invoicePermalinks.call(this, id);
		const lexofficeSays = error instanceof Error ? `LexOffice: ${error.message}\n\n` : '';
		throw new NodeApiError(this.getNode(), { message, httpCode: '409' } as JsonObject, {
			message,
			description: `${lexofficeSays}LexOffice creates the document only once the invoice is finalized. Open it at ${editUrl}, finalize it, then run the workflow again.`,
			httpCode: '409',
			itemIndex,
		});
	}
	const mimeType = file.mimeType ?? 'application/pdf';
	const fileName = file.fileName ?? `${id}.${mimeType.includes('xml') ? 'xml' : 'pdf'}`;
	const binary = await this.helpers.prepareBinaryData(file.data, fileName, mimeType);
	return [{ json: { id, fileName, mimeType, fileSize: file.data.length }, binary: { [binaryPropertyName]: binary } }];
}
