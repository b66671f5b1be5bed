import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

/**
 * One operation, one file (`<op>.operation.ts`): its entry in the Operation list, its own
 * parameters and what it does for one input item. The router handles items, pairing and
 * continueOnFail, so an operation only returns the JSON it produced.
 */
export interface ItemOperation {
	option: INodePropertyOptions & { value: string; action: string };
	description: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject | IDataObject[]>;
}

/**
 * An operation that works on all input items together (e.g. Upsert, which looks up and writes
 * in batches of 50). It returns one outcome per input item, in input order: the JSON for that
 * item, or the Error that item failed with. One item's failure must not fail its neighbours;
 * the router turns Errors into error items (continueOnFail) or throws the first one.
 */
export interface BatchOperation {
	option: INodePropertyOptions & { value: string; action: string };
	description: INodeProperties[];
	/** A throw fails the whole operation: the router stops the node, or with continueOnFail fails every item. */
	executeBatch(this: IExecuteFunctions, itemIndexes: number[]): Promise<Array<IDataObject | Error>>;
}

/** An operation that turns all input items into one (e.g. statistics); its item is paired with every input. */
export interface AggregateOperation {
	option: INodePropertyOptions & { value: string; action: string };
	description: INodeProperties[];
	executeAggregate(this: IExecuteFunctions, itemIndexes: number[]): Promise<IDataObject>;
}

export type OperationModule = ItemOperation | BatchOperation | AggregateOperation;

export const isBatchOperation = (operation: OperationModule): operation is BatchOperation =>
	'executeBatch' in operation;

export const isAggregateOperation = (operation: OperationModule): operation is AggregateOperation =>
	'executeAggregate' in operation;

/** One resource (`<Resource>.resource.ts`): its operations and their parameters. */
export interface ResourceModule {
	operations: Record<string, OperationModule>;
	description: INodeProperties[];
}

const byName = (a: INodePropertyOptions, b: INodePropertyOptions) => a.name.localeCompare(b.name);

/**
 * The Operation list of a resource, built from its operation modules, followed by their
 * parameters. Adding an operation = one new file plus its line in the resource's `operations`.
 */
export function resourceDescription(
	resource: string,
	operations: Record<string, OperationModule>,
	defaultOperation: string,
): INodeProperties[] {
	for (const [key, operation] of Object.entries(operations)) {
		if (operation.option.value !== key) {
			throw new Error(`Bitrix24 operation "${key}" of "${resource}" declares value "${operation.option.value}"`);
		}
	}
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
