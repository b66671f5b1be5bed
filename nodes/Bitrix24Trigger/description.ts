import type { INodeProperties } from 'n8n-workflow';

import { PLACEMENT_OPTIONS } from '../Bitrix24/helpers/placementCodes';
import { CRM_EVENT_OPTIONS } from './crmEvents';
import { SMART_INVOICE_ENTITY_TYPE_ID } from '../Bitrix24/helpers/crmEntities';

export type TriggerMode = 'events' | 'placement' | 'appInstall';
export type PlacementResponse = 'responseNode' | 'redirectPage';

const inModes = (...mode: TriggerMode[]) => ({ mode });

export const triggerProperties: INodeProperties[] = [
	{
		displayName: 'Trigger On',
		name: 'mode',
		type: 'options',
		noDataExpression: true,
		default: 'events',
		options: [
			{
				name: 'CRM Events',
				value: 'events',
				description: 'A contact, company or smart invoice was created, updated or deleted',
			},
			{
				name: 'Placement (Button in Bitrix24)',
				value: 'placement',
				description: 'A user clicked a button (widget) the local application added to a CRM card',
			},
			{
				name: 'App Installation',
				value: 'appInstall',
				description: 'Bitrix24 installed the local application and sends its application token once',
			},
		],
	},
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		noDataExpression: true,
		default: 'webhook',
		options: [
			{ name: 'Incoming Webhook', value: 'webhook' },
			{ name: 'OAuth2 (Local Application)', value: 'oAuth2' },
		],
		displayOptions: { show: inModes('events', 'placement') },
	},
	{
		displayName:
			'An incoming-webhook credential cannot subscribe to events. In Bitrix24 open Developer resources → Other → Outgoing webhook, paste this node\'s Production URL (see "Webhook URLs" above) as the handler, tick the same events, and copy the application token Bitrix24 shows there into the credential\'s "Application Token (Outgoing Webhook)".',
		name: 'outgoingWebhookNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { ...inModes('events'), authentication: ['webhook'] } },
	},
	{
		displayName:
			'With OAuth2 the trigger subscribes the selected events itself (event.bind) when the workflow is published and unsubscribes them when it is unpublished. Bitrix24 must be able to reach the Production URL.',
		name: 'oauthEventsNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { ...inModes('events'), authentication: ['oAuth2'] } },
	},
	{
		displayName: 'Application Token (Moved to Credential)',
		name: 'applicationToken',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description:
			'Leave empty. The token now belongs in the "Bitrix24 Webhook API" credential ("Application Token (Outgoing Webhook)"), where n8n keeps it encrypted; a trigger with a token here will not publish.',
		displayOptions: { show: { ...inModes('events', 'placement'), authentication: ['webhook'] } },
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		default: [],
		options: CRM_EVENT_OPTIONS,
		description: 'The CRM events that start the workflow. Other events Bitrix24 sends here are ignored.',
		displayOptions: { show: inModes('events') },
	},
	{
		displayName: 'Entity Type ID (Smart Invoice / SPA Events)',
		name: 'dynamicEntityTypeId',
		type: 'number',
		default: SMART_INVOICE_ENTITY_TYPE_ID,
		description:
			'Only for the Smart Invoice / SPA item events: 31 = smart invoices, 128 and up = a smart process. 0 accepts every type.',
		displayOptions: { show: inModes('events') },
	},
	{
		displayName: 'Fetch Record',
		name: 'fetchRecord',
		type: 'boolean',
		default: false,
		description:
			'Whether to load the whole record (crm.item.get) into "record". Bitrix24 only sends the ID; a record deleted in the meantime is reported with recordDeleted = true.',
		displayOptions: { show: inModes('events') },
	},
	{
		displayName:
			"Register this node's Production URL as the handler of the button (placement.bind with a local application). The call is checked against the application token; the output holds the record type and ID.",
		name: 'placementNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: inModes('placement') },
	},
	{
		displayName: 'Bind Buttons on Publish',
		name: 'bindPlacements',
		type: 'multiOptions',
		options: PLACEMENT_OPTIONS,
		default: [],
		description:
			"Placements this trigger binds to its own Production URL when the workflow is published, and unbinds when it is unpublished (placement.bind needs the local application). Empty: bind them yourself with the Bitrix24 node's Placement → Bind.",
		displayOptions: { show: { ...inModes('placement'), authentication: ['oAuth2'] } },
	},
	{
		displayName: 'Button Title',
		name: 'buttonTitle',
		type: 'string',
		default: 'LexOffice: Rechnung erstellen',
		description: 'Text of the bound buttons for German users',
		displayOptions: { show: { ...inModes('placement'), authentication: ['oAuth2'] } },
	},
	{
		displayName: 'Button Title (English)',
		name: 'buttonEnglishTitle',
		type: 'string',
		default: 'LexOffice: Create Invoice',
		description: 'Text of the bound buttons for users with English as their language',
		displayOptions: { show: { ...inModes('placement'), authentication: ['oAuth2'] } },
	},
	{
		displayName: 'Respond',
		name: 'placementResponse',
		type: 'options',
		noDataExpression: true,
		default: 'redirectPage',
		options: [
			{
				name: 'Immediately With a Redirect Page',
				value: 'redirectPage',
				description: 'Answer at once with a page that opens the URL below in the Bitrix24 window; the workflow runs on',
			},
			{
				name: "Using 'Respond to Webhook' Node",
				value: 'responseNode',
				description:
					'The workflow answers. Use "Respond to Webhook" version 1: later versions only answer for n8n\'s own Webhook trigger. n8n sandboxes HTML answers, so the page may need a click to leave the slider.',
			},
		],
		displayOptions: { show: inModes('placement') },
	},
	{
		displayName: 'Page Title',
		name: 'pageTitle',
		type: 'string',
		default: 'LexOffice: Rechnung wird erstellt',
		displayOptions: { show: { ...inModes('placement'), placementResponse: ['redirectPage'] } },
	},
	{
		displayName: 'Page Message',
		name: 'pageMessage',
		type: 'string',
		default: 'Die Rechnung wird in LexOffice erstellt.',
		displayOptions: { show: { ...inModes('placement'), placementResponse: ['redirectPage'] } },
	},
	{
		displayName: 'Redirect URL',
		name: 'redirectUrl',
		type: 'string',
		default: 'https://app.lexware.de/',
		placeholder: 'https://app.lexware.de/',
		description:
			"Absolute https:// address to open; leave empty for a page without redirect. Expressions can read the request's body and query, as in the Webhook node.",
		displayOptions: { show: { ...inModes('placement'), placementResponse: ['redirectPage'] } },
	},
	{
		displayName: 'Link Text',
		name: 'linkText',
		type: 'string',
		default: 'Weiter zu LexOffice',
		displayOptions: { show: { ...inModes('placement'), placementResponse: ['redirectPage'] } },
	},
	{
		displayName:
			'Enter this node\'s Production URL as "Initial installation path" of the local application. When Bitrix24 installs the app it posts its application token here once: copy applicationToken from the execution into the "Bitrix24 OAuth2 API" credential, then delete the execution.',
		name: 'appInstallNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: inModes('appInstall') },
	},
	{
		displayName: 'Portal Address',
		name: 'expectedPortal',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://your-portal.bitrix24.de',
		description:
			'Your Bitrix24 portal. A callback is accepted only when this portal confirms the access token it carries (app.info); nothing from any other call reaches the workflow.',
		displayOptions: { show: inModes('appInstall') },
	},
];
