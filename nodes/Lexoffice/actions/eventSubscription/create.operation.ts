import type { IExecuteFunctions, INodeExecutionData, INodeProperties, JsonObject } from 'n8n-workflow';
import { NodeApiError, updateDisplayOptions } from 'n8n-workflow';

import { EVENT_TYPE_OPTIONS, isLexofficeEventType } from '../../helpers/eventTypes';
import { parseActionResult } from '../../helpers/responses';
import { httpCodeOf, lexofficeRequest } from '../../transport';
import { inputCheck } from '../common';
import type { OperationOption } from '../../../shared/operation';

/**
 * POST /v1/event-subscriptions (lexoffice-api.md §6.1): one event type, one HTTPS callback URL.
 * LexOffice checks the URL with a HEAD request (406 when that fails) and refuses a second
 * subscription of the same pair (409). For webhooks into n8n, the LexOffice Trigger manages its
 * subscriptions itself; this is for other receivers.
 */

export const option: OperationOption = {
	name: 'Create',
	value: 'create',
	description: 'Subscribe a URL to a LexOffice event',
	action: 'Create an event subscription',
};

// Named values: n8n's lint reads `options` and `default` literally unless they are identifiers.
const eventTypeOptions = [...EVENT_TYPE_OPTIONS].sort((a, b) => a.name.localeCompare(b.name));
const defaultEventType = 'contact.changed';

const displayOptions = { show: { resource: ['eventSubscription'], operation: ['create'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [
	{
		displayName:
			'To receive events in n8n, use the LexOffice Trigger node: it creates and removes its subscriptions itself',
		name: 'triggerNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Event Type',
		name: 'eventType',
		type: 'options',
		options: eventTypeOptions,
		default: defaultEventType,
		required: true,
	},
	{
		displayName: 'Callback URL',
		name: 'callbackUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://example.com/lexoffice/events',
		description: 'The HTTPS URL LexOffice posts the events to; it must answer within 5 seconds',
	},
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const check = inputCheck.call(this, itemIndex);
	const eventType = String(this.getNodeParameter('eventType', itemIndex));
	if (!isLexofficeEventType(eventType)) {
		check.fail(
			`"Event Type" is not a LexOffice event: "${eventType}"`,
			'Choose an event from the list, e.g. contact.changed or invoice.status.changed.',
		);
	}
	const callbackUrl = check.httpsUrl(this.getNodeParameter('callbackUrl', itemIndex), 'Callback URL');

	let answer: unknown;
	try {
		answer = await lexofficeRequest.call(this, {
			method: 'POST',
			path: '/v1/event-subscriptions',
			body: { eventType, callbackUrl },
		});
	} catch (error) {
		const advice = ADVICE[httpCodeOf(error) ?? 0];
		if (!advice || !(error instanceof NodeApiError)) throw new NodeApiError(this.getNode(), error as JsonObject);
		const message = `LexOffice refused the subscription to "${eventType}": ${error.message}`;
		throw new NodeApiError(this.getNode(), { message, httpCode: error.httpCode } as JsonObject, {
			message,
			description: [error.description, advice].filter(Boolean).join('\n\n'),
			httpCode: error.httpCode ?? undefined,
			itemIndex,
		});
	}
	const result = parseActionResult.call(this, answer, 'the new event subscription');
	return [{ json: { subscriptionId: result.id, eventType, callbackUrl, ...result } }];
}

const ADVICE: Record<number, string> = {
	406: 'LexOffice checks a new callback URL with a HEAD request and needs a valid HTTPS certificate; the URL must be reachable from the internet.',
	409: 'This URL is already subscribed to this event. Use Event Subscription → Get Many to find the subscription.',
};
