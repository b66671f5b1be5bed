import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { findContacts } from '../../helpers/contactRequests';
import { contactEmails } from '../../helpers/contacts';
import { encodeSearchValue } from '../../transport';
import { inputCheck } from '../common';
import type { LexofficeOperation } from '../types';
import { findNotice, findOptions, includeArchived, matchOutput } from './find';

/**
 * The contact with exactly this email address. LexOffice's email filter matches parts of
 * addresses, with `_` and `%` as wildcards (§3.2), so the address is searched literally and the
 * results are narrowed to whole, case-insensitive matches here.
 */

export const option: LexofficeOperation['option'] = {
	name: 'Find by Email',
	value: 'findByEmail',
	description: 'Find the contact with an email address (its own or a contact person\'s)',
	action: 'Find a contact by email',
};

export const properties: LexofficeOperation['properties'] = [
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
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const check = inputCheck.call(this, itemIndex);
	const email = check.required(this.getNodeParameter('email', itemIndex), 'Email');
	check.email(email, 'Email');
	const wanted = email.toLowerCase();
	const candidates = await findContacts.call(this, { email: encodeSearchValue(email, { literal: true }) }, {
		includeArchived: includeArchived.call(this, itemIndex),
	});
	const matches = candidates.filter((contact) => contactEmails(contact).some((address) => address.toLowerCase() === wanted));
	return matchOutput.call(this, itemIndex, matches, `the email ${email}`);
}
