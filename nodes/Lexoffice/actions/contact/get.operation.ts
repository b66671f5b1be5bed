import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { getContact } from '../../helpers/contactRequests';
import { contactLocator, locatorId } from '../common';
import type { OperationOption } from '../../../shared/operation';
import { simplifyProperty, wantsSimplified } from '../../../shared/simplify';
import { SIMPLE_CONTACT_FIELDS, simplifyContact } from './output';

/** GET /v1/contacts/{id} (lexoffice-api.md §3.1). */

export const option: OperationOption = {
	name: 'Get',
	value: 'get',
	description: 'Get a contact by ID',
	action: 'Get a contact',
};

const displayOptions = { show: { resource: ['contact'], operation: ['get'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [
	contactLocator(),
	simplifyProperty(SIMPLE_CONTACT_FIELDS),
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const id = locatorId.call(this, itemIndex, 'contactId', 'Contact');
	const contact = await getContact.call(this, id);
	return [{ json: wantsSimplified.call(this, itemIndex) ? simplifyContact(contact) : contact }];
}
