import { NodeOperationError, type IDataObject } from 'n8n-workflow';

import { Bitrix24 } from '../../../../nodes/Bitrix24/Bitrix24.node';
import { createLoadOptionsContext } from '../../../helpers/n8nContext';
import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../../sandbox/bitrix24';
import { caught, credentialsFor, restCalls, webhookCredentials } from '../helpers';
import { mapperValue, runBitrix24, writeRequests } from './helpers';

describe('field mapping from the live crm.contact.fields / crm.company.fields', () => {
	let sb: Bitrix24Sandbox;
	beforeAll(async () => {
		sb = await startBitrix24Sandbox({ limits: 'off' });
		// Custom fields an admin added in the portal (crm.contact.userfield.add, §4.4).
		const userField = (
			ID: number,
			FIELD_NAME: string,
			USER_TYPE_ID: string,
			LABEL: string,
			extra: IDataObject = {},
		) => ({
			ID,
			ENTITY_ID: 'CRM_CONTACT',
			FIELD_NAME,
			USER_TYPE_ID,
			MULTIPLE: 'N' as const,
			MANDATORY: 'N' as const,
			LABEL,
			XML_ID: null,
			...extra,
		});
		sb.state.userFields.push(
			userField(901, 'UF_CRM_SEGMENT', 'enumeration', 'Kundensegment', {
				LIST: [
					{ ID: 41, VALUE: 'A-Kunde' },
					{ ID: 42, VALUE: 'B-Kunde' },
				],
			}),
			userField(902, 'UF_CRM_LAST_SEEN', 'datetime', 'Zuletzt gesehen'),
			userField(903, 'UF_CRM_VIP', 'boolean', 'VIP'),
			userField(904, 'UF_CRM_FIRST_ORDER', 'date', 'Erste Bestellung'),
		);
	});
	afterAll(async () => await sb.close());
	beforeEach(() => sb.requests.clear());

	const schemaOf = async (resource: 'contact' | 'company', operation: string) =>
		Object.fromEntries((await mapperValue(sb, resource, operation, null)).schema.map((field) => [field.id, field]));

	it('lists system and custom fields with n8n types; read-only ones hidden; two requests', async () => {
		const fields = await schemaOf('contact', 'create');
		expect(restCalls(sb).map((call) => call.label)).toEqual(['crm.contact.fields', 'batch']);
		expect(fields.ID).toBeUndefined();
		expect(fields.UF_CRM_KUNDENNUMMER).toMatchObject({
			type: 'string',
			displayName: 'Kundennummer (UF_CRM_KUNDENNUMMER)',
			removed: false,
		});
		expect(fields.UF_CRM_SEGMENT).toMatchObject({
			type: 'options',
			options: [
				{ name: 'A-Kunde', value: '41' },
				{ name: 'B-Kunde', value: '42' },
			],
		});
		expect(fields.UF_CRM_LAST_SEEN.type).toBe('dateTime');
		expect(fields.UF_CRM_VIP.type).toBe('boolean');
		expect(fields.OPENED.type).toBe('boolean');
		expect(fields.BIRTHDATE.type).toBe('dateTime');
		expect(fields.ASSIGNED_BY_ID.type).toBe('number');
		expect(fields.EMAIL).toMatchObject({ type: 'array', removed: false });
		expect(fields.COMPANY_IDS.type).toBe('array');
		// crm_status fields get the portal's own directory values (crm.status.entity.items).
		const honorifics = sb.state.statuses.filter((status) => status.ENTITY_ID === 'HONORIFIC');
		expect(fields.HONORIFIC.options).toEqual(
			honorifics.map((status) => ({ name: status.NAME, value: status.STATUS_ID })),
		);
		for (const readOnly of ['DATE_CREATE', 'DATE_MODIFY', 'CREATED_BY_ID', 'LEAD_ID']) {
			expect(fields[readOnly]).toMatchObject({ readOnly: true, removed: true });
		}
	});

	it('required follows isRequired for Create and Upsert, never for Update; Upsert owns the ORIGIN_* fields', async () => {
		expect((await schemaOf('company', 'create')).TITLE.required).toBe(true);
		expect((await schemaOf('company', 'upsert')).TITLE.required).toBe(true);
		expect((await schemaOf('company', 'update')).TITLE.required).toBe(false);
		const upsert = await schemaOf('contact', 'upsert');
		for (const id of ['ORIGINATOR_ID', 'ORIGIN_ID', 'ORIGIN_VERSION'])
			expect(upsert[id]).toMatchObject({ readOnly: true, removed: true });
		expect((await schemaOf('contact', 'create')).ORIGIN_ID.readOnly).toBe(false);
	});

	it('a field added in the portal shows up on the next load', async () => {
		expect((await schemaOf('company', 'create')).UF_CRM_RATING).toBeUndefined();
		sb.state.userFields.push({
			ID: 905,
			ENTITY_ID: 'CRM_COMPANY',
			FIELD_NAME: 'UF_CRM_RATING',
			USER_TYPE_ID: 'integer',
			MULTIPLE: 'N',
			MANDATORY: 'Y',
			LABEL: 'Bewertung',
			XML_ID: null,
		});
		try {
			expect((await schemaOf('company', 'create')).UF_CRM_RATING).toMatchObject({ type: 'number', required: true });
		} finally {
			sb.state.userFields.pop();
		}
	});

	it('converts values to Bitrix24 formats on write: flags Y/N, dates ISO, numbers, enumeration ids', async () => {
		const recordFields = await mapperValue(sb, 'contact', 'create', {
			NAME: 'Grete',
			OPENED: false,
			UF_CRM_VIP: '={{ $json.vip }}',
			BIRTHDATE: '1984-02-29',
			UF_CRM_LAST_SEEN: '2024-05-31T14:30:00.000+02:00',
			UF_CRM_FIRST_ORDER: '={{ $json.firstOrder }}',
			UF_CRM_SEGMENT: '42',
			ASSIGNED_BY_ID: 3,
		});
		const { json, sent } = await runBitrix24(sb, {
			parameters: { resource: 'contact', operation: 'create', recordFields },
			items: [{ json: { vip: true, firstOrder: '2023-11-05T09:00:00+01:00' } }],
		});
		expect(sent.find((request) => request.method === 'crm.contact.add')?.body.fields).toEqual({
			NAME: 'Grete',
			OPENED: 'N',
			UF_CRM_VIP: 'Y',
			BIRTHDATE: '1984-02-29',
			UF_CRM_LAST_SEEN: '2024-05-31T14:30:00+02:00',
			UF_CRM_FIRST_ORDER: '2023-11-05',
			UF_CRM_SEGMENT: '42',
			ASSIGNED_BY_ID: 3,
		});
		expect(sb.state.contacts.find((record) => record.ID === Number(json[0].ID))).toMatchObject({
			OPENED: 'N',
			UF_CRM_VIP: 1,
			UF_CRM_SEGMENT: 42,
			BIRTHDATE: '1984-02-29',
		});
	});

	it('"Map Automatically" takes the input keys that are Bitrix24 fields and ignores the rest', async () => {
		const recordFields = await mapperValue(sb, 'contact', 'create', null, 'autoMapInputData');
		const { json } = await runBitrix24(sb, {
			parameters: { resource: 'contact', operation: 'create', recordFields },
			items: [{ json: { NAME: 'Auto', LAST_NAME: 'Mapping', EMAIL: ['auto@example.de'], somethingElse: 1, ID: 99 } }],
		});
		expect(json[0]).toMatchObject({ NAME: 'Auto', LAST_NAME: 'Mapping' });
		expect(json[0].ID).not.toBe('99');
	});

	it('a value that does not fit its field fails with the field named, before any write', async () => {
		const recordFields = await mapperValue(sb, 'contact', 'create', {
			NAME: 'X',
			UF_CRM_FIRST_ORDER: '={{ $json.when }}',
		});
		sb.requests.clear();
		const error = await caught(
			runBitrix24(sb, {
				parameters: { resource: 'contact', operation: 'create', recordFields },
				items: [{ json: { when: 'bald' } }],
			}),
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toContain('UF_CRM_FIRST_ORDER');
		expect(writeRequests(sb)).toHaveLength(0);
	});

	it('field dropdowns list every field by label, custom ones included', async () => {
		const node = new Bitrix24();
		const context = createLoadOptionsContext(node, {
			parameters: { resource: 'company' },
			credentials: credentialsFor('webhook', webhookCredentials(sb)),
		});
		const options = await node.methods.loadOptions.getCrmRecordFieldNames.call(context);
		expect(options).toEqual(
			expect.arrayContaining([{ name: 'Newsletter (UF_CRM_NEWSLETTER)', value: 'UF_CRM_NEWSLETTER' }]),
		);
		expect(options.map((option) => option.value)).toContain('TITLE');
	});
});
