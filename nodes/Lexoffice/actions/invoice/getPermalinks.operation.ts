import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { invoiceLocator, locatorId } from '../common';
import type { OperationOption } from '../../../shared/operation';
import { invoicePermalinks } from './read';

/**
 * The web-app links of an invoice (lexoffice-api.md §4.4). They are built, not fetched: LexOffice
 * has no permalink endpoint; an edit link of a finalized invoice redirects to its view page.
 */

export const option: OperationOption = {
	name: 'Get Permalinks',
	value: 'getPermalinks',
	description: 'Get the links that open an invoice in LexOffice (no request to LexOffice)',
	action: 'Get the links of an invoice',
};

const displayOptions = { show: { resource: ['invoice'], operation: ['getPermalinks'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [invoiceLocator()]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const id = locatorId.call(this, itemIndex, 'invoiceId', 'Invoice');
	return [{ json: { id, ...(await invoicePermalinks.call(this, id)) } }];
}
