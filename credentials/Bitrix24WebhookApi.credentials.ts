import type {
	IAuthenticate,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { parseWebhookUrl, resolveMethodUrl } from '../nodes/Bitrix24/transport/urls';
import { bitrix24LimitProperties } from '../nodes/Bitrix24/transport/credentialProperties';

/**
 * A Bitrix24 incoming webhook: `https://PORTAL/rest/USER_ID/SECRET/` (bitrix24-api.md §1.1).
 * The secret is part of the URL, so the whole URL is treated as a password and only this
 * credential's `authenticate` ever puts it in front of a method name.
 */
export class Bitrix24WebhookApi implements ICredentialType {
	name = 'bitrix24WebhookApi';

	displayName = 'Bitrix24 Webhook API';

	icon = 'file:../nodes/Bitrix24/bitrix24.svg' as const;

	documentationUrl = 'https://apidocs.bitrix24.com/local-integrations/local-webhooks.html';

	properties: INodeProperties[] = [
		// The URL is the secret: its path carries the webhook code that grants the user's rights.
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password
		{
			displayName: 'Webhook URL',
			name: 'webhookUrl',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'https://your-portal.bitrix24.de/rest/1/abcdef1234567890/',
			description:
				'The URL of an incoming webhook (Bitrix24: Developer resources → Other → Incoming webhook). A URL copied with a method at the end (e.g. …/profile.json) works too. Treat it like a password: it contains the secret.',
		},
		{
			displayName: 'Application Token (Outgoing Webhook)',
			name: 'applicationToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only for the Bitrix24 Trigger: the application token Bitrix24 shows for your outgoing webhook (Developer resources → Other → Outgoing webhook), or of the app whose button calls the trigger. The trigger refuses every call that does not carry it.',
		},
		...bitrix24LimitProperties,
	];

	/** Puts the webhook base (with its secret) in front of the relative method name the node sends. */
	authenticate: IAuthenticate = async (credentials, requestOptions): Promise<IHttpRequestOptions> => {
		const { base } = parseWebhookUrl(credentials.webhookUrl);
		const options = { ...requestOptions, url: resolveMethodUrl(base, requestOptions.url ?? '') };
		delete options.baseURL;
		return options;
	};

	/** `profile` needs no scope, so any working webhook passes. */
	test: ICredentialTestRequest = {
		request: {
			method: 'POST',
			url: 'profile',
			headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
		},
	};
}
