import { NodeApiError, NodeOperationError, type INodeParameters } from 'n8n-workflow';

import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../../sandbox/bitrix24';
import { addRecord } from '../crm/helpers';
import { caught, restCalls } from '../helpers';
import { loadOptions, run } from './run';

/** A portal whose invoice categories are 13 (default) and 16: nothing may assume category 1. */
const DEFAULT_CATEGORY = 13;
const OTHER_CATEGORY = 16;

describe('Smart Invoice (crm.item.*, entityTypeId 31)', () => {
	let sb: Bitrix24Sandbox;
	let contactIds: number[];
	let companyId: number;

	beforeAll(async () => {
		sb = await startBitrix24Sandbox({ limits: 'off', invoiceCategoryId: DEFAULT_CATEGORY });
		contactIds = [
			await addRecord(sb, 'crm.contact.add', { NAME: 'Erika', LAST_NAME: 'Mustermann' }),
			await addRecord(sb, 'crm.contact.add', { NAME: 'Max', LAST_NAME: 'Mustermann' }),
		];
		companyId = await addRecord(sb, 'crm.company.add', { TITLE: 'Muster GmbH' });
	});
	afterAll(async () => await sb.close());
	beforeEach(() => sb.requests.clear());

	const stored = (id: unknown) => sb.state.items.find((record) => record.ID === Number(id));
	const methodsCalled = () => restCalls(sb).map((call) => call.label ?? call.path.split('/').pop());

	const create = async (parameters: Record<string, unknown>) =>
		await run(sb, { parameters: { resource: 'smartInvoice', operation: 'create', ...parameters } });

	it('Create writes every field, resolves "Sent" in the default category and keeps the number', async () => {
		const { json, sent } = await create({
			title: 'Rechnung RE-2024-0042',
			stageBy: 'meaning',
			stageMeaning: 'sent',
			assignedById: { __rl: true, mode: 'id', value: '5' },
			additionalFields: {
				externalCode: 'lex-7f3a',
				accountNumber: 'RE-2024-0042',
				amount: 119,
				currency: 'eur',
				invoiceDate: '2024-05-01T00:00:00.000+02:00',
				dueDate: '2024-05-15',
				contactIds: `${contactIds[1]}, ${contactIds[0]}`,
				companyId: String(companyId),
				comments: 'Aus LexOffice importiert',
			},
		});
		const record = stored(json[0].id);
		expect(record).toMatchObject({
			TITLE: 'Rechnung RE-2024-0042',
			XML_ID: 'lex-7f3a',
			ACCOUNT_NUMBER: 'RE-2024-0042',
			CATEGORY_ID: DEFAULT_CATEGORY,
			STAGE_ID: `DT31_${DEFAULT_CATEGORY}:S`,
			OPPORTUNITY: 119,
			IS_MANUAL_OPPORTUNITY: 'Y',
			CURRENCY_ID: 'EUR',
			BEGINDATE: '2024-05-01',
			CLOSEDATE: '2024-05-15',
			CONTACT_IDS: [contactIds[1], contactIds[0]],
			CONTACT_ID: contactIds[1],
			COMPANY_ID: companyId,
			ASSIGNED_BY_ID: 5,
			COMMENTS: 'Aus LexOffice importiert',
		});
		// The stage came from the portal: categories, then that category's stages, then one write.
		expect(methodsCalled()).toEqual(['crm.category.list', 'crm.status.list', 'crm.item.add']);
		const addBody = sent.find((request) => request.method === 'crm.item.add')?.body;
		expect(addBody).toMatchObject({ entityTypeId: 31 });
		expect(addBody?.fields).not.toHaveProperty('contactId');
		expect(json[0]).toMatchObject({ stageId: `DT31_${DEFAULT_CATEGORY}:S`, xmlId: 'lex-7f3a' });
	});

	it('Create in another category puts "Paid" in that category, never a hard-coded one', async () => {
		const { json } = await create({ categoryId: String(OTHER_CATEGORY), stageBy: 'meaning', stageMeaning: 'paid' });
		expect(stored(json[0].id)).toMatchObject({ CATEGORY_ID: OTHER_CATEGORY, STAGE_ID: `DT31_${OTHER_CATEGORY}:P` });
		// The category was named, so it was not looked up.
		expect(methodsCalled()).toEqual(['crm.status.list', 'crm.item.add']);
	});

	it('create → find by external code → update → move to stage by meaning', async () => {
		const created = (await create({ additionalFields: { externalCode: 'lex-flow-1', amount: 50 } })).json[0];
		expect(stored(created.id)?.STAGE_ID).toBe(`DT31_${DEFAULT_CATEGORY}:N`);

		sb.requests.clear();
		const found = await run(sb, {
			parameters: { resource: 'smartInvoice', operation: 'findByExternalCode', externalCode: '={{ $json.code }}' },
			items: [{ json: { code: 'lex-flow-1' } }, { json: { code: 'lex-unknown' } }, { json: { code: 'lex-flow-1' } }],
		});
		expect(found.json.map((item) => item.id ?? null)).toEqual([created.id, null, created.id]);
		expect(found.json[1]).toEqual({});
		expect(found.output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		// Three items, two distinct codes, one HTTP request.
		const calls = restCalls(sb);
		expect(calls).toHaveLength(1);
		expect(calls[0].batchMethods).toEqual(['crm.item.list', 'crm.item.list']);

		const updated = await run(sb, {
			parameters: {
				resource: 'smartInvoice',
				operation: 'update',
				invoiceId: String(created.id),
				updateFields: { amount: '75,50', title: 'Neu' },
			},
		});
		expect(stored(created.id)).toMatchObject({
			OPPORTUNITY: 75.5,
			TITLE: 'Neu',
			STAGE_ID: `DT31_${DEFAULT_CATEGORY}:N`,
		});
		expect(updated.json[0]).toMatchObject({ opportunity: 75.5 });

		const moved = await run(sb, {
			parameters: {
				resource: 'smartInvoice',
				operation: 'moveToStage',
				invoiceId: String(created.id),
				stageBy: 'meaning',
				stageMeaning: 'paid',
			},
		});
		expect(stored(created.id)).toMatchObject({
			STAGE_ID: `DT31_${DEFAULT_CATEGORY}:P`,
			PREVIOUS_STAGE_ID: `DT31_${DEFAULT_CATEGORY}:N`,
		});
		expect(moved.sent.map((request) => request.method)).toEqual(['crm.item.get', 'crm.status.list', 'crm.item.update']);
		expect(moved.sent[2].body).toEqual({
			entityTypeId: 31,
			id: created.id,
			fields: { stageId: `DT31_${DEFAULT_CATEGORY}:P` },
		});
	});

	it('Move to Stage refuses a stage of another category before writing', async () => {
		const created = (await create({})).json[0];
		sb.requests.clear();
		const error = await caught(
			run(sb, {
				parameters: {
					resource: 'smartInvoice',
					operation: 'moveToStage',
					invoiceId: String(created.id),
					stageBy: 'id',
					stageId: `DT31_${OTHER_CATEGORY}:P`,
				},
			}),
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toContain(`DT31_${OTHER_CATEGORY}:P`);
		expect((error as NodeOperationError).description).toContain(`DT31_${DEFAULT_CATEGORY}:P`);
		expect(methodsCalled()).not.toContain('crm.item.update');
		expect(stored(created.id)?.STAGE_ID).toBe(`DT31_${DEFAULT_CATEGORY}:N`);
	});

	it("the stage dropdown lists the chosen category's stages, or every category's with its name", async () => {
		const ofCategory = await loadOptions(sb, 'getSmartInvoiceStages', {
			resource: 'smartInvoice',
			operation: 'create',
			categoryId: String(OTHER_CATEGORY),
		});
		expect(ofCategory.map((option) => option.value)).toEqual(
			['N', 'S', 'P', 'D'].map((code) => `DT31_${OTHER_CATEGORY}:${code}`),
		);
		expect(ofCategory.map((option) => option.name)).toEqual(['Neu', 'Versendet', 'Bezahlt', 'Nicht bezahlt']);

		const everyCategory = await loadOptions(sb, 'getSmartInvoiceStages', {
			resource: 'smartInvoice',
			operation: 'moveToStage',
		});
		expect(everyCategory).toHaveLength(8);
		expect(everyCategory[0]).toMatchObject({ name: 'Rechnungen: Neu', value: `DT31_${DEFAULT_CATEGORY}:N` });
		expect(everyCategory[4]).toMatchObject({ name: 'Abschlagsrechnungen: Neu', value: `DT31_${OTHER_CATEGORY}:N` });

		const categories = await loadOptions(sb, 'getSmartInvoiceCategories', {
			resource: 'smartInvoice',
			operation: 'create',
		});
		expect(categories).toEqual([
			expect.objectContaining({ name: 'Rechnungen (Default)', value: String(DEFAULT_CATEGORY) }),
			expect.objectContaining({ name: 'Abschlagsrechnungen', value: String(OTHER_CATEGORY) }),
		]);

		const customFields = await loadOptions(sb, 'getSmartInvoiceCustomFields', {
			resource: 'smartInvoice',
			operation: 'create',
		});
		expect(customFields).toEqual([expect.objectContaining({ name: 'Rechnung in LexOffice' })]);
	});

	it('custom fields are written under the name the dropdown offers', async () => {
		const [field] = await loadOptions(sb, 'getSmartInvoiceCustomFields', {
			resource: 'smartInvoice',
			operation: 'create',
		});
		const { json } = await create({
			additionalFields: {
				customFields: {
					field: [{ name: field.value, value: 'https://app.lexoffice.de/permalink/invoices/view/lex-7f3a' }],
				},
			},
		});
		expect(stored(json[0].id)?.UF_CRM_SMART_INVOICE_LEXOFFICE_URL).toBe(
			'https://app.lexoffice.de/permalink/invoices/view/lex-7f3a',
		);
	});

	it.each([
		[{ amount: 'zwölf' }, 'Amount'],
		[{ invoiceDate: '31.02.2024x' }, 'Invoice Date'],
		[{ contactIds: 'Erika' }, 'Contact IDs'],
		[{ currency: 'Euro' }, 'Currency'],
		[{ companyId: '-3' }, 'Company ID'],
	])('a bad value %p is refused naming "%s", before anything is sent', async (additionalFields, label) => {
		const error = await caught(create({ additionalFields }));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toContain(`"${label}"`);
		expect(restCalls(sb)).toHaveLength(0);
	});

	it('Get Many filters by stage and pages with the >id scan', async () => {
		for (let index = 0; index < 3; index++)
			await create({ categoryId: String(OTHER_CATEGORY), stageBy: 'meaning', stageMeaning: 'failed' });
		const { json, sent } = await run(sb, {
			parameters: {
				resource: 'smartInvoice',
				operation: 'getMany',
				returnAll: true,
				filters: { stageId: `DT31_${OTHER_CATEGORY}:D` },
			},
		});
		const expected = sb.state.items
			.filter((record) => record.STAGE_ID === `DT31_${OTHER_CATEGORY}:D`)
			.map((record) => record.ID);
		expect(json.map((item) => item.id)).toEqual(expected);
		expect(expected.length).toBeGreaterThanOrEqual(3);
		const list = sent.find((request) => request.method === 'crm.item.list')?.body;
		expect(list).toMatchObject({
			entityTypeId: 31,
			start: -1,
			order: { id: 'ASC' },
			filter: { stageId: `DT31_${OTHER_CATEGORY}:D`, '>id': 0 },
		});
	});

	it("Get of a missing invoice fails with Bitrix24's own text; with continueOnFail it is an error item", async () => {
		const error = await caught(
			run(sb, { parameters: { resource: 'smartInvoice', operation: 'get', invoiceId: '999999' } }),
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Element not found');

		const { output } = await run(sb, {
			parameters: { resource: 'smartInvoice', operation: 'get', invoiceId: '={{ $json.id }}' },
			items: [{ json: { id: 999999 } }, { json: { id: sb.state.items[0].ID } }],
			continueOnFail: true,
		});
		expect(output[0]).toMatchObject({ json: { error: 'Element not found' }, pairedItem: { item: 0 } });
		expect(output[1]).toMatchObject({ json: { id: sb.state.items[0].ID }, pairedItem: { item: 1 } });
	});
});

describe('Smart Invoice on a portal that ignores accountNumber (bitrix24-api.md §6 VERIFY)', () => {
	let sb: Bitrix24Sandbox;
	beforeAll(async () => {
		sb = await startBitrix24Sandbox({ limits: 'off', invoiceCategoryId: 5, smartInvoiceAccountNumber: 'ignored' });
	});
	afterAll(async () => await sb.close());
	beforeEach(() => sb.requests.clear());

	const stored = (id: unknown) => sb.state.items.find((record) => record.ID === Number(id));
	const createWith = async (additionalFields: INodeParameters, title = '') =>
		(await run(sb, { parameters: { resource: 'smartInvoice', operation: 'create', title, additionalFields } })).json[0];

	it('the sandbox drops the number on crm.item.add', async () => {
		const response = await fetch(`${sb.webhookUrl}crm.item.add`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ entityTypeId: 31, fields: { accountNumber: 'RE-1' } }),
		});
		const { result } = (await response.json()) as { result: { item: { id: number; accountNumber: string } } };
		expect(result.item.accountNumber).not.toBe('RE-1');
	});

	it('without a title, the title carries the number', async () => {
		const invoice = await createWith({ accountNumber: 'RE-2024-0007' });
		expect(stored(invoice.id)?.TITLE).toBe('Rechnung RE-2024-0007');
		expect(invoice.title).toBe('Rechnung RE-2024-0007');
		expect(restCalls(sb).map((call) => call.label)).toEqual(['crm.item.add', 'crm.item.update']);
	});

	it('a title without the number gets it appended; one that has it is left alone', async () => {
		expect(stored((await createWith({ accountNumber: 'RE-8' }, 'Abschlag')).id)?.TITLE).toBe('Abschlag (RE-8)');
		sb.requests.clear();
		expect(stored((await createWith({ accountNumber: 'RE-9' }, 'Rechnung RE-9')).id)?.TITLE).toBe('Rechnung RE-9');
		expect(restCalls(sb).map((call) => call.label)).toEqual(['crm.item.add']);
	});
});
