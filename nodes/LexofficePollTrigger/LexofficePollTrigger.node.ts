import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { LEXOFFICE_CREDENTIAL_TYPE, type LexofficeCredentials } from '../Lexoffice/transport';
import { DEFAULT_APP_URL } from '../Lexoffice/helpers/eventResources';
import { EVENT_TYPE_OPTIONS } from '../Lexoffice/helpers/eventTypes';
import { pollContacts, sampleContact, type ContactPollState } from './polling/contacts';
import { pollInvoices, sampleInvoice, type InvoicePollState } from './polling/invoices';
import { repairSubscriptions } from './polling/subscriptionRepair';

type PollResource = 'contact' | 'invoice' | 'webhookSubscription';

function toOutput(items: IDataObject[]): INodeExecutionData[][] | null {
	return items.length > 0 ? [items.map((json) => ({ json }))] : null;
}

/**
 * The fallback for n8n instances LexOffice cannot reach (lexoffice-api.md §2 asks to avoid
 * polling, so this is the safety net, not the default). A separate node because n8n nodes are
 * either webhook or polling triggers. Its items have the webhook trigger's shape.
 */
export class LexofficePollTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LexOffice Poll Trigger',
		name: 'lexofficePollTrigger',
		icon: { light: 'file:../Lexoffice/lexoffice.svg', dark: 'file:../Lexoffice/lexoffice.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["resource"]}}',
		description: 'Starts the workflow when LexOffice (Lexware Office) contacts or invoices change, by polling',
		defaults: { name: 'LexOffice Poll Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'lexofficeApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				default: 'invoice',
				options: [
					{
						name: 'Contact',
						value: 'contact',
						description:
							'Created, changed and deleted contacts, found by scanning all contacts each time (up to 10,000 contacts)',
					},
					{
						name: 'Invoice',
						value: 'invoice',
						description: 'Created and changed invoices, from the voucher list',
					},
					{
						name: 'Webhook Subscription',
						value: 'webhookSubscription',
						description:
							"Re-creates missing LexOffice event subscriptions for a LexOffice Trigger's production URL once that URL is live",
					},
				],
			},
			{
				displayName: 'The first run only records the current state; changes after it are emitted once each.',
				name: 'firstRunNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { resource: ['contact', 'invoice'] } },
			},
			{
				displayName: 'Fetch Full Invoice',
				name: 'fetchFullInvoice',
				type: 'boolean',
				default: false,
				description:
					'Whether to load each changed invoice in full (one request per invoice) instead of its voucher list summary',
				displayOptions: { show: { resource: ['invoice'] } },
			},
			{
				displayName: 'Callback URL',
				name: 'callbackUrl',
				type: 'string',
				required: true,
				default: '',
				placeholder: 'https://n8n.example.com/webhook/…/webhook',
				description: 'The production URL shown in the LexOffice Trigger node',
				displayOptions: { show: { resource: ['webhookSubscription'] } },
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: [],
				options: EVENT_TYPE_OPTIONS,
				description: 'The events selected in that LexOffice Trigger',
				displayOptions: { show: { resource: ['webhookSubscription'] } },
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const resource = this.getNodeParameter('resource') as PollResource;
		const credentials = await this.getCredentials<LexofficeCredentials>(LEXOFFICE_CREDENTIAL_TYPE);
		const appUrl = credentials.appUrl || DEFAULT_APP_URL;
		const now = Date.now();
		const manual = this.getMode() === 'manual';
		const data = this.getWorkflowStaticData('node');

		if (resource === 'invoice') {
			const options = { now, appUrl, fetchFullInvoice: this.getNodeParameter('fetchFullInvoice', false) as boolean };
			if (manual) return toOutput(await sampleInvoice.call(this, options));
			const result = await pollInvoices.call(this, data.invoices as InvoicePollState | undefined, options);
			data.invoices = result.state;
			return toOutput(result.items);
		}

		if (resource === 'contact') {
			if (manual) return toOutput(await sampleContact.call(this, { now, appUrl }));
			const result = await pollContacts.call(this, data.contacts as ContactPollState | undefined, { now, appUrl });
			data.contacts = result.state;
			return toOutput(result.items);
		}

		const callbackUrl = (this.getNodeParameter('callbackUrl') as string).trim();
		const events = this.getNodeParameter('events', []) as string[];
		if (!/^https?:\/\//.test(callbackUrl) || events.length === 0) {
			throw new NodeOperationError(this.getNode(), "Enter the LexOffice Trigger's production URL and its events");
		}
		const result = await repairSubscriptions.call(this, callbackUrl, events);
		if (manual && result.items.length === 0) {
			// The editor's test run shows the state instead of nothing.
			return toOutput([{ callbackUrl, missing: result.missing, served: result.served ?? null }]);
		}
		return toOutput(result.items);
	}
}
