import {
	NodeConnectionTypes,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { triggerProperties, type TriggerMode } from './description';
import { subscribe, subscriptionExists, unsubscribe } from './eventSubscription';
import { receiveCrmEvent, receiveInstallCallback, receivePlacementCall } from './receive';

const usesCredentials = { mode: ['events', 'placement'] };

export class Bitrix24Trigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bitrix24 Trigger',
		name: 'bitrix24Trigger',
		icon: { light: 'file:../Bitrix24/bitrix24.svg', dark: 'file:../Bitrix24/bitrix24.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{ $parameter["mode"] === "placement" ? "Placement" : $parameter["mode"] === "appInstall" ? "App Installation" : "CRM Events" }}',
		description: 'Starts a workflow on Bitrix24 CRM events, placement buttons or the local app installation',
		defaults: { name: 'Bitrix24 Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'bitrix24WebhookApi',
				required: true,
				displayOptions: { show: { ...usesCredentials, authentication: ['webhook'] } },
			},
			{
				name: 'bitrix24OAuth2Api',
				required: true,
				displayOptions: { show: { ...usesCredentials, authentication: ['oAuth2'] } },
			},
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				// Placement calls can wait for a "Respond to Webhook" node; everything else is answered at once.
				responseMode:
					'={{ $parameter["mode"] === "placement" && $parameter["placementResponse"] === "responseNode" ? "responseNode" : "onReceived" }}',
				path: 'webhook',
			},
		],
		properties: triggerProperties,
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await subscriptionExists.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await subscribe.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await unsubscribe.call(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const mode = this.getNodeParameter('mode') as TriggerMode;
		if (mode === 'placement') return await receivePlacementCall.call(this);
		if (mode === 'appInstall') return await receiveInstallCallback.call(this);
		return await receiveCrmEvent.call(this);
	}
}
