import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { contactsWithCustomerNumber } from '../../helpers/contactRequests';
import { inputCheck } from '../common';
import type { OperationOption } from '../../../shared/operation';
import { findNotice, findOptions, includeArchived, matchOutput } from './find';

/** The contact with this customer number (contactsWithCustomerNumber says how, §3.2). */

export const option: OperationOption = {
	name: 'Find by Customer Number',
	value: 'findByCustomerNumber',
	description: 'Find the contact with a customer number',
	action: 'Find a contact by customer number',
};

const displayOptions = { show: { resource: ['contact'], operation: ['findByCustomerNumber'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [
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
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const check = inputCheck.call(this, itemIndex);
	const number = check.number(this.getNodeParameter('customerNumber', itemIndex), 'Customer Number', {
		min: 1,
		decimals: 0,
	});
	const matches = await contactsWithCustomerNumber.call(this, number, {
		includeArchived: includeArchived.call(this, itemIndex),
	});
	return matchOutput.call(this, itemIndex, matches, `the customer number ${number}`);
}
