import type { IDataObject } from 'n8n-workflow';

import { PRESET_XML_IDS, startBitrix24Sandbox, type Bitrix24Sandbox } from '../../../sandbox/bitrix24';
import { restCalls } from '../helpers';
import {
	addOwners,
	addressesOfRequisite,
	batchMethodsPerRequest,
	companyRow,
	companyUpsertParameters,
	presetIdByXmlId,
	runRequisites,
	writeMethods,
	type CompanyRow,
} from './helpers';
import { HEAVY_TEST_TIMEOUT_MS } from '../../../helpers/timeouts';

describe('Requisite → Create or Update (batched, with billing and shipping address)', () => {
	let sb: Bitrix24Sandbox;
	// Preset ids start at 31, and the first template in the list is a hand-made one.
	beforeAll(async () => (sb = await startBitrix24Sandbox({ limits: 'off', presetIdOffset: 30 })));
	afterAll(async () => await sb.close());
	beforeEach(() => sb.reset());

	const companies = async (count: number): Promise<CompanyRow[]> =>
		(
			await addOwners(
				sb,
				'crm.company.add',
				Array.from({ length: count }, (_, index) => `Firma ${index}`),
			)
		).map(companyRow);

	it('creates requisite, billing and shipping address in one batch request, field by field', async () => {
		const [row] = await companies(1);
		const { json } = await runRequisites(sb, companyUpsertParameters(), [row]);

		const writes = batchMethodsPerRequest(sb).filter((methods) => methods.some((method) => /\.add$/.test(method)));
		expect(writes).toEqual([['crm.requisite.add', 'crm.address.add', 'crm.address.add']]);
		const requisite = sb.state.requisites.find((candidate) => candidate.ID === json[0].requisiteId);
		expect(json[0]).toEqual({
			action: 'created',
			requisiteId: expect.any(Number),
			addresses: [
				{ role: 'billing', typeId: 6, action: 'created' },
				{ role: 'shipping', typeId: 11, action: 'created' },
			],
		});
		expect(requisite).toMatchObject({
			ENTITY_TYPE_ID: 4,
			ENTITY_ID: row.companyId,
			PRESET_ID: presetIdByXmlId(sb, PRESET_XML_IDS.legalEntity),
			XML_ID: row.lexofficeId,
			NAME: row.name,
			RQ_COMPANY_NAME: row.name,
			RQ_VAT_ID: row.vatId,
			RQ_INN: row.taxNumber,
		});
		const byType = Object.fromEntries(
			addressesOfRequisite(sb, requisite?.ID).map((address) => [address.TYPE_ID, address]),
		);
		expect(byType[6]).toMatchObject({
			ADDRESS_1: row.billing.street,
			ADDRESS_2: 'Buchhaltung',
			POSTAL_CODE: '10115',
			CITY: 'Berlin',
			COUNTRY_CODE: 'DE',
			COUNTRY: 'Deutschland',
			ANCHOR_TYPE_ID: 4,
			ANCHOR_ID: row.companyId,
		});
		// The item's lower-case "de" is written as the code Bitrix24 expects.
		expect(byType[11]).toMatchObject({
			ADDRESS_1: row.shipping.street,
			CITY: 'München',
			COUNTRY_CODE: 'DE',
			COUNTRY: 'Deutschland',
		});
		expect(Object.keys(byType).sort()).toEqual(['11', '6']);
	});

	it('writes nothing on a second run with the same data, and only the changed address after a move', async () => {
		const [row] = await companies(1);
		const first = await runRequisites(sb, companyUpsertParameters(), [row]);
		const requisiteId = first.json[0].requisiteId;
		// An address of a type the node does not manage, added by a person.
		await fetch(`${sb.webhookUrl}crm.address.add`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({
				fields: { TYPE_ID: 1, ENTITY_TYPE_ID: 8, ENTITY_ID: requisiteId, ADDRESS_1: 'Werkstor 3' },
			}),
		});

		const again = await runRequisites(sb, companyUpsertParameters(), [row]);
		expect(writeMethods(sb)).toEqual([]);
		expect(again.json[0]).toEqual({
			action: 'unchanged',
			requisiteId,
			addresses: [
				{ role: 'billing', typeId: 6, action: 'unchanged' },
				{ role: 'shipping', typeId: 11, action: 'unchanged' },
			],
		});

		const moved = { ...row, billing: { ...row.billing, street: 'Friedrichstraße 100' } };
		const third = await runRequisites(sb, companyUpsertParameters(), [moved]);
		expect(writeMethods(sb)).toEqual(['crm.address.update']);
		expect(third.json[0]).toMatchObject({
			action: 'updated',
			requisiteId,
			addresses: [
				{ typeId: 6, action: 'updated' },
				{ typeId: 11, action: 'unchanged' },
			],
		});
		const addresses = addressesOfRequisite(sb, requisiteId);
		expect(addresses.find((address) => address.TYPE_ID === 6)?.ADDRESS_1).toBe('Friedrichstraße 100');
		expect(addresses.find((address) => address.TYPE_ID === 1)?.ADDRESS_1).toBe('Werkstor 3');
		expect(addresses).toHaveLength(3);
		expect(sb.state.requisites).toHaveLength(1);
	});

	it('gives a contact the person template, named after the person', async () => {
		const [contactId] = await addOwners(sb, 'crm.contact.add', ['Jürgen']);
		const { json } = await runRequisites(
			sb,
			{
				resource: 'requisite',
				operation: 'upsert',
				entityType: 'contact',
				entityId: '={{ $json.contactId }}',
				externalKey: 'lexoffice-person-1',
				requisiteFields: { firstName: 'Jürgen', lastName: 'Weiß' },
			},
			[{ contactId }],
		);
		expect(json[0]).toMatchObject({ action: 'created', addresses: [] });
		expect(sb.state.requisites[0]).toMatchObject({
			ENTITY_TYPE_ID: 3,
			ENTITY_ID: contactId,
			PRESET_ID: presetIdByXmlId(sb, PRESET_XML_IDS.person),
			NAME: 'Jürgen Weiß',
			RQ_FIRST_NAME: 'Jürgen',
			RQ_LAST_NAME: 'Weiß',
		});
		expect(sb.state.requisites[0].PRESET_ID).not.toBe(presetIdByXmlId(sb, PRESET_XML_IDS.legalEntity));
	});

	it('leaves an address the item leaves empty, unless "Remove Missing Addresses" is on', async () => {
		const [row] = await companies(1);
		const { json } = await runRequisites(sb, companyUpsertParameters(), [row]);
		const withoutShipping = { ...row, shipping: { street: '', supplement: '', zip: '', city: '', countryCode: '' } };

		const kept = await runRequisites(sb, companyUpsertParameters(), [withoutShipping]);
		expect(writeMethods(sb)).toEqual([]);
		expect(kept.json[0].addresses).toEqual([
			{ role: 'billing', typeId: 6, action: 'unchanged' },
			{ role: 'shipping', typeId: 11, action: 'skipped' },
		]);
		expect(addressesOfRequisite(sb, json[0].requisiteId)).toHaveLength(2);

		const removed = await runRequisites(sb, companyUpsertParameters({ options: { removeMissingAddresses: true } }), [
			withoutShipping,
		]);
		expect(writeMethods(sb)).toEqual(['crm.address.delete']);
		expect((removed.json[0].addresses as IDataObject[])[1]).toEqual({
			role: 'shipping',
			typeId: 11,
			action: 'deleted',
		});
		expect(addressesOfRequisite(sb, json[0].requisiteId).map((address) => address.TYPE_ID)).toEqual([6]);
	});

	it('takes over an unkeyed requisite of the same template instead of adding a second one', async () => {
		const [row] = await companies(1);
		const presetId = presetIdByXmlId(sb, PRESET_XML_IDS.legalEntity);
		const made = await fetch(`${sb.webhookUrl}crm.requisite.add`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({
				fields: {
					ENTITY_TYPE_ID: 4,
					ENTITY_ID: row.companyId,
					PRESET_ID: presetId,
					NAME: 'Von Hand',
					RQ_VAT_ID: 'DE999',
				},
			}),
		});
		const handMadeId = Number(((await made.json()) as { result: number }).result);

		const { json } = await runRequisites(sb, companyUpsertParameters(), [row]);
		expect(json[0]).toMatchObject({ action: 'updated', requisiteId: handMadeId });
		expect(sb.state.requisites).toHaveLength(1);
		// The name was not mapped, so the hand-made one stays; the key is set for the next run.
		expect(sb.state.requisites[0]).toMatchObject({ NAME: 'Von Hand', XML_ID: row.lexofficeId, RQ_VAT_ID: row.vatId });
	});

	it('fails only the item whose command Bitrix24 refuses (unknown template id)', async () => {
		const rows = await companies(3);
		const { json } = await runRequisites(sb, companyUpsertParameters({ presetId: '={{ $json.presetId }}' }), [
			{ ...rows[0], presetId: '' },
			{ ...rows[1], presetId: '99999' },
			{ ...rows[2], presetId: String(presetIdByXmlId(sb, PRESET_XML_IDS.legalEntity)) },
		]);
		expect(json.map((row) => row.action)).toEqual(['created', 'failed', 'created']);
		expect(json[1]).toMatchObject({
			requisiteId: null,
			error: expect.stringContaining('PRESET_ID'),
			errorCode: expect.any(String),
		});
		expect((json[1].addresses as IDataObject[]).map((address) => address.action)).toEqual(['failed', 'failed']);
		expect(sb.state.requisites.map((requisite) => requisite.ENTITY_ID).sort()).toEqual(
			[rows[0].companyId, rows[2].companyId].sort(),
		);
		expect(sb.state.addresses).toHaveLength(4);
	});

	it(
		'200 owners cost the lookups plus ceil(commands / 50) batch requests',
		async () => {
			const rows = await companies(200);
			const first = await runRequisites(sb, companyUpsertParameters(), rows);
			expect(first.json.every((row) => row.action === 'created')).toBe(true);
			expect(sb.state.requisites).toHaveLength(200);
			expect(sb.state.addresses).toHaveLength(400);
			let requests = batchMethodsPerRequest(sb);
			expect(restCalls(sb).every((call) => call.path.endsWith('/batch'))).toBe(true);
			// Round 1: templates + 5 requisite lists (45 owners each) in one request; nothing found, so no address round.
			expect(requests[0]).toEqual(['crm.requisite.preset.list', ...Array(5).fill('crm.requisite.list')]);
			// Writes: 600 commands in groups of 3 (a requisite and the addresses that refer to it) that
			// stay together, so 16 groups = 48 commands fill one request.
			const writes = requests.slice(1);
			expect(writes.flat()).toHaveLength(600);
			expect(writes).toHaveLength(Math.ceil(200 / Math.floor(50 / 3)));
			expect(writes.every((methods) => methods.length <= 50)).toBe(true);

			const moved = rows.map((row) => ({ ...row, shipping: { ...row.shipping, street: `${row.shipping.street}a` } }));
			const second = await runRequisites(sb, companyUpsertParameters(), moved);
			expect(second.json.every((row) => row.action === 'updated')).toBe(true);
			requests = batchMethodsPerRequest(sb);
			const lookupRequests = requests.filter((methods) => methods.every((method) => /\.list$/.test(method)));
			// Round 1 as above, round 2: 50 address lists (4 requisites each) in one request.
			expect(lookupRequests).toHaveLength(2);
			expect(writeMethods(sb)).toEqual(Array(200).fill('crm.address.update'));
			expect(requests).toHaveLength(lookupRequests.length + Math.ceil(200 / 50));
			expect(
				sb.state.addresses
					.filter((address) => address.TYPE_ID === 11)
					.every((address) => String(address.ADDRESS_1).endsWith('a')),
			).toBe(true);
		},
		HEAVY_TEST_TIMEOUT_MS,
	);

	it('fails a bad item alone, naming the field and the fix; the others are written', async () => {
		const [row] = await companies(1);
		const bad = { ...row, billing: { ...row.billing, countryCode: 'Deutschland' } };
		const { json } = await runRequisites(sb, companyUpsertParameters(), [row, bad]);
		expect(json.map((item) => item.action)).toEqual(['created', 'failed']);
		expect(json[1].error).toContain('"Billing Address: Country Code" must be a two-letter ISO 3166 code');
		expect(json[1].errorDescription).toContain('Map the country code');
		expect(sb.state.requisites).toHaveLength(1);
	});

	it("takes LexOffice's extended country code: ES_CN is Spain with the Canary Islands in PROVINCE", async () => {
		const [row] = await companies(1);
		const canary = { ...row, billing: { ...row.billing, countryCode: 'ES_CN' } };
		const { json } = await runRequisites(sb, companyUpsertParameters(), [canary]);
		expect(json.map((item) => item.action)).toEqual(['created']);
		expect(sb.state.addresses.find((address) => address.TYPE_ID === 6)).toMatchObject({
			COUNTRY_CODE: 'ES',
			COUNTRY: 'Spanien',
			PROVINCE: 'Kanarische Inseln',
		});
	});

	it('refuses a second item for the same requisite in one run', async () => {
		const [row] = await companies(1);
		const { json } = await runRequisites(sb, companyUpsertParameters(), [row, { ...row, name: 'Anders GmbH' }], true);
		expect(json.map((item) => item.action)).toEqual(['created', 'failed']);
		expect(json[1].error).toContain('already writes this requisite');
		expect(sb.state.requisites).toHaveLength(1);
	});
});
