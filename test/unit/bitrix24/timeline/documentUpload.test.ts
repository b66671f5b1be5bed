import { NodeOperationError } from 'n8n-workflow';

import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../../sandbox/bitrix24';
import { caught, restCalls } from '../helpers';
import { binaryItem, run, samplePdf } from '../invoices/run';

/** CRC-32 bit by bit (no table), to check the node's table-driven one independently. */
function crc32(data: Buffer): number {
	let crc = 0xffffffff;
	for (const byte of data) {
		crc ^= byte;
		for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
	}
	return (crc ^ 0xffffffff) >>> 0;
}

/** The entries of a stored (uncompressed) ZIP, found through its central directory. */
function zipEntries(zip: Buffer): Map<string, string> {
	const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
	expect(end).toBeGreaterThan(0);
	const count = zip.readUInt16LE(end + 10);
	let position = zip.readUInt32LE(end + 16);
	const entries = new Map<string, string>();
	for (let index = 0; index < count; index++) {
		expect(zip.readUInt32LE(position)).toBe(0x02014b50);
		const crc = zip.readUInt32LE(position + 16);
		const size = zip.readUInt32LE(position + 20);
		const nameLength = zip.readUInt16LE(position + 28);
		const localOffset = zip.readUInt32LE(position + 42);
		const name = zip.subarray(position + 46, position + 46 + nameLength).toString('utf8');
		expect(zip.readUInt32LE(localOffset)).toBe(0x04034b50);
		expect(zip.readUInt16LE(localOffset + 8)).toBe(0);
		const dataStart = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
		const data = zip.subarray(dataStart, dataStart + size);
		expect(crc32(data)).toBe(crc);
		entries.set(name, data.toString('utf8'));
		position += 46 + nameLength + zip.readUInt16LE(position + 30) + zip.readUInt16LE(position + 32);
	}
	return entries;
}

describe('Document → Upload (crm.documentgenerator.document.upload, bitrix24-api.md §7.2)', () => {
	let sb: Bitrix24Sandbox;
	let invoiceId: number;

	beforeAll(async () => {
		sb = await startBitrix24Sandbox({ limits: 'off' });
		const response = await fetch(`${sb.webhookUrl}crm.item.add`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ entityTypeId: 31, fields: { title: 'Rechnung RE-2024-0042' } }),
		});
		invoiceId = ((await response.json()) as { result: { item: { id: number } } }).result.item.id;
	});
	afterAll(async () => await sb.close());
	beforeEach(() => sb.requests.clear());

	const upload = (
		parameters: Record<string, unknown>,
		file = samplePdf(),
		fileName = 'RE-2024-0042.pdf',
		mimeType = 'application/pdf',
	) =>
		run(sb, {
			parameters: {
				resource: 'document',
				operation: 'upload',
				entityType: 'smartInvoice',
				entityId: String(invoiceId),
				title: 'Rechnung RE-2024-0042 & Co <GmbH>',
				number: 'RE-2024-0042',
				...parameters,
			},
			items: [binaryItem(file, fileName, mimeType)],
		});
	const lastDocument = () => sb.state.documents[sb.state.documents.length - 1];

	it('by default sends the PDF as pdfContent with a valid generated DOCX as fileContent', async () => {
		const pdf = samplePdf('Rechnung 1');
		const { json } = await upload({}, pdf);
		const document = lastDocument();
		expect(document).toMatchObject({
			entityTypeId: 31,
			entityId: invoiceId,
			number: 'RE-2024-0042',
			region: 'de',
			title: 'Rechnung RE-2024-0042 & Co <GmbH>',
		});
		expect(document.pdf).toMatchObject({ kind: 'pdf', base64: pdf.toString('base64') });
		expect(document.file.kind).toBe('docx');
		const entries = zipEntries(Buffer.from(document.file.base64, 'base64'));
		expect([...entries.keys()]).toEqual(['[Content_Types].xml', '_rels/.rels', 'word/document.xml']);
		expect(entries.get('word/document.xml')).toContain('Rechnung RE-2024-0042 &amp; Co &lt;GmbH&gt;');
		expect(entries.get('[Content_Types].xml')).toContain('/word/document.xml');
		expect(json[0]).toMatchObject({ id: document.id, pdfUrl: expect.any(String) });
		// A file upload: one plain call, never inside a batch (§3.3).
		expect(restCalls(sb).map((call) => call.label)).toEqual(['crm.documentgenerator.document.upload']);
	});

	it('"File as Document Content" sends the file itself as fileContent', async () => {
		const pdf = samplePdf('Rechnung 2');
		await upload({ fileMode: 'fileContent', region: 'DE' }, pdf);
		expect(lastDocument()).toMatchObject({
			region: 'de',
			file: { kind: 'pdf', base64: pdf.toString('base64') },
			pdf: undefined,
		});
	});

	it('refuses a non-PDF in the default mode, and a bad region, before anything is sent', async () => {
		const before = sb.state.documents.length;
		const notPdf = await caught(
			upload(
				{},
				Buffer.from('PK\u0003\u0004not really a docx'),
				'Angebot.docx',
				'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
			),
		);
		expect(notPdf).toBeInstanceOf(NodeOperationError);
		expect(notPdf.message).toContain('Angebot.docx');
		expect((notPdf as NodeOperationError).description).toContain('File as Document Content');
		const region = await caught(upload({ region: 'deutsch' }));
		expect(region.message).toContain('"Region"');
		expect(restCalls(sb)).toHaveLength(0);
		expect(sb.state.documents).toHaveLength(before);
	});
});
