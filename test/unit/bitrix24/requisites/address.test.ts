import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../../sandbox/bitrix24';
import { caught, everythingIn, restCalls } from '../helpers';
import {
	addOwners,
	addressesOfRequisite,
	companyRow,
	companyUpsertParameters,
	runRequisites,
	writeMethods,
} from './helpers';

describe('Address resource and Requisite Get Many / Delete', () => {
	let sb: Bitrix24Sandbox;
	let requisiteId: number;
	beforeAll(async () => (sb = await startBitrix24Sandbox({ limits: 'off' })));
	afterAll(async () => await sb.close());
	beforeEach(async () => {
		sb.reset();
		const [companyId] = await addOwners(sb, 'crm.company.add', ['Schmidt GmbH']);
		const { json } = await runRequisites(sb, companyUpsertParameters({ addresses: {} }), [companyRow(companyId, 1)]);
		requisiteId = json[0].requisiteId as number;
	});

	const upsertAddress = async (values: INodeParameters, options: INodeParameters = {}) =>
		(
			await runRequisites(
				sb,
				{ resource: 'address', operation: 'upsert', requisiteId: String(requisiteId), typeId: '6', ...values, options },
				[{}],
			)
		).json[0];

	it('adds an address of a type, then updates it by its three keys, and skips an unchanged one', async () => {
		expect(
			await upsertAddress(
				{ street: 'Alte Straße 1', zip: '50667', city: 'Köln', countryCode: 'AT' },
				{ countryNameLanguage: 'en' },
			),
		).toEqual({
			action: 'created',
			requisiteId,
			typeId: 6,
		});
		expect(addressesOfRequisite(sb, requisiteId)[0]).toMatchObject({
			ADDRESS_1: 'Alte Straße 1',
			COUNTRY: 'Austria',
			COUNTRY_CODE: 'AT',
		});

		expect(
			(
				await upsertAddress(
					{ street: 'Neue Straße 2', zip: '50667', city: 'Köln', countryCode: 'AT' },
					{ countryNameLanguage: 'en' },
				)
			).action,
		).toBe('updated');
		expect(writeMethods(sb)).toEqual(['crm.address.update']);
		expect(addressesOfRequisite(sb, requisiteId)).toHaveLength(1);
		expect(addressesOfRequisite(sb, requisiteId)[0].ADDRESS_1).toBe('Neue Straße 2');

		expect(
			(
				await upsertAddress(
					{ street: 'Neue Straße 2', zip: '50667', city: 'Köln', countryCode: 'AT' },
					{ countryNameLanguage: 'en' },
				)
			).action,
		).toBe('unchanged');
		expect(writeMethods(sb)).toEqual([]);
	});

	it('refuses an address with every field empty, before sending anything', async () => {
		const error = await caught(upsertAddress({}));
		expect(error.message).toBe('Every address field is empty');
		expect(everythingIn(error)).toContain('Address → Delete');
		expect(restCalls(sb)).toHaveLength(0);
	});

	it("gets and deletes addresses; deleting a missing one carries Bitrix24's message", async () => {
		await upsertAddress({ street: 'Hauptstraße 1', city: 'Berlin' });
		await upsertAddress({ typeId: '11', street: 'Lagerweg 2', city: 'Potsdam' });
		const listed = await runRequisites(
			sb,
			{ resource: 'address', operation: 'getMany', requisiteId: String(requisiteId) },
			[{}],
		);
		expect(listed.json.map((address) => [address.TYPE_ID, address.CITY])).toEqual([
			['6', 'Berlin'],
			['11', 'Potsdam'],
		]);

		const deleteParameters = {
			resource: 'address',
			operation: 'delete',
			requisiteId: String(requisiteId),
			typeId: '6',
		};
		expect((await runRequisites(sb, deleteParameters, [{}])).json[0]).toEqual({
			requisiteId,
			typeId: 6,
			deleted: true,
		});
		expect(addressesOfRequisite(sb, requisiteId).map((address) => address.TYPE_ID)).toEqual([11]);
		const error = await caught(runRequisites(sb, deleteParameters, [{}]));
		expect(error.message).toBe('Address not found.');
	});

	it('lists the requisites of a record with their addresses, and deletes one with its addresses', async () => {
		await upsertAddress({ street: 'Hauptstraße 1', city: 'Berlin' });
		const companyId = sb.state.requisites[0].ENTITY_ID;
		const listed = await runRequisites(
			sb,
			{
				resource: 'requisite',
				operation: 'getMany',
				entityType: 'company',
				entityId: String(companyId),
				includeAddresses: true,
			},
			[{}],
		);
		expect(listed.json).toHaveLength(1);
		expect(listed.json[0]).toMatchObject({ ID: String(requisiteId), ENTITY_ID: String(companyId) });
		expect((listed.json[0].addresses as IDataObject[]).map((address) => address.ADDRESS_1)).toEqual(['Hauptstraße 1']);

		const deleted = await runRequisites(
			sb,
			{ resource: 'requisite', operation: 'delete', requisiteId: String(requisiteId) },
			[{}],
		);
		expect(deleted.json[0]).toEqual({ requisiteId, deleted: true });
		expect(sb.state.requisites).toHaveLength(0);
		expect(sb.state.addresses).toHaveLength(0);
	});

	it('refuses a requisite id that is not a number, naming the field', async () => {
		const error = await caught(
			runRequisites(sb, { resource: 'requisite', operation: 'delete', requisiteId: 'abc' }, [{}]),
		);
		expect(error.message).toContain('Requisite ID');
		expect(restCalls(sb)).toHaveLength(0);
	});
});
