import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';

import type { CrmEntity } from '../../helpers/crmRecordEntity';
import { FIELDS_PARAMETER } from '../../helpers/crmRecordFields';

/** Shows parameters only for one operation of one of the two resources. */
export const forOperation = (entity: CrmEntity, operation: string, properties: INodeProperties[]) =>
	updateDisplayOptions({ show: { resource: [entity.resource], operation: [operation] } }, properties);

export function recordIdProperty(entity: CrmEntity): INodeProperties {
	return {
		displayName: `${entity.displayName} ID`,
		name: 'recordId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '42',
		description: `The numeric ID of the ${entity.resource} in Bitrix24`,
	};
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
