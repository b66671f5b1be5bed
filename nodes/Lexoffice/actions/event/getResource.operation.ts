import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { eventItem, fetchEventResource } from '../../helpers/eventItem';
import { LEXOFFICE_CREDENTIAL_TYPE, type LexofficeCredentials } from '../../transport/request';
import type { OperationOption } from '../../../shared/operation';

/**
 * The resource a LexOffice Trigger event is about, loaded inside the execution: the trigger
 * answers LexOffice at once and asks it nothing (issue #15), so a burst of events is paced here,
 * by the shared LexOffice rate limit, instead of holding up LexOffice's deliveries.
 */
export const option: OperationOption = {
	name: 'Get Resource',
	value: 'getResource',
	description:
		'Load the current contact, invoice, voucher or payment a LexOffice Trigger event is about, as the item\'s "resource" field',
	action: 'Get the resource of an event',
};

const displayOptions = { show: { resource: ['event'], operation: ['getResource'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [
	{
		displayName: 'Event Type',
		name: 'eventType',
		type: 'string',
		required: true,
		default: '={{ $json.eventType }}',
		description: "The event's type, e.g. contact.changed; the LexOffice Trigger gives it as eventType",
	},
	{
		displayName: 'Resource ID',
		name: 'resourceId',
		type: 'string',
		required: true,
		default: '={{ $json.resourceId }}',
		description: 'The ID of what the event is about; the LexOffice Trigger gives it as resourceId',
	},
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const eventType = String(this.getNodeParameter('eventType', itemIndex, '') ?? '').trim();
	const resourceId = String(this.getNodeParameter('resourceId', itemIndex, '') ?? '').trim();
	if (!eventType || !resourceId) {
		throw new NodeOperationError(this.getNode(), `${eventType ? 'Resource ID' : 'Event Type'} is empty`, {
			itemIndex,
			description:
				'Put this node right after a LexOffice Trigger, or map {{ $json.eventType }} and {{ $json.resourceId }} of its item.',
		});
	}
	const credentials = await this.getCredentials<LexofficeCredentials>(LEXOFFICE_CREDENTIAL_TYPE);
	const input = this.getInputData()[itemIndex]?.json ?? {};
	const resource = await fetchEventResource.call(this, { eventType, resourceId });
	const item: IDataObject = eventItem({ ...input, eventType, resourceId }, credentials.appUrl, resource);
	return [{ json: item }];
}
