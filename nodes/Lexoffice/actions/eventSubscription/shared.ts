import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { inputCheck } from '../common';

export const subscriptionIdProperty: INodeProperties = {
	displayName: 'Subscription ID',
	name: 'subscriptionId',
	type: 'string',
	default: '',
	required: true,
	placeholder: '4d43ad14-671d-4e0c-fd4b-2fd8cc117eff',
};

export function subscriptionId(this: IExecuteFunctions, itemIndex: number): string {
	return inputCheck.call(this, itemIndex).uuid(this.getNodeParameter('subscriptionId', itemIndex), 'Subscription ID');
}

/** `/v1/event-subscriptions/{id}` (lexoffice-api.md §6.1). */
export const subscriptionPath = (id: string) => `/v1/event-subscriptions/${encodeURIComponent(id)}`;
