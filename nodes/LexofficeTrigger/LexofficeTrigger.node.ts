import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { LEXOFFICE_CREDENTIAL_TYPE, type LexofficeCredentials } from '../Lexoffice/transport/request';
import { handleDelivery } from './delivery';
import { listSubscriptions } from '../Lexoffice/helpers/eventSubscriptions';
import { EVENT_TYPE_OPTIONS } from '../Lexoffice/helpers/eventTypes';
import { fetchOrganizationId, type OrganizationStaticData } from './organization';
import {
	deleteSubscription,
	deleteUnwanted,
	ensureSubscriptions,
	subscriptionsFor,
	type TriggerStaticData,
} from '../Lexoffice/helpers/triggerSubscriptions';
import { webhookPublicKey } from './signature';

function callbackUrl(this: IHookFunctions): string {
	const url = this.getNodeWebhookUrl('default');
	if (!url) throw new NodeOperationError(this.getNode(), 'n8n did not provide a webhook URL for this trigger');
	return url;
}

function selectedEvents(this: IHookFunctions): string[] {
	const events = this.getNodeParameter('events', []) as string[];
	if (events.length === 0) throw new NodeOperationError(this.getNode(), 'Select at least one event');
	return events;
}

function managesSubscriptions(this: IHookFunctions): boolean {
	return (this.getNodeParameter('options.createSubscriptions', true) as boolean) !== false;
}

/**
 * Checks what deliveries will need, at activation: a usable public key (a mistyped override would
 * reject every delivery silently) and the credential's organization id, kept in static data so
 * that a delivery is checked against it without a request (issue #15).
 */
async function prepareForDeliveries(this: IHookFunctions): Promise<void> {
	const credentials = await this.getCredentials<LexofficeCredentials>(LEXOFFICE_CREDENTIAL_TYPE);
	try {
		webhookPublicKey(credentials.webhookPublicKey);
	} catch (error) {
		throw new NodeOperationError(
			this.getNode(),
			'The webhook public key in the LexOffice credential is not a valid PEM public key',
			{
				description: `Leave the field empty to use Lexware's published key. (${(error as Error).message})`,
			},
		);
	}
	const data = this.getWorkflowStaticData('node') as OrganizationStaticData;
	await fetchOrganizationId.call(this, credentials, data);
}

export class LexofficeTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LexOffice Trigger',
		name: 'lexofficeTrigger',
		icon: { light: 'file:../Lexoffice/lexoffice.svg', dark: 'file:../Lexoffice/lexoffice.dark.svg' },
		group: ['trigger'],
		// 1.1 behaves exactly like 1. n8n 2.41 evaluates an expression for every webhook request of a
		// version-1 node (`$parameter.options.binaryData`, webhook-helpers parseRequestBody), which
		// costs an expression isolate; from 1.1 on a delivery evaluates none before it is answered.
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow when LexOffice (Lexware Office) reports an event',
		defaults: { name: 'LexOffice Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'lexofficeApi', required: true }],
		webhooks: [
			// LexOffice probes a new callback URL with HEAD (lexoffice-api.md §6.1). Listed first so
			// that, where n8n registers webhooks one by one, it is served before `default` subscribes.
			{ name: 'setup', httpMethod: 'HEAD', responseMode: 'onReceived', path: 'webhook' },
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
		],
		properties: [
			{
				displayName:
					"LexOffice must reach this workflow's production URL over HTTPS from the internet. If it cannot, use the LexOffice Poll Trigger instead.",
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName:
					'LexOffice sends only IDs. To work with the current contact, invoice or payment, add the LexOffice node\'s "Event → Get Resource" after this trigger: this trigger answers LexOffice at once, however many events arrive.',
				name: 'resourceNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: [],
				options: EVENT_TYPE_OPTIONS,
				description: 'The LexOffice events to subscribe to; one subscription is created per event',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Create Subscriptions on Activation',
						name: 'createSubscriptions',
						type: 'boolean',
						default: true,
						description:
							'Whether activating the workflow subscribes to the events in LexOffice. Turn off only if the subscriptions are created elsewhere (the LexOffice Poll Trigger\'s "Webhook Subscription" resource); deactivating removes them either way.',
					},
					{
						displayName: 'Deduplicate',
						name: 'deduplicate',
						type: 'boolean',
						default: true,
						description:
							'Whether to drop a delivery whose event type, resource and event date were already seen in the last 48 hours (LexOffice repeats deliveries it believes failed)',
					},
				],
			},
		],
	};

	webhookMethods = {
		default: {
			/**
			 * True only if every selected event has a subscription for this URL. Subscriptions for
			 * this URL whose event is no longer selected are removed on the way.
			 */
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const url = callbackUrl.call(this);
				const events = selectedEvents.call(this);
				await prepareForDeliveries.call(this);
				if (!managesSubscriptions.call(this)) return true;
				const all = await listSubscriptions.call(this);
				await deleteUnwanted.call(this, all, url, events);
				const ids = subscriptionsFor(all, url, events);
				const data = this.getWorkflowStaticData('node') as TriggerStaticData;
				data.callbackUrl = url;
				data.subscriptionIds = ids;
				return events.every((eventType) => ids[eventType] !== undefined);
			},

			async create(this: IHookFunctions): Promise<boolean> {
				const url = callbackUrl.call(this);
				const events = selectedEvents.call(this);
				if (!managesSubscriptions.call(this)) return true;
				const { ids } = await ensureSubscriptions.call(this, url, events);
				const data = this.getWorkflowStaticData('node') as TriggerStaticData;
				data.callbackUrl = url;
				data.subscriptionIds = ids;
				return true;
			},

			/** Removes every subscription of this URL (whoever created it); one already gone is fine. */
			async delete(this: IHookFunctions): Promise<boolean> {
				const url = callbackUrl.call(this);
				const data = this.getWorkflowStaticData('node') as TriggerStaticData;
				const ids = new Set(data.callbackUrl === url ? Object.values(data.subscriptionIds ?? {}) : []);
				for (const subscription of await listSubscriptions.call(this)) {
					if (subscription.callbackUrl === url) ids.add(subscription.subscriptionId);
				}
				for (const subscriptionId of ids) await deleteSubscription.call(this, subscriptionId);
				delete data.subscriptionIds;
				delete data.callbackUrl;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		if (this.getWebhookName() === 'setup') {
			this.getResponseObject().status(200).end();
			return { noWebhookResponse: true };
		}
		const options = this.getNodeParameter('options', {}) as IDataObject;
		return await handleDelivery.call(this, {
			events: this.getNodeParameter('events', []) as string[],
			deduplicate: options.deduplicate !== false,
		});
	}
}
