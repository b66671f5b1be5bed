import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { lexofficeRequest } from '../../transport';
import type { OperationOption } from '../../../shared/operation';
import { subscriptionId, subscriptionIdProperty, subscriptionPath } from './shared';

/** DELETE /v1/event-subscriptions/{id} → 204 (lexoffice-api.md §6.1). */

export const option: OperationOption = {
	name: 'Delete',
	value: 'delete',
	description: 'Delete an event subscription',
	action: 'Delete an event subscription',
};

const displayOptions = { show: { resource: ['eventSubscription'], operation: ['delete'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [subscriptionIdProperty]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const id = subscriptionId.call(this, itemIndex);
	await lexofficeRequest.call(this, { method: 'DELETE', path: subscriptionPath(id) });
	return [{ json: { subscriptionId: id, deleted: true } }];
}
