import {
	jsonParse,
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { z } from 'zod';

import { bitrix24Batch, type BatchCommand } from '../../transport';
import type { OperationOption } from '../../../shared/operation';

export const option: OperationOption = {
	name: 'Batch',
	value: 'batch',
	description: 'Run many REST calls in as few requests as possible (50 per request), results per command',
	action: 'Run a batch of methods',
};

const displayOptions = { show: { resource: ['callMethod'], operation: ['batch'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [
	{
		displayName: 'Commands (JSON)',
		name: 'commands',
		type: 'json',
		required: true,
		default: '[\n  {"key": "me", "method": "user.current"}\n]',
		description:
			'A JSON list of {"key", "method", "params"}. A later command can use an earlier result as $result[key][field], e.g. {"key": "addr", "method": "crm.address.add", "params": {"fields": {"ENTITY_ID": "$result[rq]"}}}. Commands that refer to each other are kept in one request.',
	},
	{
		displayName: 'Stop at First Failure',
		name: 'halt',
		type: 'boolean',
		default: false,
		description: 'Whether to stop at the first failing command; the commands after it are reported as not executed',
	},
]);

const commandsSchema = z
	.array(
		z.object({
			key: z.string().regex(/^[A-Za-z0-9_]+$/, 'a key may only contain letters, digits and _'),
			method: z.string().min(1, 'the method is empty'),
			params: z.record(z.unknown()).optional(),
		}),
	)
	.min(1, 'the list is empty');

function commandsOf(this: IExecuteFunctions, itemIndex: number): BatchCommand[] {
	const raw = this.getNodeParameter('commands', itemIndex) as unknown;
	const parsed =
		typeof raw === 'string' ? jsonParse<unknown>(raw, { errorMessage: 'The commands are not valid JSON' }) : raw;
	const checked = commandsSchema.safeParse(parsed);
	if (!checked.success) {
		const issue = checked.error.issues[0];
		throw new NodeOperationError(
			this.getNode(),
			`Commands (JSON): ${issue.path.join('.') || 'list'}: ${issue.message}`,
			{
				description: 'Give a JSON list like [{"key": "me", "method": "user.current", "params": {}}] with unique keys',
				itemIndex,
			},
		);
	}
	const keys = checked.data.map((command) => command.key);
	const repeated = keys.find((key, index) => keys.indexOf(key) !== index);
	if (repeated !== undefined) {
		throw new NodeOperationError(this.getNode(), `Commands (JSON): the key "${repeated}" is used twice`, {
			description: 'Every command needs its own key; results are reported by key',
			itemIndex,
		});
	}
	return checked.data.map(({ key, method, params }) => ({ key, method, params: params as IDataObject | undefined }));
}

/** One output item per input item: every command's result or error, by key, none lost. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const halt = this.getNodeParameter('halt', itemIndex, false) as boolean;
	const results = await bitrix24Batch.call(this, commandsOf.call(this, itemIndex), { halt, itemIndex });
	return this.helpers.returnJsonArray({ results: results as unknown as IDataObject });
}
