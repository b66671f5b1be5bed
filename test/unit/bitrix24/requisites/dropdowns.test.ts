import type { INodePropertyOptions } from 'n8n-workflow';

import { Bitrix24 } from '../../../../nodes/Bitrix24/Bitrix24.node';
import { createLoadOptionsContext } from '../../../helpers/n8nContext';
import { ADDRESS_TYPES, PRESET_XML_IDS, startBitrix24Sandbox, type Bitrix24Sandbox } from '../../../sandbox/bitrix24';
import { caught, credentialsFor, everythingIn, webhookCredentials } from '../helpers';
import { addOwners, batchMethodsPerRequest, runRequisites, writeMethods } from './helpers';

describe('Requisite templates and address types: live dropdowns, defaults by XML_ID', () => {
	let sb: Bitrix24Sandbox;
	// Template ids 41…45 here, where the sandbox's default is 7…11; the first one is hand-made.
	beforeAll(async () => (sb = await startBitrix24Sandbox({ limits: 'off', presetIdOffset: 40 })));
	afterAll(async () => await sb.close());
	beforeEach(() => sb.reset());

	async function loadOptions(method: 'getRequisitePresets' | 'getAddressTypes'): Promise<INodePropertyOptions[]> {
		const node = new Bitrix24();
		const context = createLoadOptionsContext(node, {
			parameters: { resource: 'requisite', operation: 'upsert' },
			credentials: credentialsFor('webhook', webhookCredentials(sb)),
		});
		return await node.methods.loadOptions[method].call(context);
	}

	it('lists the run-time defaults, then the portal templates as "Name (Country)" with the German defaults marked', async () => {
		const options = await loadOptions('getRequisitePresets');
		expect(options.slice(0, 3).map((option) => option.value)).toEqual([
			'',
			'germanDefaultLegalEntity',
			'germanDefaultPerson',
		]);
		expect(options.slice(3).map((option) => [option.value, option.name])).toEqual([
			['41', 'Kunde (eigene Vorlage) (Deutschland)'],
			['42', 'Organisation (Deutschland) (German default for companies)'],
			['43', 'Privatperson (Deutschland) (German default for persons)'],
			['44', 'Einzelunternehmer (Deutschland)'],
			['45', 'Company (USA) (inactive)'],
		]);
	});

	it('marks the template that carries the XML_ID, wherever it is in the list', async () => {
		const legalEntity = sb.state.presets.find((preset) => preset.XML_ID === PRESET_XML_IDS.legalEntity);
		const handMade = sb.state.presets.find((preset) => preset.ID === 41);
		if (!legalEntity || !handMade) throw new Error('sandbox presets changed');
		legalEntity.XML_ID = '';
		handMade.XML_ID = PRESET_XML_IDS.legalEntity;
		handMade.NAME = 'Firmenkunde';
		const marked = (await loadOptions('getRequisitePresets')).filter((option) =>
			option.name.includes('German default for companies'),
		);
		expect(marked.map((option) => [option.value, option.name])).toEqual([
			['41', 'Firmenkunde (Deutschland) (German default for companies)'],
		]);
	});

	it('takes address-type labels from the portal, not from the node', async () => {
		const original = ADDRESS_TYPES[0].NAME;
		ADDRESS_TYPES[0].NAME = 'Lieferanschrift (umbenannt)';
		try {
			const options = await loadOptions('getAddressTypes');
			expect(options.map((option) => [option.value, option.name])).toEqual(
				ADDRESS_TYPES.map((type) => [String(type.ID), type.NAME]),
			);
			expect(options[0].name).toBe('Lieferanschrift (umbenannt)');
		} finally {
			ADDRESS_TYPES[0].NAME = original;
		}
	});

	const upsertFor = (entityType: 'company' | 'contact', presetId: string) => ({
		resource: 'requisite',
		operation: 'upsert',
		entityType,
		entityId: '={{ $json.ownerId }}',
		presetId,
		requisiteName: 'LexOffice',
	});

	it('resolves the defaults by XML_ID when the node runs', async () => {
		const [companyId] = await addOwners(sb, 'crm.company.add', ['Schmidt GmbH']);
		const [contactId] = await addOwners(sb, 'crm.contact.add', ['Anna']);
		await runRequisites(sb, upsertFor('company', ''), [{ ownerId: companyId }]);
		await runRequisites(sb, upsertFor('contact', ''), [{ ownerId: contactId }]);
		// An explicit choice wins over the record type: a sole trader's contact as a company.
		await runRequisites(sb, { ...upsertFor('contact', 'germanDefaultLegalEntity'), externalKey: 'second' }, [
			{ ownerId: contactId },
		]);
		expect(sb.state.requisites.map((requisite) => [requisite.ENTITY_TYPE_ID, requisite.PRESET_ID])).toEqual([
			[4, 42],
			[3, 43],
			[3, 42],
		]);
	});

	it('reads the template list only when a default is chosen', async () => {
		const [companyId] = await addOwners(sb, 'crm.company.add', ['Schmidt GmbH']);
		await runRequisites(sb, upsertFor('company', '44'), [{ ownerId: companyId }]);
		expect(batchMethodsPerRequest(sb)[0]).toEqual(['crm.requisite.list']);
		expect(sb.state.requisites[0].PRESET_ID).toBe(44);
	});

	it('names the missing XML_ID and asks for a template, before writing anything', async () => {
		sb.state.presets = sb.state.presets.filter((preset) => preset.XML_ID !== PRESET_XML_IDS.legalEntity);
		const [companyId] = await addOwners(sb, 'crm.company.add', ['Schmidt GmbH']);
		const error = await caught(runRequisites(sb, upsertFor('company', ''), [{ ownerId: companyId }]));
		expect(error.message).toContain('#CRM_REQUISITE_PRESET_DEF_DE_LEGALENTITY#');
		expect(everythingIn(error)).toContain('Pick a template from the "Template" list');
		expect(writeMethods(sb)).toEqual([]);

		const { json } = await runRequisites(sb, upsertFor('company', ''), [{ ownerId: companyId }], true);
		expect(json[0]).toMatchObject({
			action: 'failed',
			error: expect.stringContaining('#CRM_REQUISITE_PRESET_DEF_DE_LEGALENTITY#'),
		});
		expect(sb.state.requisites).toHaveLength(0);
	});
});
