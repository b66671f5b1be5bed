import { NodeApiError, NodeOperationError, type IDataObject, type INodeParameters } from 'n8n-workflow';

import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../../sandbox/bitrix24';
import { caught, restCalls } from '../helpers';
import { addRecord, emailsOf, mapperValue, runBitrix24 } from './helpers';

describe('Contact and Company: Get, Get Many, Create, Update, Delete', () => {
	let sb: Bitrix24Sandbox;
	beforeAll(async () => {
		sb = await startBitrix24Sandbox({ limits: 'off' });
	});
	afterAll(async () => await sb.close());
	beforeEach(() => sb.requests.clear());

	const contact = (id: number) => sb.state.contacts.find((record) => record.ID === id);

	describe('Update replaces multifields (bitrix24-api.md §4.2)', () => {
		let id: number;
		let ids: Record<string, string>;
		beforeEach(async () => {
			id = await addRecord(sb, 'crm.contact.add', {
				NAME: 'Erika',
				EMAIL: [
					{ VALUE: 'erika@alt.de', VALUE_TYPE: 'WORK' },
					{ VALUE: 'erika@privat.de', VALUE_TYPE: 'HOME' },
				],
				PHONE: [{ VALUE: '030 123456', VALUE_TYPE: 'WORK' }],
			});
			ids = Object.fromEntries(
				(contact(id)?.EMAIL as Array<{ ID: number; VALUE: string }>).map((entry) => [entry.VALUE, String(entry.ID)]),
			);
			sb.requests.clear();
		});

		const update = async (value: IDataObject, options: INodeParameters = {}) => {
			const recordFields = await mapperValue(sb, 'contact', 'update', value);
			sb.requests.clear();
			return await runBitrix24(sb, {
				parameters: { resource: 'contact', operation: 'update', recordId: String(id), recordFields, options },
			});
		};

		it('a new list replaces the old one: kept by ID, changed by ID, nothing appended', async () => {
			const { json, sent } = await update({ EMAIL: ['erika@privat.de', 'erika@neu.de'] });
			expect(emailsOf(contact(id))).toEqual(['erika@neu.de', 'erika@privat.de']);
			const updateBody = sent.find((request) => request.method === 'crm.contact.update')?.body;
			expect(updateBody?.fields).toEqual({
				EMAIL: [{ ID: ids['erika@alt.de'], VALUE: 'erika@neu.de', VALUE_TYPE: 'WORK' }],
			});
			expect(emailsOf(json[0])).toEqual(['erika@neu.de', 'erika@privat.de']);
			// The phone was not mapped, so it is untouched.
			expect((contact(id)?.PHONE as unknown[]).length).toBe(1);
		});

		it('a value left out of the list is deleted by its ID', async () => {
			const { sent } = await update({ EMAIL: ['erika@privat.de'] });
			expect(emailsOf(contact(id))).toEqual(['erika@privat.de']);
			expect(sent.find((request) => request.method === 'crm.contact.update')?.body.fields).toEqual({
				EMAIL: [{ ID: ids['erika@alt.de'], DELETE: 'Y' }],
			});
		});

		it('an empty list removes every value', async () => {
			await update({ EMAIL: [] });
			expect(emailsOf(contact(id))).toEqual([]);
		});

		it('"Append Instead of Replace" adds, and never adds a value twice', async () => {
			await update({ EMAIL: ['erika@neu.de', 'ERIKA@alt.de'] }, { appendMultifields: true });
			expect(emailsOf(contact(id))).toEqual(['erika@alt.de', 'erika@neu.de', 'erika@privat.de']);
			await update({ EMAIL: ['erika@neu.de'] }, { appendMultifields: true });
			expect(emailsOf(contact(id))).toHaveLength(3);
		});

		it('without multifields it does not read the record first: update, then get', async () => {
			await update({ POST: 'Einkauf' });
			expect(contact(id)?.POST).toBe('Einkauf');
			expect(restCalls(sb).map((call) => call.label)).toEqual([
				'crm.contact.fields',
				'crm.contact.update',
				'crm.contact.get',
			]);
		});
	});

	it('Create writes the mapped values and returns the stored record; Get returns multifields and custom fields', async () => {
		const recordFields = await mapperValue(sb, 'contact', 'create', {
			NAME: '={{ $json.first }}',
			LAST_NAME: 'Weiß',
			UF_CRM_KUNDENNUMMER: '={{ $json.number }}',
			EMAIL: '={{ [$json.email] }}',
			PHONE: '={{ [{ VALUE: "+49 89 4711", VALUE_TYPE: "MOBILE" }] }}',
		});
		const { json } = await runBitrix24(sb, {
			parameters: { resource: 'contact', operation: 'create', recordFields },
			items: [
				{ json: { first: 'Jörg', number: 'K-1001', email: 'joerg@weiss.de' } },
				{ json: { first: 'Änne', number: 'K-1002', email: 'aenne@weiss.de' } },
			],
		});
		expect(json.map((record) => [record.NAME, record.UF_CRM_KUNDENNUMMER, emailsOf(record)])).toEqual([
			['Jörg', 'K-1001', ['joerg@weiss.de']],
			['Änne', 'K-1002', ['aenne@weiss.de']],
		]);
		const stored = contact(Number(json[0].ID));
		expect(stored).toMatchObject({ NAME: 'Jörg', LAST_NAME: 'Weiß', UF_CRM_KUNDENNUMMER: 'K-1001' });
		expect(stored?.PHONE).toEqual([expect.objectContaining({ VALUE: '+49 89 4711', VALUE_TYPE: 'MOBILE' })]);

		const { json: got } = await runBitrix24(sb, {
			parameters: { resource: 'contact', operation: 'get', recordId: String(json[0].ID), simplify: false },
		});
		expect(got[0]).toMatchObject({
			ID: String(json[0].ID),
			UF_CRM_KUNDENNUMMER: 'K-1001',
			PHONE: [expect.objectContaining({ VALUE: '+49 89 4711' })],
		});
	});

	it('Company → Create: TITLE is required by the portal; Bitrix24 refuses a company without it', async () => {
		const recordFields = await mapperValue(sb, 'company', 'create', {
			TITLE: 'Müller & Söhne GmbH',
			REVENUE: '125000.50',
		});
		expect(recordFields.schema.find((field) => field.id === 'TITLE')?.required).toBe(true);
		const { json } = await runBitrix24(sb, { parameters: { resource: 'company', operation: 'create', recordFields } });
		expect(sb.state.companies.find((company) => company.ID === Number(json[0].ID))).toMatchObject({
			TITLE: 'Müller & Söhne GmbH',
			REVENUE: 125000.5,
		});

		const error = await caught(
			runBitrix24(sb, {
				parameters: {
					resource: 'company',
					operation: 'create',
					recordFields: await mapperValue(sb, 'company', 'create', { COMMENTS: 'x' }),
				},
			}),
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toContain('is required');
	});

	it("Delete removes the record; Get of a missing record fails with Bitrix24's message", async () => {
		const id = await addRecord(sb, 'crm.company.add', { TITLE: 'Kurzlebig AG' });
		const { json } = await runBitrix24(sb, {
			parameters: { resource: 'company', operation: 'delete', recordId: String(id) },
		});
		expect(json).toEqual([{ id, deleted: true }]);
		expect(sb.state.companies.some((company) => company.ID === id)).toBe(false);

		const { json: failed } = await runBitrix24(sb, {
			parameters: { resource: 'company', operation: 'get', recordId: String(id) },
			continueOnFail: true,
		});
		expect(failed[0].error).toBe('Not found');
	});

	it('a record id that is not a number fails before anything is sent', async () => {
		const error = await caught(
			runBitrix24(sb, { parameters: { resource: 'contact', operation: 'get', recordId: 'Anna' } }),
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toContain('Contact ID');
		expect(restCalls(sb)).toHaveLength(0);
	});

	describe('Get Many', () => {
		beforeAll(() => {
			sb.reset({ seed: { contacts: 137, companies: 3 } });
		});
		const total = () => sb.state.contacts.length;

		it('Return All walks every page with the fast scan: order ID ASC, >ID cursor, start=-1', async () => {
			const { json, sent } = await runBitrix24(sb, {
				parameters: { resource: 'contact', operation: 'getMany', returnAll: true, simplify: false },
			});
			expect(json.map((row) => Number(row.ID))).toEqual(
				sb.state.contacts.map((record) => record.ID).sort((a, b) => a - b),
			);
			expect(sent.length).toBe(Math.floor(total() / 50) + 1);
			expect(sent.length).toBeGreaterThanOrEqual(3);
			expect(sent.every((request) => request.method === 'crm.contact.list' && request.body.start === -1)).toBe(true);
			const lastIdOfEachFullPage = Array.from({ length: sent.length - 1 }, (_, page) =>
				Number(json[page * 50 + 49].ID),
			);
			expect(sent.map((request) => (request.body.filter as IDataObject)['>ID'])).toEqual([0, ...lastIdOfEachFullPage]);
			// Every field by default, multifields and custom fields included (§4.2 select rules).
			expect(sent[0].body.select).toEqual(['*', 'UF_*', 'EMAIL', 'PHONE', 'WEB', 'IM']);
			expect(json.filter((row) => Array.isArray(row.EMAIL)).length).toBeGreaterThan(0);
		});

		it('Limit stops early; filters and the JSON filter combine; select keeps ID', async () => {
			const [someone] = sb.state.contacts.slice(-1);
			const { json: limited, sent } = await runBitrix24(sb, {
				parameters: { resource: 'contact', operation: 'getMany', limit: 7 },
			});
			expect(limited).toHaveLength(7);
			expect(sent).toHaveLength(1);

			const { json } = await runBitrix24(sb, {
				parameters: {
					resource: 'contact',
					operation: 'getMany',
					returnAll: true,
					filters: { conditions: [{ field: 'LAST_NAME', value: someone.LAST_NAME as string }] },
					options: { select: ['NAME', 'LAST_NAME'], jsonFilter: JSON.stringify({ '<=ID': someone.ID }) },
				},
			});
			const expected = sb.state.contacts.filter(
				(record) => record.LAST_NAME === someone.LAST_NAME && record.ID <= someone.ID,
			);
			expect(json.map((row) => Number(row.ID))).toEqual(expected.map((record) => record.ID));
			expect(Object.keys(json[0]).sort()).toEqual(['ID', 'LAST_NAME', 'NAME']);
		});

		it('a JSON filter that is not an object is refused before anything is sent', async () => {
			const error = await caught(
				runBitrix24(sb, {
					parameters: { resource: 'contact', operation: 'getMany', options: { jsonFilter: '[1,2]' } },
				}),
			);
			expect(error.message).toContain('JSON Filter');
			expect(restCalls(sb)).toHaveLength(0);
		});
	});
});
