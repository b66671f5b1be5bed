import {
	NodeApiError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type JsonObject,
} from 'n8n-workflow';

import { getContact } from '../../helpers/contactRequests';
import { applyContactChanges, listsWithSeveralEntries, type ContactChanges } from '../../helpers/contacts';
import type { InputCheck } from '../../helpers/input';
import { parseActionResult, readAfterWrite } from '../../helpers/responses';
import { httpCodeOf, lexofficeRequest } from '../../transport';
import { contactLocator, inputCheck, locatorId } from '../common';
import type { OperationOption } from '../../../shared/operation';
import { contactFieldOptions, readContactChanges } from './fields';
import { returnFullContactOption, wantsFullContact } from './output';

/**
 * GET → apply the changes → PUT with the version just read (optimistic locking, §3.5). When
 * someone else changed the contact in between, LexOffice answers 409; the node then reads it
 * again and retries once, so the changes land on the latest data instead of overwriting it.
 */

export const option: OperationOption = {
	name: 'Update',
	value: 'update',
	description: 'Change fields of a contact; fields you leave out stay as they are',
	action: 'Update a contact',
};

const displayOptions = { show: { resource: ['contact'], operation: ['update'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [
	contactLocator(),
	{
		displayName:
			'LexOffice can only update contacts with at most one billing and one shipping address, one contact person and one entry per email and phone kind. Contacts with more are refused before anything is changed.',
		name: 'listNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description:
			'Fields to set. A field added but left empty is removed from the contact; an address replaces the current one.',
		options: contactFieldOptions('update'),
	},
	returnFullContactOption,
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const check = inputCheck.call(this, itemIndex);
	const id = locatorId.call(this, itemIndex, 'contactId', 'Contact');
	const changes = readContactChanges(
		check,
		this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject,
		'update',
	);

	let answer: unknown;
	for (let attempt = 1; ; attempt++) {
		const body = await changedContact.call(this, check, id, changes);
		try {
			answer = await lexofficeRequest.call(this, {
				method: 'PUT',
				path: `/v1/contacts/${encodeURIComponent(id)}`,
				body,
			});
			break;
		} catch (error) {
			// 409: the version we read is stale (§3.5). One fresh read and retry; a second conflict is reported.
			if (httpCodeOf(error) !== 409 || attempt > 1) throw new NodeApiError(this.getNode(), error as JsonObject);
		}
	}
	const result = parseActionResult.call(this, answer, 'the contact update');
	if (!wantsFullContact.call(this, itemIndex)) return [{ json: result }];
	const contact = await readAfterWrite.call(
		this,
		{ what: 'contact', id, done: 'updated' },
		async () => await getContact.call(this, id),
	);
	return [{ json: contact }];
}

/** The current contact with the changes applied; refuses contacts LexOffice cannot update (§3.4). */
async function changedContact(
	this: IExecuteFunctions,
	check: InputCheck,
	id: string,
	changes: ContactChanges,
): Promise<IDataObject> {
	const current = await getContact.call(this, id);
	const crowded = listsWithSeveralEntries(current);
	if (crowded.length > 0) {
		const lists = crowded.map(({ list, entries }) => `${list} (${entries} entries)`).join(', ');
		check.fail(
			`The contact has more than one entry in ${lists}, so LexOffice does not allow updating it`,
			'LexOffice updates only contacts with at most one billing and one shipping address, one contact person and one entry per email and phone kind. Reduce these lists to one entry in LexOffice, then run the workflow again. Nothing was changed.',
		);
	}
	return applyContactChanges(check, current, changes);
}
