import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { parseSubscription } from '../../helpers/eventSubscriptions';
import { lexofficeRequest } from '../../transport';
import type { OperationOption } from '../../../shared/operation';
import { subscriptionId, subscriptionIdProperty, subscriptionPath } from './shared';

/** GET /v1/event-subscriptions/{id} (lexoffice-api.md §6.1). */

export const option: OperationOption = {
	name: 'Get',
	value: 'get',
	description: 'Get an event subscription',
	action: 'Get an event subscription',
};

const displayOptions = { show: { resource: ['eventSubscription'], operation: ['get'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [subscriptionIdProperty]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const id = subscriptionId.call(this, itemIndex);
	return [{ json: parseSubscription.call(this, await lexofficeRequest.call(this, { path: subscriptionPath(id) })) }];
}
