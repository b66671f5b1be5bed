import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { contactsWithEmail } from '../../helpers/contactRequests';
import { inputCheck } from '../common';
import type { OperationOption } from '../../../shared/operation';
import { findNotice, findOptions, includeArchived, matchOutput } from './find';

/** The contact with exactly this email address (contactsWithEmail says how, §3.2). */

export const option: OperationOption = {
	name: 'Find by Email',
	value: 'findByEmail',
	description: "Find the contact with an email address (its own or a contact person's)",
	action: 'Find a contact by email',
};

const displayOptions = { show: { resource: ['contact'], operation: ['findByEmail'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		required: true,
	},
	findNotice,
	findOptions,
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const check = inputCheck.call(this, itemIndex);
	const email = check.required(this.getNodeParameter('email', itemIndex), 'Email');
	check.email(email, 'Email');
	const matches = await contactsWithEmail.call(this, email, { includeArchived: includeArchived.call(this, itemIndex) });
	return matchOutput.call(this, itemIndex, matches, `the email ${email}`);
}
