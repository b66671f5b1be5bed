import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { resources as bitrix24Resources } from '../../../nodes/Bitrix24/actions/resources';
import { resources as lexofficeResources } from '../../../nodes/Lexoffice/actions/resources';
import { runOperation, type Operation, type Resource } from '../../../nodes/shared/operation';
import { runNode } from '../../helpers/n8nContext';

/**
 * The one router of both action nodes (nodes/shared/operation.ts), run by n8n-core's own
 * ExecuteContext: pairing for each kind of operation, Continue On Fail for item errors and
 * batch-wide errors, errors that stop the node, and the aggregate's pairing with every input.
 */

const option = (value: string) => ({ name: value, value, description: value, action: value });

/** Item i fails when its json says `fail: 'plain' | 'api' | 'operation'`. */
function failureFor(context: IExecuteFunctions, itemIndex: number): Error | undefined {
	const { fail } = context.getInputData()[itemIndex].json;
	if (fail === 'plain') return new Error(`item ${itemIndex} is broken`);
	if (fail === 'api') {
		return new NodeApiError(
			context.getNode(),
			{ message: 'refused' },
			{ message: `API refused item ${itemIndex}`, description: 'Fix the field' },
		);
	}
	if (fail === 'operation') {
		return new NodeOperationError(context.getNode(), `Bad input in item ${itemIndex}`, { description: 'Map a number' });
	}
	return undefined;
}

const calls: string[] = [];

const perItem: Operation = {
	option: option('perItem'),
	description: [],
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
		calls.push(`perItem ${itemIndex}`);
		const failure = failureFor(this, itemIndex);
		if (failure) throw failure;
		// Item i puts out i + 1 items, so pairing cannot come out right by position.
		return Array.from({ length: itemIndex + 1 }, (_, copy) => ({ json: { from: itemIndex, copy } }));
	},
};

const batch = (failWhole?: Error, failedItem?: boolean): Operation => ({
	option: option('batch'),
	description: [],
	async executeBatch(this: IExecuteFunctions, itemIndexes: number[]) {
		calls.push(`batch ${itemIndexes.join(',')}`);
		if (failWhole) throw failWhole;
		return itemIndexes.map((index) => failureFor(this, index) ?? { json: { from: index } });
	},
	...(failedItem
		? {
				failedItem: (error: Error, itemIndex: number): INodeExecutionData => ({
					json: { action: 'failed', from: itemIndex, error: error.message },
				}),
			}
		: {}),
});

const aggregate = (fail?: Error): Operation => ({
	option: option('aggregate'),
	description: [],
	async executeAggregate(this: IExecuteFunctions, itemIndexes: number[]) {
		if (fail) throw fail;
		return { json: { count: itemIndexes.length } };
	},
});

const resource = (...operations: Operation[]): Record<string, Resource> => ({
	test: {
		operations: Object.fromEntries(operations.map((operation) => [operation.option.value, operation])),
		description: [],
	},
});

/** The resources the test node routes to (execute() runs with n8n's context as `this`). */
let current: Record<string, Resource> = {};

/** A node whose whole execute() is the shared router. */
class RouterNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Router Test',
		name: 'routerTest',
		group: ['transform'],
		version: 1,
		description: 'test node',
		defaults: { name: 'Router Test' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Resource', name: 'resource', type: 'string', default: 'test' },
			{ displayName: 'Operation', name: 'operation', type: 'string', default: '' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runOperation.call(this, current);
	}
}

async function run(
	operation: Operation,
	items: INodeExecutionData['json'][],
	options: { continueOnFail?: boolean; operationName?: string; resourceName?: string } = {},
): Promise<INodeExecutionData[]> {
	current = resource(operation);
	const [output] = await runNode(new RouterNode(), {
		parameters: {
			resource: options.resourceName ?? 'test',
			operation: options.operationName ?? operation.option.value,
		},
		items: items.map((json) => ({ json })),
		continueOnFail: options.continueOnFail ?? false,
	});
	return output;
}

const paired = (output: INodeExecutionData[]) => output.map((item) => item.pairedItem);

beforeEach(() => {
	calls.length = 0;
});

