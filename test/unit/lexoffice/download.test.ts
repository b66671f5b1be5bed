import { NodeApiError } from 'n8n-workflow';

import { lexofficeDownload } from '../../../nodes/Lexoffice/transport';
import { startLexofficeSandbox, type LexofficeSandbox } from '../../sandbox/lexoffice';
import { executeContext } from './helpers';

/** File downloads (lexoffice-api.md §4.3) go through the same transport, as bytes. */
describe('lexofficeDownload', () => {
	let sb: LexofficeSandbox;
	beforeAll(async () => {
		sb = await startLexofficeSandbox({ seed: { contacts: 10, invoices: 30, seed: 5 } });
	});
	afterAll(async () => await sb.close());

	const invoiceWithStatus = (status: string) => {
		const invoice = [...sb.state.invoices.values()].find((candidate) => candidate.voucherStatus === status);
		if (!invoice) throw new Error(`seed has no ${status} invoice`);
		return invoice;
	};

	test('returns the PDF bytes, media type and file name; a failed first try is retried', async () => {
		const invoice = invoiceWithStatus('open');
		sb.setFaults({ failNext: [{ method: 'GET', pathIncludes: '/file', dropConnection: true }] });
		const file = await lexofficeDownload.call(executeContext(sb), { path: `/v1/invoices/${invoice.id}/file` });
		expect(file.data.subarray(0, 5).toString('latin1')).toBe('%PDF-');
		expect(file.data.toString('latin1')).toContain(`Rechnung ${invoice.voucherNumber}`);
		expect(file.mimeType).toBe('application/pdf');
		expect(file.fileName).toBe(`${invoice.voucherNumber}.pdf`);
		expect(sb.requests.filter({ pathIncludes: '/file' }).map((r) => r.status)).toEqual([0, 200]);
	});

	test('an error answer to a binary request still carries LexOffice message', async () => {
		const draft = invoiceWithStatus('draft');
		const error = await lexofficeDownload
			.call(executeContext(sb), { path: `/v1/invoices/${draft.id}/file`, accept: 'application/pdf' })
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).httpCode).toBe('409');
		expect((error as NodeApiError).message).toBe('The document of a draft invoice cannot be downloaded.');
	});
});
