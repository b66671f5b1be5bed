import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { nodeProperties } from './actions/resources';
import { router } from './actions/router';
import { listSearch } from './methods';

/**
 * LexOffice (Lexware Office) actions, laid out like n8n's Airtable V2: one file per operation
 * under actions/<resource>/, dispatched by actions/router.ts; all HTTP goes through transport/.
 */
export class Lexoffice implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LexOffice',
		name: 'lexoffice',
		icon: { light: 'file:lexoffice.svg', dark: 'file:lexoffice.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Work with contacts, invoices and vouchers in LexOffice (Lexware Office)',
		defaults: { name: 'LexOffice' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'lexofficeApi', required: true }],
		properties: nodeProperties,
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
