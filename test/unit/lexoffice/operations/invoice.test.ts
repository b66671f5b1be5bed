import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { startLexofficeSandbox, type Contact, type Invoice, type LexofficeSandbox } from '../../../sandbox/lexoffice';
import { byId, byUrl, operationError, runOperation } from './helpers';

/** LexOffice's timestamp format (§9): exactly 3 ms digits and an offset with a colon. */
const LEXOFFICE_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/;

/** Invoice operations against the sandbox (lexoffice-api.md §4). */
describe('LexOffice node: Invoice', () => {
	let sb: LexofficeSandbox;
	beforeAll(async () => {
		sb = await startLexofficeSandbox({ seed: { contacts: 20, invoices: 40, seed: 3 } });
	});
	afterAll(async () => await sb.close());
	beforeEach(() => sb.reset());

	const customer = () =>
		[...sb.state.contacts.values()].find((contact) => contact.roles.customer && !contact.archived) as Contact;
	const vendorOnly = () =>
		sb.simulate.createContact({ roles: { vendor: {} }, company: { name: 'Nur Lieferant GmbH' } });
	const invoiceWith = (status: string) =>
		[...sb.state.invoices.values()].find((invoice) => invoice.voucherStatus === status) as Invoice;
	const requestLine = () =>
		sb.requests.filter().map((request) => `${request.method} ${request.label} ${request.status}`);

	describe('Create', () => {
		const lineItems = {
			item: [
				{
					type: 'custom',
					name: 'Beratung',
					quantity: 2,
					unitName: 'Stunde',
					unitPrice: 100,
					taxRatePercentage: 19,
					discountPercentage: 10,
				},
				{ type: 'text', name: 'Hinweis', description: 'Vielen Dank für Ihren Auftrag' },
			],
		};
		const create = (extra: Record<string, unknown>) => ({
			resource: 'invoice',
			operation: 'create',
			addressSource: 'contact',
			contactId: byId(customer().id),
			lineItems,
			taxType: 'net',
			shippingType: 'none',
			...extra,
		});

		test('a draft for a customer, with lines, period, texts and payment conditions, read back in full', async () => {
			const contact = customer();
			const [item] = await runOperation(
				sb,
				create({
					shippingType: 'serviceperiod',
					shippingDate: '2025-03-01',
					shippingEndDate: '2025-03-31',
					voucherDate: '2025-04-01T10:00:00+02:00',
					additionalFields: {
						title: 'Rechnung März',
						introduction: 'Wir berechnen Ihnen:',
						remark: 'Zahlbar per Überweisung.',
						paymentConditions: {
							conditions: {
								paymentTermLabel: '10 Tage 2 %, 30 Tage netto',
								paymentTermDuration: 30,
								discountPercentage: 2,
								discountRange: 10,
							},
						},
					},
				}),
			);
			const stored = sb.state.invoices.get(String(item.json.id)) as Invoice;
			expect(item.json).toEqual(JSON.parse(JSON.stringify(stored)));
			expect(stored.voucherStatus).toBe('draft');
			expect(stored.address.contactId).toBe(contact.id);
			expect(stored.voucherDate).toBe('2025-04-01T10:00:00.000+02:00');
			expect(stored.shippingConditions).toEqual({
				shippingType: 'serviceperiod',
				shippingDate: '2025-03-01T00:00:00.000+01:00',
				shippingEndDate: '2025-03-31T00:00:00.000+02:00',
			});
			expect(stored.lineItems[0]).toMatchObject({
				type: 'custom',
				name: 'Beratung',
				quantity: 2,
				unitName: 'Stunde',
				unitPrice: { currency: 'EUR', netAmount: 100, taxRatePercentage: 19 },
				discountPercentage: 10,
				lineItemAmount: 180,
			});
			expect(stored.lineItems[1]).toEqual({
				type: 'text',
				name: 'Hinweis',
				description: 'Vielen Dank für Ihren Auftrag',
			});
			expect(stored.paymentConditions).toEqual({
				paymentTermLabel: '10 Tage 2 %, 30 Tage netto',
				paymentTermDuration: 30,
				paymentDiscountConditions: { discountPercentage: 2, discountRange: 10 },
			});
			expect([stored.title, stored.introduction, stored.remark]).toEqual([
				'Rechnung März',
				'Wir berechnen Ihnen:',
				'Zahlbar per Überweisung.',
			]);
			// The contact is checked to be a customer first (§4.2), then created, then read back.
			expect(requestLine()).toEqual(['GET contacts.get 200', 'POST invoices.create 201', 'GET invoices.get 200']);
		});

		test("finalized, with gross prices, for a one-time address; a picked date means the workflow's time zone", async () => {
			const [item] = await runOperation(
				sb,
				create({
					addressSource: 'oneTime',
					recipientName: 'Bike & Ride GmbH & Co. KG',
					recipientStreet: 'Musterstraße 42',
					recipientZip: '79112',
					recipientCity: 'Freiburg',
					recipientCountryCode: 'de',
					taxType: 'gross',
					finalize: true,
					// The test workflow runs in n8n's default zone, America/New_York.
					voucherDate: '2025-04-01T10:00:00',
					options: { returnFullInvoice: false },
				}),
			);
			const stored = sb.state.invoices.get(String(item.json.id)) as Invoice;
			expect(Object.keys(item.json).sort()).toEqual(['createdDate', 'id', 'resourceUri', 'updatedDate', 'version']);
			expect(stored.voucherStatus).toBe('open');
			expect(stored.address).toEqual({
				contactId: null,
				name: 'Bike & Ride GmbH & Co. KG',
				street: 'Musterstraße 42',
				zip: '79112',
				city: 'Freiburg',
				countryCode: 'DE',
			});
			expect(stored.voucherDate).toBe('2025-04-01T16:00:00.000+02:00');
			expect(stored.taxConditions.taxType).toBe('gross');
			expect(stored.lineItems[0].unitPrice).toMatchObject({ grossAmount: 100 });
			expect(sb.requests.filter({ method: 'POST' })[0].query).toEqual({ finalize: 'true' });
		});

		test("without a voucher date it is now, in LexOffice's exact format", async () => {
			const [item] = await runOperation(sb, create({}));
			const stored = sb.state.invoices.get(String(item.json.id)) as Invoice;
			expect(stored.voucherDate).toMatch(LEXOFFICE_TIMESTAMP);
			expect(Math.abs(Date.parse(stored.voucherDate) - Date.now())).toBeLessThan(60 * 60 * 1000);
		});

		test.each([
			[
				'a 500 "rate limit exceeded" after processing',
				{ status: 500, body: { message: 'Internal server error or rate limit exceeded' }, afterProcessing: true },
			],
			['a reset connection after processing', { dropConnection: true, afterProcessing: true }],
			['a 503 before processing', { status: 503 }],
		])(
			'a finalized invoice whose answer was lost (%s) is never sent again: the error says what to check',
			async (_name, fault) => {
				sb.setFaults({ failNext: [{ method: 'POST', pathIncludes: '/v1/invoices', ...fault }] });
				const before = sb.state.invoices.size;
				const error = await operationError(
					sb,
					create({
						addressSource: 'oneTime',
						recipientName: 'Ungewiss GmbH',
						recipientCountryCode: 'de',
						finalize: true,
						voucherDate: '2025-04-01T10:00:00',
					}),
				);
				expect(error.description).toBe(
					'LexOffice may have created this invoice although no answer arrived, so it was not sent again. Before running this again, look in LexOffice under Rechnungen for a finalized (numbered) invoice for "Ungewiss GmbH" dated 2025-04-01 with 2 line item(s) (the first: "Beratung"). If it is there, use it; only if it is not, create the invoice again.',
				);
				expect(sb.requests.count({ method: 'POST' })).toBe(1);
				expect(sb.state.invoices.size).toBe(before + ('afterProcessing' in fault ? 1 : 0));
			},
		);

		test('if reading the new invoice back fails, the error says it was created, with its ID', async () => {
			sb.setFaults({ failNext: [{ method: 'GET', pathIncludes: '/v1/invoices/', status: 404 }] });
			const before = sb.state.invoices.size;
			const error = await operationError(sb, create({}));
			expect(sb.state.invoices.size).toBe(before + 1);
			const created = [...sb.state.invoices.values()].pop() as Invoice;
			expect(error.message).toBe(`The invoice was created (ID ${created.id}), but reading it back failed`);
			expect(error.description).toContain('Do not run this item again');
		});

		test('a contact without the customer role is refused before the invoice is created', async () => {
			const vendor = vendorOnly();
			const error = await operationError(sb, create({ contactId: byId(vendor.id) }));
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toContain('is not a customer');
			expect(requestLine()).toEqual(['GET contacts.get 200']);
		});

		const badLine = (change: Record<string, unknown>) => ({
			lineItems: { item: [{ ...lineItems.item[0], ...change }] },
		});
		test.each([
			['a tax rate other than 0/7/19', badLine({ taxRatePercentage: 16 }), '"Line Item 1: Tax Rate" is 16 %'],
			[
				'a unit price with 5 decimals',
				badLine({ unitPrice: 1.23456 }),
				'"Line Item 1: Unit Price" has more than 4 decimal places',
			],
			['a line without name', badLine({ name: '' }), '"Line Item 1: Name" is required'],
			[
				'a line name over 255 characters',
				badLine({ name: 'n'.repeat(256) }),
				'"Line Item 1: Name" is 256 characters long',
			],
			['no line items', { lineItems: {} }, 'The invoice has no line items'],
			['a title over 25 characters', { additionalFields: { title: 'T'.repeat(26) } }, '"Title" is 26 characters long'],
			[
				'a service without shipping date',
				{ shippingType: 'service' },
				'"Shipping Date" is required for the shipping type "service"',
			],
			[
				'a period without end date',
				{ shippingType: 'deliveryperiod', shippingDate: '2025-03-01' },
				'"Shipping End Date" is required',
			],
			[
				'a period that ends before it starts',
				{ shippingType: 'serviceperiod', shippingDate: '2025-03-10', shippingEndDate: '2025-03-01' },
				'"Shipping End Date" is before "Shipping Date"',
			],
			['a broken voucher date', { voucherDate: 'yesterday' }, '"Voucher Date" is not a valid date'],
			[
				'a one-time address without name',
				{ addressSource: 'oneTime', recipientName: '', recipientCountryCode: 'DE' },
				'"Name" is required',
			],
			['a contact ID that is no UUID', { contactId: byId('RE1019') }, '"Contact" must be a LexOffice ID'],
		])('%s is refused before any request', async (_case, change, message) => {
			const error = await operationError(sb, create(change));
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toContain(message);
			expect(sb.requests.count()).toBe(0);
		});
	});

	describe('Create Draft for Contact', () => {
		test('creates a draft with one editable line and returns its edit link on the configured web app', async () => {
			const contact = customer();
			const appUrl = 'https://app.lexoffice-test.example/';
			const [item] = await runOperation(
				sb,
				{ resource: 'invoice', operation: 'createDraftForContact', contactId: byId(contact.id) },
				{ appUrl },
			);
			const stored = sb.state.invoices.get(String(item.json.id)) as Invoice;
			expect(item.json).toEqual({
				id: stored.id,
				voucherNumber: stored.voucherNumber,
				voucherStatus: 'draft',
				contactId: contact.id,
				contactName: contact.company?.name ?? `${contact.person?.firstName} ${contact.person?.lastName}`,
				editUrl: `https://app.lexoffice-test.example/permalink/invoices/edit/${stored.id}`,
				viewUrl: `https://app.lexoffice-test.example/permalink/invoices/view/${stored.id}`,
			});
			expect(stored.voucherStatus).toBe('draft');
			expect(stored.address.contactId).toBe(contact.id);
			expect(stored.lineItems).toEqual([
				expect.objectContaining({
					type: 'custom',
					name: 'Leistung',
					quantity: 1,
					unitName: 'Stück',
					unitPrice: expect.objectContaining({ netAmount: 0, taxRatePercentage: 19 }),
				}),
			]);
		});

		test('without a configured web app the links point at app.lexware.de; options shape the line', async () => {
			const [item] = await runOperation(sb, {
				resource: 'invoice',
				operation: 'createDraftForContact',
				contactId: byUrl(`https://app.lexware.de/permalink/contacts/view/${customer().id}`),
				options: {
					lineItemName: 'Wartung',
					unitPrice: 49.5,
					quantity: 3,
					taxRatePercentage: 7,
					title: 'Wartungsrechnung',
				},
			});
			expect(item.json.editUrl).toBe(`https://app.lexware.de/permalink/invoices/edit/${String(item.json.id)}`);
			const stored = sb.state.invoices.get(String(item.json.id)) as Invoice;
			expect(stored.lineItems[0]).toMatchObject({
				name: 'Wartung',
				quantity: 3,
				unitPrice: { netAmount: 49.5, taxRatePercentage: 7 },
			});
			expect(stored.title).toBe('Wartungsrechnung');
		});

		test('if reading the new draft back fails, its links are still returned (no second draft on a re-run)', async () => {
			sb.setFaults({ failNext: [{ method: 'GET', pathIncludes: '/v1/invoices/', status: 404 }] });
			const [item] = await runOperation(sb, {
				resource: 'invoice',
				operation: 'createDraftForContact',
				contactId: byId(customer().id),
			});
			expect(sb.state.invoices.has(String(item.json.id))).toBe(true);
			expect(item.json.voucherNumber).toBeUndefined();
			expect(item.json.editUrl).toBe(`https://app.lexware.de/permalink/invoices/edit/${String(item.json.id)}`);
		});

		test('a contact that is not a customer gets no draft', async () => {
			const error = await operationError(sb, {
				resource: 'invoice',
				operation: 'createDraftForContact',
				contactId: byId(vendorOnly().id),
			});
			expect(error.message).toContain('is not a customer');
			expect(error.description).toContain('customer role');
			expect(sb.requests.count({ method: 'POST' })).toBe(0);
		});
	});

	describe('Download PDF', () => {
		test("gives the document as binary data with LexOffice's media type and file name", async () => {
			const invoice = invoiceWith('open');
			const [item] = await runOperation(sb, {
				resource: 'invoice',
				operation: 'downloadPdf',
				invoiceId: byId(invoice.id),
				binaryPropertyName: 'rechnung',
			});
			const file = item.binary?.rechnung;
			expect(file).toMatchObject({
				mimeType: 'application/pdf',
				fileName: `${invoice.voucherNumber}.pdf`,
				fileExtension: 'pdf',
			});
			const bytes = Buffer.from(file?.data ?? '', 'base64');
			expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
			expect(bytes.toString('latin1')).toContain(`Rechnung ${invoice.voucherNumber}`);
			expect(item.json).toEqual({
				id: invoice.id,
				fileName: `${invoice.voucherNumber}.pdf`,
				mimeType: 'application/pdf',
				fileSize: bytes.length,
			});
			expect(sb.requests.last()).toMatchObject({ path: `/v1/invoices/${invoice.id}/file`, status: 200 });
		});

		test('a draft fails with the message to finalize it first', async () => {
			const draft = invoiceWith('draft');
			const error = await operationError(sb, {
				resource: 'invoice',
				operation: 'downloadPdf',
				invoiceId: byId(draft.id),
			});
			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toBe(`Invoice ${draft.id} is a draft: finalize the invoice in LexOffice first`);
			expect(error.httpCode).toBe('409');
			expect(error.description).toContain('The document of a draft invoice cannot be downloaded.');
			expect(error.description).toContain(`/permalink/invoices/edit/${draft.id}`);
		});

		test('with Continue On Fail a draft becomes an error item linked to its input, the others still download', async () => {
			const draft = invoiceWith('draft');
			const open = invoiceWith('paid');
			const output = await runOperation(
				sb,
				{ resource: 'invoice', operation: 'downloadPdf', invoiceId: byId('={{ $json.invoiceId }}') },
				{
					items: [
						{ json: { invoiceId: draft.id } },
						{ json: { invoiceId: 'not-an-id' } },
						{ json: { invoiceId: open.id } },
					],
					continueOnFail: true,
				},
			);
			expect(output).toHaveLength(3);
			expect(output[0]).toEqual({
				json: {
					error: `Invoice ${draft.id} is a draft: finalize the invoice in LexOffice first`,
					description: expect.stringContaining('finalize it'),
				},
				error: expect.any(NodeApiError),
				pairedItem: { item: 0 },
			});
			expect(output[1].json.error).toContain('"Invoice" must be a LexOffice ID');
			expect(output[1].pairedItem).toEqual({ item: 1 });
			expect(output[2].pairedItem).toEqual({ item: 2 });
			expect(output[2].binary?.data.fileName).toBe(`${open.voucherNumber}.pdf`);
			// The malformed ID cost no request.
			expect(sb.requests.count()).toBe(2);
		});
	});

	describe('Get and Get Permalinks', () => {
		test('Get reads the invoice', async () => {
			const invoice = invoiceWith('paid');
			const [item] = await runOperation(sb, {
				resource: 'invoice',
				operation: 'get',
				invoiceId: byId(invoice.id),
				simplify: false,
			});
			expect(item.json).toEqual(JSON.parse(JSON.stringify(invoice)));
		});

		test('Get Permalinks builds the links without asking LexOffice, and checks the ID', async () => {
			const id = 'e9066f04-8cc7-4616-93f8-ac9ecc8479c8';
			const [item] = await runOperation(
				sb,
				{
					resource: 'invoice',
					operation: 'getPermalinks',
					invoiceId: byUrl(`https://app.lexware.de/permalink/invoices/edit/${id}`),
				},
				{ appUrl: 'https://app.example.de' },
			);
			expect(item.json).toEqual({
				id,
				viewUrl: `https://app.example.de/permalink/invoices/view/${id}`,
				editUrl: `https://app.example.de/permalink/invoices/edit/${id}`,
			});
			const error = await operationError(sb, {
				resource: 'invoice',
				operation: 'getPermalinks',
				invoiceId: byId('RE1019'),
			});
			expect(error.message).toContain('"Invoice" must be a LexOffice ID');
			expect(sb.requests.count()).toBe(0);
		});
	});
});
