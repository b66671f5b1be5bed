import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { getContact } from '../../helpers/contactRequests';
import { newContactBody } from '../../helpers/contacts';
import { parseActionResult, readAfterWrite } from '../../helpers/responses';
import { lexofficeRequest } from '../../transport';
import { inputCheck } from '../common';
import type { OperationOption } from '../../../shared/operation';
import { contactFieldOptions, readContactChanges, ROLE_OPTIONS } from './fields';
import { returnFullContactOption, wantsFullContact } from './output';

/** POST /v1/contacts (lexoffice-api.md §3.1, §3.3 "Create requirements"). */

export const option: OperationOption = {
	name: 'Create',
	value: 'create',
	description: 'Create a company or person contact',
	action: 'Create a contact',
};

const displayOptions = { show: { resource: ['contact'], operation: ['create'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [
	{
		displayName: 'Contact Type',
		name: 'contactType',
		type: 'options',
		options: [
			{ name: 'Company', value: 'company' },
			{ name: 'Person', value: 'person' },
		],
		default: 'company',
	},
	{
		displayName: 'Roles',
		name: 'roles',
		type: 'multiOptions',
		options: ROLE_OPTIONS,
		default: ['customer'],
		required: true,
		description: 'LexOffice assigns a customer or vendor number for each role',
	},
	{
		displayName: 'Company Name',
		name: 'companyName',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { contactType: ['company'] } },
	},
	{
		displayName: 'First Name',
		name: 'firstName',
		type: 'string',
		default: '',
		displayOptions: { show: { contactType: ['person'] } },
	},
	{
		displayName: 'Last Name',
		name: 'lastName',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { contactType: ['person'] } },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: contactFieldOptions('create'),
	},
	returnFullContactOption,
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const check = inputCheck.call(this, itemIndex);
	const kind = this.getNodeParameter('contactType', itemIndex) as 'company' | 'person';
	const fields: IDataObject = {
		...(this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject),
		roles: this.getNodeParameter('roles', itemIndex),
		...(kind === 'company'
			? { companyName: this.getNodeParameter('companyName', itemIndex, '') }
			: {
					firstName: this.getNodeParameter('firstName', itemIndex, ''),
					lastName: this.getNodeParameter('lastName', itemIndex, ''),
				}),
	};
	const body = newContactBody(check, kind, readContactChanges(check, fields, 'create'));

	const answer = await lexofficeRequest.call(this, { method: 'POST', path: '/v1/contacts', body });
	const result = parseActionResult.call(this, answer, 'the new contact');
	if (!wantsFullContact.call(this, itemIndex)) return [{ json: result }];
	const contact = await readAfterWrite.call(
		this,
		{ what: 'contact', id: result.id, done: 'created' },
		async () => await getContact.call(this, result.id),
	);
	return [{ json: contact }];
}
