import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../../sandbox/bitrix24';
import { addRecord } from '../crm/helpers';
import { caught, restCalls } from '../helpers';
import { binaryItem, run, samplePdf } from '../invoices/run';

describe('Timeline (bitrix24-api.md §7.1)', () => {
	let sb: Bitrix24Sandbox;
	let contactId: number;
	let invoiceId: number;

	beforeAll(async () => {
		sb = await startBitrix24Sandbox({ limits: 'off' });
		contactId = await addRecord(sb, 'crm.contact.add', { NAME: 'Erika', LAST_NAME: 'Mustermann' });
		const response = await fetch(`${sb.webhookUrl}crm.item.add`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ entityTypeId: 31, fields: { title: 'Rechnung RE-2024-0042' } }),
		});
		invoiceId = ((await response.json()) as { result: { item: { id: number } } }).result.item.id;
	});
	afterAll(async () => await sb.close());
	beforeEach(() => sb.requests.clear());

	const lastEntry = () => sb.state.timeline[sb.state.timeline.length - 1];
	const comment = (parameters: Record<string, unknown>, items?: Parameters<typeof run>[1]['items']) =>
		run(sb, { parameters: { resource: 'timeline', operation: 'addComment', ...parameters }, items });

	it('a comment on a smart invoice carries the PDF from binary data, byte for byte, and a BBCode link', async () => {
		const pdf = samplePdf();
		const { json, sent } = await comment(
			{
				entityType: 'smartInvoice',
				entityId: String(invoiceId),
				comment: 'Rechnung aus LexOffice',
				attachFile: true,
				options: {
					linkUrl: 'https://app.lexoffice.de/permalink/invoices/view/7f3a',
					linkText: 'Rechnung RE-2024-0042',
				},
			},
			[binaryItem(pdf, 'RE-2024-0042.pdf', 'application/pdf')],
		);
		const entry = lastEntry();
		expect(entry).toMatchObject({
			kind: 'comment',
			entityType: 'smart_invoice',
			entityId: invoiceId,
			comment:
				'Rechnung aus LexOffice\n[URL=https://app.lexoffice.de/permalink/invoices/view/7f3a]Rechnung RE-2024-0042[/URL]',
		});
		const files = (entry as { files: Array<{ name: string; kind: string; base64: string; size: number }> }).files;
		expect(files).toEqual([
			{ name: 'RE-2024-0042.pdf', kind: 'pdf', size: pdf.length, base64: pdf.toString('base64') },
		]);
		// Only the lower-case `fields` key is read since crm 23.100.0; FILES is [[name, base64]].
		expect(sent).toHaveLength(1);
		expect(Object.keys(sent[0].body)).toEqual(['fields']);
		expect((sent[0].body.fields as Record<string, unknown>).FILES).toEqual([
			['RE-2024-0042.pdf', pdf.toString('base64')],
		]);
		expect(json[0]).toMatchObject({
			id: entry.id,
			entityType: 'smart_invoice',
			entityId: invoiceId,
			files: ['RE-2024-0042.pdf'],
		});
	});

	it('link URL and text cannot break out of the [URL] tag', async () => {
		await comment({
			entityType: 'contact',
			entityId: String(contactId),
			comment: 'Siehe',
			options: {
				linkUrl: 'https://example.de/a b]?q=[x]"',
				linkText: 'Rechnung [RE-1][/URL] [B]fett[/B]\nzweite Zeile',
			},
		});
		const text = (lastEntry() as { comment: string }).comment;
		expect(text).toBe(
			'Siehe\n[URL=https://example.de/a%20b%5D?q=%5Bx%5D%22]Rechnung (RE-1)(/URL) (B)fett(/B) zweite Zeile[/URL]',
		);
		expect(text.match(/\[\/URL\]/g)).toHaveLength(1);
	});

	it.each(['javascript:alert(1)', '/relative/path', 'ftp://example.de/x'])(
		'a link to %p is refused before anything is sent',
		async (linkUrl) => {
			const error = await caught(
				comment({ entityType: 'contact', entityId: String(contactId), comment: 'x', options: { linkUrl } }),
			);
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toContain('"Link URL"');
			expect(restCalls(sb)).toHaveLength(0);
		},
	);

	it('an empty comment or a missing binary property fails before anything is sent', async () => {
		const empty = await caught(comment({ entityType: 'contact', entityId: String(contactId), comment: '  ' }));
		expect(empty.message).toContain('"Comment"');
		const noBinary = await caught(
			comment({
				entityType: 'contact',
				entityId: String(contactId),
				comment: 'x',
				attachFile: true,
				binaryPropertyName: 'invoicePdf',
			}),
		);
		expect(noBinary.message).toContain('invoicePdf');
		expect(restCalls(sb)).toHaveLength(0);
	});

	it('Add Log Message requires an icon and sends all five fields', async () => {
		const base = {
			resource: 'timeline',
			operation: 'addLogMessage',
			entityType: 'contact',
			entityId: String(contactId),
			title: 'LexOffice',
			text: 'Kontakt synchronisiert',
		};
		const error = await caught(run(sb, { parameters: { ...base, iconCode: '' } }));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toContain('"Icon"');
		expect(restCalls(sb)).toHaveLength(0);

		const { json, sent } = await run(sb, { parameters: { ...base, iconCode: 'info' } });
		expect(sent[0].body).toEqual({
			fields: {
				entityTypeId: 3,
				entityId: contactId,
				title: 'LexOffice',
				text: 'Kontakt synchronisiert',
				iconCode: 'info',
			},
		});
		expect(lastEntry()).toMatchObject({ kind: 'logmessage', entityTypeId: 3, entityId: contactId, iconCode: 'info' });
		expect(json[0]).toMatchObject({ id: lastEntry().id, iconCode: 'info' });
	});

	it("a record that does not exist fails with Bitrix24's description", async () => {
		const error = await caught(
			run(sb, {
				parameters: {
					resource: 'timeline',
					operation: 'addLogMessage',
					entityType: 'company',
					entityId: '987654',
					title: 't',
					text: 'x',
					iconCode: 'info',
				},
			}),
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Owner element not found');
	});
});
