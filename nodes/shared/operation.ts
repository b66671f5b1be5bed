import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodePropertyOptions,
} from 'n8n-workflow';

/**
 * The operation contract of both action nodes (LexOffice, Bitrix24), laid out like n8n's Airtable
 * V2: operation `<op>` of resource `<resource>` is the file `actions/<resource>/<op>.operation.ts`,
 * which exports `option`, `description` and one of `execute`, `executeBatch`, `executeAggregate`.
 * Operations return n8n items; `runOperation` below pairs them with their inputs and handles
 * "Continue On Fail", once, for every operation of both nodes.
 */

/** The operation's entry in the Operation dropdown; `value` is its name in `operations`. */
export type OperationOption = INodePropertyOptions & { value: string; action: string };

interface OperationBase {
	option: OperationOption;
	/** Its parameters, shown only for its resource and operation (`updateDisplayOptions`). */
	description: INodeProperties[];
}

/** Runs once per input item and returns that item's output items. A throw fails only that item. */
export interface ItemOperation extends OperationBase {
	execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]>;
}

/**
 * Works on all input items together (e.g. Create or Update, which looks up and writes in batches
 * of 50). Returns one outcome per input item, in input order: that item's output item, or the Error
 * it failed with; one item's failure must not fail its neighbours. A throw is a failure of the
 * whole operation (settings, a lookup): it stops the node, or with Continue On Fail fails every
 * item, as `failedItem` reports it when given (an error item otherwise).
 */
export interface BatchOperation extends OperationBase {
	executeBatch(this: IExecuteFunctions, itemIndexes: number[]): Promise<Array<INodeExecutionData | Error>>;
	failedItem?(this: IExecuteFunctions, error: Error, itemIndex: number): INodeExecutionData;
}

/**
 * Turns all input items into one (e.g. statistics), paired with every input. A throw stops the
 * node: there is no single input item it could fail alone.
 */
export interface AggregateOperation extends OperationBase {
	executeAggregate(this: IExecuteFunctions, itemIndexes: number[]): Promise<INodeExecutionData>;
}

export type Operation = ItemOperation | BatchOperation | AggregateOperation;

/** One resource (`actions/<resource>/<Resource>.resource.ts`): its operations by name and its parameters. */
export interface Resource {
	operations: Record<string, Operation>;
	description: INodeProperties[];
}

const byName = (a: INodePropertyOptions, b: INodePropertyOptions) => a.name.localeCompare(b.name);

/**
 * The Operation dropdown of a resource (alphabetical, as n8n's UX guidelines ask), followed by its
 * operations' parameters. Adding an operation = one new file plus its line in `operations`.
 */
export function resourceDescription(
	resource: string,
	operations: Record<string, Operation>,
	defaultOperation: string,
): INodeProperties[] {
	for (const [key, operation] of Object.entries(operations)) {
		if (operation.option.value !== key) {
			throw new Error(`Operation "${key}" of "${resource}" declares value "${operation.option.value}"`);
		}
	}
	// Named values: n8n's lint reads `options` and `default` literally unless they are identifiers.
	const operationOptions = Object.values(operations)
		.map((operation) => operation.option)
		.sort(byName);
	return [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource] } },
			options: operationOptions,
			default: defaultOperation,
		},
		...Object.values(operations).flatMap((operation) => operation.description),
	];
}

/** Batch outcomes as items: JSON becomes an item, an Error stays that item's failure. */
export function jsonOutcomes(outcomes: Array<IDataObject | Error>): Array<INodeExecutionData | Error> {
	return outcomes.map((outcome) => (outcome instanceof Error ? outcome : { json: outcome }));
}

const own = <T>(record: Record<string, T>, key: string): T | undefined =>
	Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;

function selectedOperation(this: IExecuteFunctions, resources: Record<string, Resource>): Operation {
	const resourceName = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const resource = own(resources, resourceName);
	const operation = resource ? own(resource.operations, operationName) : undefined;
	if (!operation) {
		const message = `The operation "${operationName}" of "${resourceName}" is not supported`;
		throw new NodeOperationError(this.getNode(), message);
	}
	return operation;
}

/**
 * The router of both nodes: runs the selected operation on the input items and returns n8n items,
 * each paired with the input(s) it came from. A failed item stops the node with its error, or with
 * Continue On Fail becomes an error item (message and description) in its place.
 */
export async function runOperation(
	this: IExecuteFunctions,
	resources: Record<string, Resource>,
): Promise<INodeExecutionData[][]> {
	const operation = selectedOperation.call(this, resources);
	const itemIndexes = this.getInputData().map((_item, index) => index);

	if ('executeAggregate' in operation) {
		let item: INodeExecutionData;
		try {
			item = await operation.executeAggregate.call(this, itemIndexes);
		} catch (error) {
			throw asNodeError.call(this, error);
		}
		return [[{ ...item, pairedItem: itemIndexes.map((index) => ({ item: index })) }]];
	}

	if ('executeBatch' in operation) {
		let outcomes: Array<INodeExecutionData | Error>;
		try {
			outcomes = await operation.executeBatch.call(this, itemIndexes);
		} catch (error) {
			if (!this.continueOnFail()) throw asNodeError.call(this, error);
			const { failedItem } = operation;
			outcomes = itemIndexes.map((index) =>
				failedItem ? failedItem.call(this, error as Error, index) : (error as Error),
			);
		}
		return [itemIndexes.map((index) => pairOutcome.call(this, outcomes[index], index))];
	}

	const output: INodeExecutionData[] = [];
	for (const index of itemIndexes) {
		try {
			const items = await operation.execute.call(this, index);
			output.push(...items.map((item) => ({ ...item, pairedItem: { item: index } })));
		} catch (error) {
			output.push(itemFailure.call(this, error, index));
		}
	}
	return [output];
}

function pairOutcome(
	this: IExecuteFunctions,
	outcome: INodeExecutionData | Error,
	itemIndex: number,
): INodeExecutionData {
	if (outcome instanceof Error) return itemFailure.call(this, outcome, itemIndex);
	return { ...outcome, pairedItem: { item: itemIndex } };
}

/** The failure of one item: thrown (stopping the node) unless Continue On Fail, then its error item. */
function itemFailure(this: IExecuteFunctions, error: unknown, itemIndex: number): INodeExecutionData {
	const nodeError = asNodeError.call(this, error, itemIndex);
	if (!this.continueOnFail()) throw nodeError;
	// `error` on the item sends it to the error output under "Continue (using error output)";
	// n8n only recognises a json of just {error} otherwise, and ours carries a description. n8n then
	// hands the next node only `{ error: message }` (WorkflowExecute.normalizeNodeErrors): a case a
	// later node must tell apart is told by the message (e.g. CLAIM_HELD_ERROR).
	const { message, description } = nodeError;
	return {
		json: { error: message, ...(description ? { description } : {}) },
		error: nodeError,
		pairedItem: { item: itemIndex },
	};
}

/**
 * Errors keep their own message and description (the transports have already taken secrets out,
 * nodes/shared/redact.ts) and gain the item index, which n8n shows as "[item X]".
 */
function asNodeError(this: IExecuteFunctions, error: unknown, itemIndex?: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (itemIndex !== undefined) error.context.itemIndex ??= itemIndex;
		return error;
	}
	return new NodeOperationError(this.getNode(), error as Error, { itemIndex });
}
