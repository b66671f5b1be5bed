import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { lexofficeLimitProperties } from '../nodes/Lexoffice/transport/credentialProperties';

/**
 * LexOffice (Lexware Office) Public API key. The key is a Bearer token (lexoffice-api.md §1.2);
 * `GET /v1/profile` is the cheapest authenticated call, so it is the credential test (§8.3).
 */
export class LexofficeApi implements ICredentialType {
	name = 'lexofficeApi';

	displayName = 'LexOffice API';

	icon: Icon = {
		light: 'file:../nodes/Lexoffice/lexoffice.svg',
		dark: 'file:../nodes/Lexoffice/lexoffice.dark.svg',
	};

	documentationUrl = 'https://developers.lexware.io/docs/';

	properties: INodeProperties[] = [
		{
			displayName:
				'The LexOffice Public API needs the XL plan. An administrator creates the key at <a href="https://app.lexware.de/addons/public-api" target="_blank">app.lexware.de/addons/public-api</a> with the scopes for contacts, invoices/vouchers and event subscriptions. Keys expire after 24 months; event subscriptions are deleted with their key.',
			name: 'notice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'Public API key from https://app.lexware.de/addons/public-api (shown only once when created; valid for 24 months)',
		},
		{
			displayName: 'API Host',
			name: 'host',
			type: 'string',
			default: 'https://api.lexware.io',
			description:
				'Base URL of the LexOffice API, without /v1. Change it only for a test server; the old host api.lexoffice.io is retired.',
		},
		{
			displayName: 'Web App URL',
			name: 'appUrl',
			type: 'string',
			default: 'https://app.lexware.de',
			description: 'Base URL of the LexOffice web app, used for links that open contacts and invoices',
		},
		{
			displayName: 'Webhook Public Key',
			name: 'webhookPublicKey',
			type: 'string',
			typeOptions: { rows: 6 },
			default: '',
			placeholder: '-----BEGIN PUBLIC KEY-----\n…\n-----END PUBLIC KEY-----',
			description:
				'Leave empty to verify webhook signatures with the public key Lexware publishes (built into the node). Paste a PEM key only for a test server that signs with its own key, or if Lexware rotates its key before the node is updated.',
		},
		...lexofficeLimitProperties,
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.host}}',
			url: '/v1/profile',
			method: 'GET',
		},
	};
}
