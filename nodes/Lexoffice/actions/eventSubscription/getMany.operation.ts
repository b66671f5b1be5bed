import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { listSubscriptions } from '../../helpers/eventSubscriptions';
import { resultLimit, returnAllOrLimit } from '../common';
import type { OperationOption } from '../../../shared/operation';

/** GET /v1/event-subscriptions: every subscription of the API key, in one unpaged list (§6.1). */

export const option: OperationOption = {
	name: 'Get Many',
	value: 'getMany',
	description: 'Get the event subscriptions of the API key',
	action: 'Get many event subscriptions',
};

const displayOptions = { show: { resource: ['eventSubscription'], operation: ['getMany'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [...returnAllOrLimit]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const limit = resultLimit.call(this, itemIndex);
	const subscriptions = await listSubscriptions.call(this);
	return subscriptions.slice(0, limit).map((subscription) => ({ json: subscription }));
}
