import { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

import {
	toResourceMapperFields,
	type CrmFieldDescription,
	type CrmFieldDescriptions,
} from '../../../../nodes/Bitrix24/helpers/crmFieldSchema';
import {
	FieldValueError,
	toBitrix24Fields,
	toDesiredMultifields,
} from '../../../../nodes/Bitrix24/helpers/crmFieldValues';

const field = (type: string, extra: Partial<CrmFieldDescription> = {}): CrmFieldDescription => ({
	type,
	isRequired: false,
	isReadOnly: false,
	isMultiple: false,
	isDynamic: false,
	title: type,
	...extra,
});

const descriptions: CrmFieldDescriptions = {
	ID: field('integer', { isReadOnly: true }),
	NAME: field('string', { title: 'Vorname', isRequired: true }),
	OPENED: field('char'),
	BIRTHDATE: field('date'),
	DATE_CREATE: field('datetime', { isReadOnly: true }),
	UF_CRM_SEEN_AT: field('datetime', { isDynamic: true, formLabel: 'Gesehen am' }),
	UF_CRM_NEWSLETTER: field('boolean', { isDynamic: true }),
	ASSIGNED_BY_ID: field('user'),
	COMPANY_IDS: field('crm_company', { isMultiple: true }),
	REVENUE: field('double'),
	HONORIFIC: field('crm_status', { statusType: 'HONORIFIC' }),
	UF_CRM_SEGMENT: field('enumeration', {
		isDynamic: true,
		items: [
			{ ID: '11', VALUE: 'A-Kunde' },
			{ ID: '12', VALUE: 'B-Kunde' },
		],
	}),
	EMAIL: field('crm_multifield', { isMultiple: true }),
	LINK: field('crm_multifield', { isMultiple: true }),
	PHOTO: field('file'),
	ADDRESS_CITY: field('string'),
	COMPANY_ID: field('crm_company', { isDeprecated: true }),
	ORIGIN_ID: field('string'),
};

describe('toResourceMapperFields', () => {
	const byId = (options: Parameters<typeof toResourceMapperFields>[1]) =>
		Object.fromEntries(toResourceMapperFields(descriptions, options).map((entry) => [entry.id, entry]));
	const create = byId({ enforceRequired: true, statusOptions: { HONORIFIC: [{ name: 'Herr', value: 'HNR_DE_1' }] } });

	it.each([
		['NAME', 'string'],
		['OPENED', 'boolean'],
		['UF_CRM_NEWSLETTER', 'boolean'],
		['BIRTHDATE', 'dateTime'],
		['UF_CRM_SEEN_AT', 'dateTime'],
		['ASSIGNED_BY_ID', 'number'],
		['REVENUE', 'number'],
		['COMPANY_IDS', 'array'],
		['EMAIL', 'array'],
		['HONORIFIC', 'options'],
		['UF_CRM_SEGMENT', 'options'],
	])('%s becomes %s', (id, type) => {
		expect(create[id].type).toBe(type);
	});

	it('drops ID, keeps read-only fields hidden and not editable, and hides deprecated, file, LINK and legacy address fields', () => {
		expect(create.ID).toBeUndefined();
		expect(create.DATE_CREATE).toMatchObject({ readOnly: true, removed: true, required: false });
		for (const id of ['PHOTO', 'LINK', 'ADDRESS_CITY', 'COMPANY_ID'])
			expect(create[id]).toMatchObject({ removed: true, readOnly: false });
		expect(create.NAME).toMatchObject({ removed: false, readOnly: false, display: true });
	});

	it('takes dropdown values from the directory or the field items, and labels custom fields', () => {
		expect(create.HONORIFIC.options).toEqual([{ name: 'Herr', value: 'HNR_DE_1' }]);
		expect(create.UF_CRM_SEGMENT.options).toEqual([
			{ name: 'A-Kunde', value: '11' },
			{ name: 'B-Kunde', value: '12' },
		]);
		expect(create.UF_CRM_SEEN_AT.displayName).toBe('Gesehen am (UF_CRM_SEEN_AT)');
	});

	it('a directory it could not read leaves the field a text field', () => {
		expect(byId({ enforceRequired: true }).HONORIFIC.type).toBe('string');
	});

	it('required follows isRequired, except for Update; fields the operation manages are read-only', () => {
		expect(create.NAME.required).toBe(true);
		expect(byId({ enforceRequired: false }).NAME.required).toBe(false);
		expect(byId({ enforceRequired: true, managedFields: ['ORIGIN_ID'] }).ORIGIN_ID).toMatchObject({
			readOnly: true,
			removed: true,
		});
	});
});

describe('toBitrix24Fields', () => {
	it.each<[string, unknown, unknown]>([
		['OPENED', true, 'Y'],
		['OPENED', false, 'N'],
		['OPENED', 'Y', 'Y'],
		['OPENED', 'false', 'N'],
		['UF_CRM_NEWSLETTER', 1, 'Y'],
		['BIRTHDATE', '1984-02-29', '1984-02-29'],
		['BIRTHDATE', '29.02.1984', '1984-02-29'],
		['BIRTHDATE', DateTime.fromISO('1984-02-29T23:30:00+01:00', { setZone: true }), '1984-02-29'],
		['UF_CRM_SEEN_AT', DateTime.fromISO('2024-05-31T14:30:00+02:00', { setZone: true }), '2024-05-31T14:30:00+02:00'],
		['UF_CRM_SEEN_AT', '2024-05-31T14:30:00.000+02:00', '2024-05-31T14:30:00+02:00'],
		['ASSIGNED_BY_ID', '7', 7],
		['REVENUE', '1234,5', 1234.5],
		['COMPANY_IDS', ['2001', 2002], [2001, 2002]],
		['COMPANY_IDS', '2001', [2001]],
		['HONORIFIC', 'HNR_DE_1', 'HNR_DE_1'],
		['NAME', 42, '42'],
	])('%s: %p → %p', (id, value, expected) => {
		expect(toBitrix24Fields(descriptions, { [id]: value } as IDataObject).fields).toEqual({ [id]: expected });
	});

	it('recognises a DateTime from another luxon copy by its shape', () => {
		const foreign = { toISO: () => '2024-01-02T03:04:05.000+01:00' };
		expect(toBitrix24Fields(descriptions, { UF_CRM_SEEN_AT: foreign }).fields).toEqual({
			UF_CRM_SEEN_AT: '2024-01-02T03:04:05+01:00',
		});
	});

	it('leaves out empty values and read-only fields; multifields go to their own list', () => {
		const converted = toBitrix24Fields(descriptions, {
			NAME: '',
			REVENUE: null,
			DATE_CREATE: '2024-01-01',
			ID: 5,
			EMAIL: ['anna@example.de', { VALUE: '', VALUE_TYPE: 'HOME' }, { value: 'a2@example.de', valueType: 'home' }],
		});
		expect(converted.fields).toEqual({});
		expect(converted.multifields).toEqual({
			EMAIL: [{ VALUE: 'anna@example.de' }, { VALUE: 'a2@example.de', VALUE_TYPE: 'HOME' }],
		});
	});

	it('an explicit empty list clears a multifield; an empty value leaves it alone', () => {
		expect(toBitrix24Fields(descriptions, { EMAIL: [] }).multifields).toEqual({ EMAIL: [] });
		expect(toBitrix24Fields(descriptions, { EMAIL: '' }).multifields).toEqual({});
		expect(toBitrix24Fields(descriptions, { EMAIL: null }).multifields).toEqual({});
	});

	it.each<[string, unknown, RegExp]>([
		['OPENED', 'vielleicht', /OPENED expects yes or no/],
		['BIRTHDATE', 'next tuesday', /BIRTHDATE expects a date/],
		['ASSIGNED_BY_ID', 'Anna', /ASSIGNED_BY_ID expects a number/],
		['UF_CRM_GONE', 'x', /no field UF_CRM_GONE/],
	])('refuses %s = %p, naming the field', (id, value, message) => {
		let caught: unknown;
		try {
			toBitrix24Fields(descriptions, { [id]: value } as IDataObject);
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(FieldValueError);
		expect((caught as FieldValueError).field).toBe(id);
		expect((caught as Error).message).toMatch(message);
	});
});

describe('toDesiredMultifields', () => {
	it('accepts one string, a JSON list or a list of objects', () => {
		expect(toDesiredMultifields('PHONE', '+49 30 1234')).toEqual([{ VALUE: '+49 30 1234' }]);
		expect(toDesiredMultifields('PHONE', '["1", "2"]')).toEqual([{ VALUE: '1' }, { VALUE: '2' }]);
		expect(toDesiredMultifields('PHONE', [{ VALUE: '1', VALUE_TYPE: 'mobile' }])).toEqual([
			{ VALUE: '1', VALUE_TYPE: 'MOBILE' },
		]);
		expect(() => toDesiredMultifields('PHONE', [[1]])).toThrow(FieldValueError);
	});
});
