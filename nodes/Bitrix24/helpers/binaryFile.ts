/** A file from an input item's binary data, ready to send to Bitrix24 as base64 (bitrix24-api.md §7). */
import type { IExecuteFunctions } from 'n8n-workflow';

export interface BinaryFile {
	fileName: string;
	mimeType: string;
	content: Buffer;
}

/** Throws n8n's own error naming the property when the item has no such binary data. */
export async function readBinaryFile(
	this: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
): Promise<BinaryFile> {
	const binary = this.helpers.assertBinaryData(itemIndex, propertyName);
	const content = await this.helpers.getBinaryDataBuffer(itemIndex, propertyName);
	const extension = binary.fileExtension ? `.${binary.fileExtension}` : '';
	return { fileName: binary.fileName || `file${extension}`, mimeType: binary.mimeType, content };
}

/** The file starts like a PDF (`%PDF`), whatever its name or MIME type says. */
export const isPdf = (file: BinaryFile) => file.content.subarray(0, 4).toString('latin1') === '%PDF';

/** Bitrix24 file fields take `[name, base64]` pairs (§7.1) or plain base64 (§7.2). */
export const base64Of = (file: BinaryFile) => file.content.toString('base64');
