import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../../sandbox/bitrix24';
import { SIMPLE_CRM_FIELDS } from '../../../../nodes/Bitrix24/actions/shared/crmRecordSimplify';
import { addRecord, runBitrix24 } from './helpers';

/** Simplify (node version 2, default on) on Contact/Company Get and Get Many; version 1 keeps full records. */
describe('Bitrix24 node: Simplify on contacts and companies', () => {
	let sb: Bitrix24Sandbox;
	let contactId: number;
	let companyId: number;
	beforeAll(async () => {
		sb = await startBitrix24Sandbox({ limits: 'off' });
		companyId = await addRecord(sb, 'crm.company.add', {
			TITLE: 'Simpel & Söhne KG',
			EMAIL: [{ VALUE: 'info@simpel.de', VALUE_TYPE: 'WORK' }],
			ORIGINATOR_ID: 'lexoffice',
			ORIGIN_ID: 'c-1',
		});
		contactId = await addRecord(sb, 'crm.contact.add', {
			NAME: 'Jörg',
			LAST_NAME: 'Weiß',
			COMPANY_ID: companyId,
			EMAIL: [
				{ VALUE: 'joerg@simpel.de', VALUE_TYPE: 'WORK' },
				{ VALUE: 'joerg@privat.de', VALUE_TYPE: 'HOME' },
			],
			PHONE: [{ VALUE: '+49 89 4711', VALUE_TYPE: 'MOBILE' }],
			UF_CRM_KUNDENNUMMER: 'K-1',
		});
	});
	afterAll(async () => await sb.close());

	const get = async (resource: 'contact' | 'company', id: number, extra: object = {}, typeVersion?: number) =>
		(await runBitrix24(sb, { parameters: { resource, operation: 'get', recordId: String(id), ...extra }, typeVersion }))
			.json[0];

	it('Contact Get: by default only the documented fields, EMAIL and PHONE as the first value', async () => {
		const simple = await get('contact', contactId);
		expect(Object.keys(simple)).toEqual([...SIMPLE_CRM_FIELDS.contact]);
		expect(simple).toMatchObject({
			ID: String(contactId),
			NAME: 'Jörg',
			LAST_NAME: 'Weiß',
			EMAIL: 'joerg@simpel.de',
			PHONE: '+49 89 4711',
		});
		expect(String(simple.COMPANY_ID)).toBe(String(companyId));
	});

	it('Company Get: the documented fields; Simplify off and node version 1 return the full record', async () => {
		const simple = await get('company', companyId);
		expect(Object.keys(simple)).toEqual([...SIMPLE_CRM_FIELDS.company]);
		expect(simple).toMatchObject({
			TITLE: 'Simpel & Söhne KG',
			EMAIL: 'info@simpel.de',
			PHONE: null,
			ORIGIN_ID: 'c-1',
		});
		const full = await get('company', companyId, { simplify: false });
		expect(full.EMAIL).toEqual([expect.objectContaining({ VALUE: 'info@simpel.de' })]);
		expect(Object.keys(full).length).toBeGreaterThan(SIMPLE_CRM_FIELDS.company.length);
		expect(await get('company', companyId, {}, 1)).toEqual(full);
	});

	it('Contact Get: Simplify off equals version 1 and keeps custom fields and multifields', async () => {
		const full = await get('contact', contactId, { simplify: false });
		expect(full).toMatchObject({
			UF_CRM_KUNDENNUMMER: 'K-1',
			PHONE: [expect.objectContaining({ VALUE: '+49 89 4711' })],
		});
		expect(await get('contact', contactId, {}, 1)).toEqual(full);
	});

	it('Get Many: simplified rows by default, full rows when off, chosen fields as chosen', async () => {
		const run = async (resource: 'contact' | 'company', extra: object = {}, typeVersion?: number) =>
			(
				await runBitrix24(sb, {
					parameters: { resource, operation: 'getMany', returnAll: true, ...extra },
					typeVersion,
				})
			).json;
		const contacts = await run('contact');
		expect(contacts.map((row) => Object.keys(row))).toEqual(contacts.map(() => [...SIMPLE_CRM_FIELDS.contact]));
		expect(contacts.find((row) => row.ID === String(contactId))).toMatchObject({ EMAIL: 'joerg@simpel.de' });
		const companies = await run('company');
		expect(companies.map((row) => Object.keys(row))).toEqual(companies.map(() => [...SIMPLE_CRM_FIELDS.company]));

		const full = await run('contact', { simplify: false });
		expect(full.find((row) => row.ID === String(contactId))).toMatchObject({ UF_CRM_KUNDENNUMMER: 'K-1' });
		expect(await run('contact', {}, 1)).toEqual(full);

		const chosen = await run('contact', { options: { select: ['NAME', 'UF_CRM_KUNDENNUMMER'] } });
		expect(chosen.find((row) => row.ID === String(contactId))).toEqual({
			ID: String(contactId),
			NAME: 'Jörg',
			UF_CRM_KUNDENNUMMER: 'K-1',
		});
	});
});
