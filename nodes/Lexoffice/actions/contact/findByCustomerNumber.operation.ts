import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { findContacts } from '../../helpers/contactRequests';
import { customerNumber } from '../../helpers/contacts';
import { inputCheck } from '../common';
import type { LexofficeOperation } from '../types';
import { findNotice, findOptions, includeArchived, matchOutput } from './find';

/**
 * The contact with this customer number. LexOffice's `number` filter matches customer *or*
 * vendor numbers (§3.2), so only contacts whose customer role has the number are kept.
 */

export const option: LexofficeOperation['option'] = {
	name: 'Find by Customer Number',
	value: 'findByCustomerNumber',
	description: 'Find the contact with a customer number',
	action: 'Find a contact by customer number',
};

export const properties: LexofficeOperation['properties'] = [
	{
		displayName: 'Customer Number',
		name: 'customerNumber',
		type: 'number',
		default: 10001,
		required: true,
		description: 'The number LexOffice assigned to the customer, e.g. 10307',
	},
	findNotice,
	findOptions,
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const check = inputCheck.call(this, itemIndex);
	const number = check.number(this.getNodeParameter('customerNumber', itemIndex), 'Customer Number', { min: 1, decimals: 0 });
	const candidates = await findContacts.call(this, { number, customer: true }, {
		includeArchived: includeArchived.call(this, itemIndex),
	});
	const matches = candidates.filter((contact) => customerNumber(contact) === number);
	return matchOutput.call(this, itemIndex, matches, `the customer number ${number}`);
}
