import {
	updateDisplayOptions,
	type IContextObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { DateTime } from 'luxon';

import { nextContactPage } from '../../helpers/contactRequests';
import type { OperationOption } from '../../../shared/operation';
import { simplifyProperty, wantsSimplified } from '../../../shared/simplify';
import { SIMPLE_CONTACT_FIELDS, simplifyContact } from './output';

/**
 * One page of contacts per run, for a loop that works through all contacts page by page (the bundled
 * contacts workflow), so the editor shows the work advancing instead of one long run. Like n8n's
 * Loop Over Items, the node keeps where it is in its node context, which expressions read as
 * `$('<node>').context`: `page` (0-based, the page just read), `lastPage`, `contactsRead`,
 * `totalElements` and `startedAt` (ISO time of the first page's request).
 */
export interface PageLoopState {
	nextPage: number;
	page: number;
	lastPage: boolean;
	contactsRead: number;
	totalElements: number | null;
	startedAt: string;
}

export const option: OperationOption = {
	name: 'Get Next Page',
	value: 'getNextPage',
	description:
		'Get the next page of contacts (up to 250) on each run, to work through all contacts page by page in a loop',
	action: 'Get the next page of contacts',
};

const displayOptions = { show: { resource: ['contact'], operation: ['getNextPage'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [
	{
		displayName:
			"The first run of an execution reads the first page, each further run the next one. Loop back to this node while $('<this node>').context.lastPage is false.",
		name: 'getNextPageNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Include Archived',
		name: 'includeArchived',
		type: 'boolean',
		default: false,
		description:
			'Whether to include archived contacts (LexOffice lists them too; they are left out unless this is on, and a page of only archived contacts is passed over)',
	},
	simplifyProperty(SIMPLE_CONTACT_FIELDS),
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const includeArchived = this.getNodeParameter('includeArchived', itemIndex, false) as boolean;
	const state = this.getContext('node') as IContextObject & Partial<PageLoopState>;
	// A new execution (run 0) starts from the first page, even if the context was carried over.
	const firstRun = itemIndex === 0 && this.getWorkflowDataProxy(itemIndex).$runIndex === 0;
	if (firstRun || state.nextPage === undefined) {
		Object.assign(state, {
			nextPage: 0,
			page: -1,
			lastPage: false,
			contactsRead: 0,
			totalElements: null,
			startedAt: DateTime.now().setZone(this.getTimezone()).toISO() ?? DateTime.utc().toString(),
		} satisfies PageLoopState);
	}
	if (state.lastPage) return [];

	const read = await nextContactPage.call(this, state.nextPage as number, { includeArchived });
	state.page = read.page;
	state.nextPage = read.page + 1;
	state.lastPage = read.last;
	state.contactsRead = (state.contactsRead ?? 0) + read.contacts.length;
	state.totalElements = read.totalElements ?? null;

	const simplify = wantsSimplified.call(this, itemIndex);
	return read.contacts.map((contact) => ({ json: simplify ? simplifyContact(contact) : contact }));
}
