import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { runOperation } from '../shared/operation';
import { nodeProperties, resources } from './actions/resources';
import { listSearch } from './methods';

/**
 * LexOffice (Lexware Office) actions, laid out like n8n's Airtable V2: operation `<op>` of resource
 * `<resource>` is actions/<resource>/<op>.operation.ts; nodes/shared/operation.ts runs it (pairing,
 * Continue On Fail); all HTTP goes through transport/.
 */
export class Lexoffice implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LexOffice',
		name: 'lexoffice',
		icon: { light: 'file:lexoffice.svg', dark: 'file:lexoffice.dark.svg' },
		group: ['transform'],
		// 2: Simplify on Get / Get Many of large records, default on (nodes/shared/simplify.ts).
		version: [1, 2],
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
		return await runOperation.call(this, resources);
	}
}
