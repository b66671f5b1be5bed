import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';

import type { CrmEntity } from '../../helpers/crmRecordEntity';
import { FIELDS_PARAMETER } from '../../helpers/crmRecordFields';

/** Shows parameters only for one operation of one of the two resources. */
export const forOperation = (entity: CrmEntity, operation: string, properties: INodeProperties[]) =>
	updateDisplayOptions({ show: { resource: [entity.resource], operation: [operation] } }, properties);

/**
 * The record of Get, Update and Delete. Since node version 2 a resource locator: from a searchable
 * list (methods/crmRecords.ts), by the URL of its card (`https://<portal>/crm/<entity>/details/<id>/`)
 * or by ID; version 1 keeps the plain ID field its saved workflows hold. Both store the id under
 * `recordId`, read by `recordIdOf` with `extractValue`.
 */
export function recordIdProperty(entity: CrmEntity): INodeProperties[] {
	const urlRegex = `https?://[^/]+/crm/${entity.resource}/details/(\\d+)(?:[/?#].*)?`;
	return [
		{
			displayName: `${entity.displayName} ID`,
			name: 'recordId',
			type: 'string',
			required: true,
			default: '',
			placeholder: '42',
			description: `The numeric ID of the ${entity.resource} in Bitrix24`,
			displayOptions: { show: { '@version': [1] } },
		},
		{
			displayName: entity.displayName,
			name: 'recordId',
			type: 'resourceLocator',
			required: true,
			default: { mode: 'list', value: '' },
			description: `The ${entity.resource} in Bitrix24`,
			displayOptions: { show: { '@version': [{ _cnd: { gte: 2 } }] } },
			modes: [
				{
					displayName: 'From List',
					name: 'list',
					type: 'list',
					typeOptions: {
						searchListMethod: entity.resource === 'company' ? 'searchCompanies' : 'searchContacts',
						searchable: true,
					},
				},
				{
					displayName: 'By URL',
					name: 'url',
					type: 'string',
					placeholder: `https://example.bitrix24.de/crm/${entity.resource}/details/42/`,
					validation: [
						{
							type: 'regex',
							properties: {
								regex: urlRegex,
								errorMessage: `Paste the address of the ${entity.resource}'s card in Bitrix24`,
							},
						},
					],
					extractValue: { type: 'regex', regex: urlRegex },
				},
				{
					displayName: 'ID',
					name: 'id',
					type: 'string',
					placeholder: '42',
					validation: [
						{ type: 'regex', properties: { regex: '^\\s*\\d+\\s*$', errorMessage: 'Enter the numeric ID' } },
					],
				},
			],
		},
	];
}

/** Live field list of crm.contact.fields / crm.company.fields (methods/crmFields.ts). */
export function fieldsMapperProperty(): INodeProperties {
	return {
		displayName: 'Fields to Map',
		name: FIELDS_PARAMETER,
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		required: true,
		typeOptions: {
			loadOptionsDependsOn: ['resource', 'operation'],
			resourceMapper: {
				resourceMapperMethod: 'getCrmRecordFields',
				mode: 'add',
				fieldWords: { singular: 'field', plural: 'fields' },
				addAllFields: true,
				multiKeyMatch: false,
				supportAutoMap: true,
			},
		},
		description:
			'Values for the Bitrix24 fields, custom fields included. EMAIL, PHONE, WEB and IM take a list such as ["anna@example.de"] or [{"VALUE": "+49 30 1234", "VALUE_TYPE": "MOBILE"}]; the list replaces the current values. Empty fields are left unchanged.',
	};
}

export const appendMultifieldsOption: INodeProperties = {
	displayName: 'Append Instead of Replace',
	name: 'appendMultifields',
	type: 'boolean',
	default: false,
	description:
		'Whether EMAIL, PHONE, WEB and IM values are added to the ones the record has (values it already has are not added twice) instead of replacing them',
};

export function fieldNameOptionsProperty(displayName: string, name: string, description: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getCrmRecordFieldNames', loadOptionsDependsOn: ['resource'] },
		default: '',
		description: `${description}. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
	};
}
