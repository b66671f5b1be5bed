import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { bitrix24LimitProperties } from '../nodes/Bitrix24/transport/credentialProperties';

/** `https://portal` from what the user typed (with or without scheme, with or without a path). */
const PORTAL_ORIGIN_EXPRESSION =
	'(String($self["portalUrl"]).trim().replace(/^(?!https?:\\/\\/)/i, "https://").match(/^https?:\\/\\/[^\\/?#]+/i) || [""])[0]';

/**
 * OAuth 2.0 for a Bitrix24 local application (bitrix24-api.md §1.2): authorize on the portal,
 * tokens from Bitrix24's OAuth server. Needed for methods that require application context
 * (placements, event.bind, app automation triggers) and for verifying calls FROM Bitrix24 with
 * the application token (§1.3).
 */
export class Bitrix24OAuth2Api implements ICredentialType {
	name = 'bitrix24OAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Bitrix24 OAuth2 API';

	icon = 'file:../nodes/Bitrix24/bitrix24.svg' as const;

	documentationUrl = 'https://apidocs.bitrix24.com/settings/oauth/index.html';

	properties: INodeProperties[] = [
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'authorizationCode',
		},
		{
			displayName: 'Portal URL',
			name: 'portalUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://your-portal.bitrix24.de',
			description: 'Address of the Bitrix24 portal the local application is installed on',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: `={{ ${PORTAL_ORIGIN_EXPRESSION} }}/oauth/authorize/`,
		},
		{
			displayName: 'OAuth Server Token URL',
			name: 'accessTokenUrl',
			type: 'string',
			default: 'https://oauth.bitrix.info/oauth/token/',
			description:
				"Bitrix24's OAuth server. Keep the default for Bitrix24 cloud portals; the client secret is sent only here, never to the portal.",
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			// A local application's scopes are chosen in its Bitrix24 settings, not in the request.
			default: '',
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			// Bitrix24's token endpoint takes client_id and client_secret as parameters (§1.2).
			default: 'body',
		},
		{
			displayName: 'Application Token',
			name: 'applicationToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'The application_token Bitrix24 sent when the application was installed (ONAPPINSTALL). Calls from Bitrix24 to n8n (events, placements) carry it and are rejected when it does not match.',
		},
		...bitrix24LimitProperties,
	];
}