describe('runOperation: pairing', () => {
	it('per item: every output item is paired with the input it came from', async () => {
		const output = await run(perItem, [{}, {}, {}]);
		expect(output.map((item) => item.json)).toEqual([
			{ from: 0, copy: 0 },
			{ from: 1, copy: 0 },
			{ from: 1, copy: 1 },
			{ from: 2, copy: 0 },
			{ from: 2, copy: 1 },
			{ from: 2, copy: 2 },
		]);
		expect(paired(output)).toEqual([{ item: 0 }, { item: 1 }, { item: 1 }, { item: 2 }, { item: 2 }, { item: 2 }]);
	});

	it('batched: the operation is called once with every item index; outcome i is paired with input i', async () => {
		const output = await run(batch(), [{}, {}, {}]);
		expect(calls).toEqual(['batch 0,1,2']);
		expect(output.map((item) => item.json)).toEqual([{ from: 0 }, { from: 1 }, { from: 2 }]);
		expect(paired(output)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('aggregate: one item, paired with every input', async () => {
		const output = await run(aggregate(), [{}, {}, {}]);
		expect(output).toHaveLength(1);
		expect(output[0].json).toEqual({ count: 3 });
		expect(output[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});
});

describe('runOperation: Continue On Fail', () => {
	it.each([
		['a plain Error', 'plain', 'item 1 is broken', undefined, NodeOperationError],
		['a NodeApiError', 'api', 'API refused item 1', 'Fix the field', NodeApiError],
		['a NodeOperationError', 'operation', 'Bad input in item 1', 'Map a number', NodeOperationError],
	])(
		"per item: %s becomes that item's error item; its neighbours still run",
		async (_name, fail, message, description, errorClass) => {
			const output = await run(perItem, [{}, { fail }, {}], { continueOnFail: true });
			expect(calls).toEqual(['perItem 0', 'perItem 1', 'perItem 2']);
			expect(paired(output)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 2 }, { item: 2 }]);
			const failed = output[1];
			expect(failed.json).toEqual({ error: message, ...(description ? { description } : {}) });
			expect(failed.error).toBeInstanceOf(errorClass);
			expect(failed.error?.message).toBe(message);
			expect((failed.error as NodeOperationError).context.itemIndex).toBe(1);
		},
	);

	it("batched: an Error outcome becomes that item's error item, paired with it", async () => {
		const output = await run(batch(), [{}, { fail: 'api' }, {}], { continueOnFail: true });
		expect(output.map((item) => item.json)).toEqual([
			{ from: 0 },
			{ error: 'API refused item 1', description: 'Fix the field' },
			{ from: 2 },
		]);
		expect(paired(output)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[1].error).toBeInstanceOf(NodeApiError);
		expect(output.filter((item) => item.error)).toHaveLength(1);
	});

	it('batched: a batch-wide failure fails every item with its message, each paired with its own input', async () => {
		const whole = new NodeOperationError({} as never, 'Billing and shipping address type are the same', {
			description: 'Choose two types',
		});
		const output = await run(batch(whole), [{}, {}, {}], { continueOnFail: true });
		expect(output.map((item) => item.json)).toEqual(
			Array.from({ length: 3 }, () => ({
				error: 'Billing and shipping address type are the same',
				description: 'Choose two types',
			})),
		);
		expect(paired(output)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output.every((item) => item.error === whole)).toBe(true);
	});

	it("batched: a batch-wide failure becomes the operation's own failed item when it reports one", async () => {
		const output = await run(batch(new Error('lookup failed'), true), [{}, {}], { continueOnFail: true });
		expect(output).toEqual([
			{ json: { action: 'failed', from: 0, error: 'lookup failed' }, pairedItem: { item: 0 } },
			{ json: { action: 'failed', from: 1, error: 'lookup failed' }, pairedItem: { item: 1 } },
		]);
	});
});

describe('runOperation: errors that stop the node', () => {
	it('per item: the first failing item stops the node with its own error and index; later items do not run', async () => {
		const error = await run(perItem, [{}, { fail: 'api' }, {}]).catch((thrown: unknown) => thrown);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error).toMatchObject({
			message: 'API refused item 1',
			description: 'Fix the field',
			context: { itemIndex: 1 },
		});
		expect(calls).toEqual(['perItem 0', 'perItem 1']);
	});

	it('per item: a plain Error is wrapped in NodeOperationError with its message and item index', async () => {
		const error = await run(perItem, [{ fail: 'plain' }]).catch((thrown: unknown) => thrown);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error).toMatchObject({ message: 'item 0 is broken', context: { itemIndex: 0 } });
	});

	it("batched: an Error outcome stops the node with that item's error", async () => {
		const error = await run(batch(), [{}, {}, { fail: 'operation' }]).catch((thrown: unknown) => thrown);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error).toMatchObject({
			message: 'Bad input in item 2',
			description: 'Map a number',
			context: { itemIndex: 2 },
		});
	});

	it('batched: a batch-wide failure stops the node, even when the operation reports failed items', async () => {
		await expect(run(batch(new Error('portal unreachable'), true), [{}, {}])).rejects.toThrow(
			expect.objectContaining({ message: 'portal unreachable', constructor: NodeOperationError }),
		);
	});

	it('aggregate: a failure stops the node even with Continue On Fail (no single input to fail)', async () => {
		await expect(run(aggregate(new Error('cannot count')), [{}, {}], { continueOnFail: true })).rejects.toThrow(
			expect.objectContaining({ message: 'cannot count', constructor: NodeOperationError }),
		);
	});

	it.each([
		['an unknown operation', { operationName: 'nope' }],
		['an inherited property as operation', { operationName: 'toString' }],
		['an unknown resource', { resourceName: 'elsewhere' }],
	])('%s stops the node, even with Continue On Fail', async (_name, names) => {
		await expect(run(perItem, [{}], { continueOnFail: true, ...names })).rejects.toThrow(/is not supported/);
		expect(calls).toEqual([]);
	});
});

/** A newcomer finds operation `<op>` of resource `<resource>` at actions/<resource>/<op>.operation.ts. */
describe.each([
	['Lexoffice', lexofficeResources],
	['Bitrix24', bitrix24Resources],
])('%s: every operation is actions/<resource>/<operation>.operation.ts', (node, resources) => {
	const actions = join(__dirname, '../../../nodes', node, 'actions');

	it.each(Object.keys(resources))('%s', (resourceName) => {
		const operations = resources[resourceName].operations;
		const files = readdirSync(join(actions, resourceName))
			.filter((file) => file.endsWith('.operation.ts'))
			.map((file) => file.replace(/\.operation\.ts$/, ''));
		expect(Object.keys(operations).sort()).toEqual(files.sort());
		for (const [name, operation] of Object.entries(operations)) {
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const file = require(join(actions, resourceName, `${name}.operation`)) as Operation;
			expect(file.option).toBe(operation.option);
			expect(operation.option.value).toBe(name);
		}
	});
});
