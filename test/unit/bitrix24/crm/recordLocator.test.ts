import { NodeOperationError } from 'n8n-workflow';

import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../../sandbox/bitrix24';
import { caught, restCalls } from '../helpers';
import { listSearch } from '../invoices/run';
import { addRecord, runBitrix24 } from './helpers';

/** Contact/Company Get, Update and Delete name their record by a resource locator (node version 2). */
describe('Bitrix24 node: contact and company locators (list, URL of the card, ID)', () => {
	let sb: Bitrix24Sandbox;
	let contactId: number;
	let companyId: number;
	beforeAll(async () => {
		sb = await startBitrix24Sandbox({ limits: 'off', seed: { contacts: 60, companies: 3 } });
		contactId = await addRecord(sb, 'crm.contact.add', { NAME: 'Lotte', LAST_NAME: 'Locatorowa' });
		companyId = await addRecord(sb, 'crm.company.add', { TITLE: 'Locator Werke AG' });
	});
	afterAll(async () => await sb.close());
	beforeEach(() => sb.requests.clear());

	const rl = (mode: 'list' | 'url' | 'id', value: string) => ({ __rl: true, mode, value });
	const cardUrl = (entity: string, id: number) => `https://b24-test.bitrix24.de/crm/${entity}/details/${id}/`;

	it('Get by the URL of the card, by ID and from the list reads that record', async () => {
		for (const recordId of [
			rl('url', cardUrl('contact', contactId)),
			rl('id', String(contactId)),
			rl('list', String(contactId)),
		]) {
			const { json } = await runBitrix24(sb, {
				parameters: { resource: 'contact', operation: 'get', recordId, simplify: false },
			});
			expect(json[0]).toMatchObject({ ID: String(contactId), LAST_NAME: 'Locatorowa' });
		}
		const { json } = await runBitrix24(sb, {
			parameters: {
				resource: 'company',
				operation: 'get',
				recordId: rl('url', `${cardUrl('company', companyId)}?IFRAME=Y`),
			},
		});
		expect(json[0]).toMatchObject({ ID: String(companyId), TITLE: 'Locator Werke AG' });
	});

	it('Delete takes the URL of the card', async () => {
		const id = await addRecord(sb, 'crm.company.add', { TITLE: 'Kurz AG' });
		const { json } = await runBitrix24(sb, {
			parameters: { resource: 'company', operation: 'delete', recordId: rl('url', cardUrl('company', id)) },
		});
		expect(json).toEqual([{ id, deleted: true }]);
		expect(sb.state.companies.some((company) => company.ID === id)).toBe(false);
	});

	it("a URL that is not this entity's card fails before anything is sent", async () => {
		const error = await caught(
			runBitrix24(sb, {
				parameters: { resource: 'contact', operation: 'get', recordId: rl('url', cardUrl('company', companyId)) },
			}),
		);
		expect(error).toBeInstanceOf(Error);
		expect(restCalls(sb)).toHaveLength(0);
		const notNumeric = await caught(
			runBitrix24(sb, { parameters: { resource: 'contact', operation: 'get', recordId: rl('id', 'Lotte') } }),
		);
		expect(notNumeric).toBeInstanceOf(NodeOperationError);
		expect(notNumeric.message).toContain('Contact ID "Lotte"');
		expect(restCalls(sb)).toHaveLength(0);
	});

	it('node version 1 keeps the plain ID field its saved workflows hold', async () => {
		const { json } = await runBitrix24(sb, {
			parameters: { resource: 'contact', operation: 'get', recordId: String(contactId) },
			typeVersion: 1,
		});
		expect(json[0]).toMatchObject({ ID: String(contactId), LAST_NAME: 'Locatorowa' });
	});

	it('the list pages through contacts and searches last names and company titles', async () => {
		const first = await listSearch(sb, 'searchContacts');
		expect(first.results).toHaveLength(50);
		expect(first.paginationToken).toBe('50');
		const second = await listSearch(sb, 'searchContacts', undefined, first.paginationToken as string);
		const ids = [...first.results, ...second.results].map((result) => result.value);
		expect(new Set(ids).size).toBe(sb.state.contacts.length);
		expect(second.paginationToken).toBeUndefined();

		expect((await listSearch(sb, 'searchContacts', 'Locator')).results).toEqual([
			{ name: `Lotte Locatorowa (${contactId})`, value: String(contactId) },
		]);
		expect((await listSearch(sb, 'searchCompanies', 'Werke')).results).toEqual([
			{ name: `Locator Werke AG (${companyId})`, value: String(companyId) },
		]);
	});
});
