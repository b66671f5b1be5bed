import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { runOperation } from '../shared/operation';
import { resourceProperty, resources } from './actions/resources';
import { listSearch, loadOptions, resourceMapping } from './methods';

/**
 * Bitrix24 CRM actions, laid out like n8n's Airtable V2: operation `<op>` of resource `<resource>`
 * is actions/<resource>/<op>.operation.ts; nodes/shared/operation.ts runs it (pairing, Continue On
 * Fail); all HTTP goes through transport/.
 */
export class Bitrix24 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bitrix24',
		name: 'bitrix24',
		icon: { light: 'file:bitrix24.svg', dark: 'file:bitrix24.dark.svg' },
		group: ['transform'],
		// 2: Simplify on Get / Get Many of large records, default on (nodes/shared/simplify.ts).
		version: [1, 2],
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Work with Bitrix24 CRM and users',
		defaults: { name: 'Bitrix24' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'bitrix24WebhookApi',
				required: true,
				displayOptions: { show: { authentication: ['webhook'] } },
			},
			{
				name: 'bitrix24OAuth2Api',
				required: true,
				displayOptions: { show: { authentication: ['oAuth2'] } },
			},
		],
		properties: [
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Webhook',
						value: 'webhook',
						description: 'An incoming webhook of a Bitrix24 user; enough for CRM work',
					},
					{
						name: 'OAuth2 (Local Application)',
						value: 'oAuth2',
						description: 'Needed for placements, event binding and app automation triggers',
					},
				],
				default: 'webhook',
			},
			resourceProperty,
			...Object.values(resources).flatMap((resource) => resource.description),
		],
	};

	methods = { loadOptions, listSearch, resourceMapping };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runOperation.call(this, resources);
	}
}
