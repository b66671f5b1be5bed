import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { findContacts } from '../../helpers/contactRequests';
import { encodeSearchValue, type Query } from '../../transport';
import { inputCheck, resultLimit, returnAllOrLimit } from '../common';
import type { OperationOption } from '../../../shared/operation';
import { simplifyProperty, wantsSimplified } from '../../../shared/simplify';
import { SIMPLE_CONTACT_FIELDS, simplifyContact } from './output';

/** GET /v1/contacts with filters (lexoffice-api.md §3.2); sorted by name, not changeable. */

/** §3.2: the email and name filters need at least 3 characters. */
export const SEARCH_MIN_LENGTH = 3;

export const option: OperationOption = {
	name: 'Get Many',
	value: 'getMany',
	description: 'Get many contacts, optionally filtered',
	action: 'Get many contacts',
};

const displayOptions = { show: { resource: ['contact'], operation: ['getMany'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [
	...returnAllOrLimit,
	{
		displayName: 'Include Archived',
		name: 'includeArchived',
		type: 'boolean',
		default: false,
		description: 'Whether to include archived contacts (LexOffice lists them too; they are left out unless this is on)',
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		description: 'All filters must match',
		options: [
			{
				displayName: 'Customer',
				name: 'customer',
				type: 'boolean',
				default: true,
				description: 'Whether the contact has the customer role (on) or lacks it (off)',
			},
			{
				displayName: 'Email',
				name: 'email',
				type: 'string',
				placeholder: 'name@email.com',
				default: '',
				description:
					'Part of an email address of the contact or its contact persons, at least 3 characters; _ matches one character and % any number',
			},
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				description: 'Part of the name, at least 3 characters; _ matches one character and % any number',
			},
			{
				displayName: 'Number',
				name: 'number',
				type: 'number',
				default: 0,
				description: 'Customer or vendor number',
			},
			{
				displayName: 'Vendor',
				name: 'vendor',
				type: 'boolean',
				default: true,
				description: 'Whether the contact has the vendor role (on) or lacks it (off)',
			},
		],
	},
	simplifyProperty(SIMPLE_CONTACT_FIELDS),
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const check = inputCheck.call(this, itemIndex);
	const limit = resultLimit.call(this, itemIndex);
	const includeArchived = this.getNodeParameter('includeArchived', itemIndex, false) as boolean;
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;

	const query: Query = {};
	for (const [key, label] of [
		['email', 'Email'],
		['name', 'Name'],
	] as const) {
		const value = check.text(filters[key], label, { min: SEARCH_MIN_LENGTH });
		// §3.2: "&", "<" and ">" must be HTML-encoded to be found.
		if (value !== undefined) query[key] = encodeSearchValue(value);
	}
	if (filters.number !== undefined) query.number = check.number(filters.number, 'Number', { min: 1, decimals: 0 });
	for (const role of ['customer', 'vendor'] as const) {
		if (typeof filters[role] === 'boolean') query[role] = filters[role] as boolean;
	}

	const contacts = await findContacts.call(this, query, { limit, includeArchived });
	const simplify = wantsSimplified.call(this, itemIndex);
	return contacts.map((contact) => ({ json: simplify ? simplifyContact(contact) : contact }));
}
