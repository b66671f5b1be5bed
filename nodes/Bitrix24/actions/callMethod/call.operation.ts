import {
	jsonParse,
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { bitrix24Call } from '../../transport';
import type { OperationOption } from '../../../shared/operation';

export const option: OperationOption = {
	name: 'Call',
	value: 'call',
	description: 'Call any Bitrix24 REST method with your own parameters',
	action: 'Call a method',
};

const displayOptions = { show: { resource: ['callMethod'], operation: ['call'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [
	{
		displayName: 'Method',
		name: 'method',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'crm.contact.list',
		description:
			'Name of the REST method as in the Bitrix24 REST documentation. Requests are rate-limited and sent as POST with a JSON body.',
	},
	{
		displayName: 'Parameters (JSON)',
		name: 'parameters',
		type: 'json',
		default: '{}',
		description: 'The method parameters as a JSON object, e.g. {"filter": {"NAME": "Anna"}, "select": ["ID", "NAME"]}',
	},
]);

function parametersOf(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const raw = this.getNodeParameter('parameters', itemIndex, '{}') as unknown;
	const parsed =
		typeof raw === 'string'
			? jsonParse<unknown>(raw.trim() === '' ? '{}' : raw, {
					errorMessage: 'The parameters are not valid JSON',
				})
			: raw;
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw new NodeOperationError(this.getNode(), 'The parameters must be a JSON object', {
			description: 'Wrap them in { }, e.g. {"id": 42}',
			itemIndex,
		});
	}
	return parsed as IDataObject;
}

/** For power users: whatever Bitrix24 answers, minus the timing block. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const method = (this.getNodeParameter('method', itemIndex) as string).trim();
	const response = await bitrix24Call.call(this, method, parametersOf.call(this, itemIndex), { itemIndex });
	const output: IDataObject = { result: response.result as IDataObject };
	if (response.total !== undefined) output.total = response.total;
	if (response.next !== undefined) output.next = response.next;
	return this.helpers.returnJsonArray(output);
}
