import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import { resources } from './resources';
import { isAggregateOperation, isBatchOperation, type OperationModule } from './types';

const own = <T>(record: Record<string, T>, key: string): T | undefined =>
	Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;

function findOperation(resource: string, operation: string): OperationModule | undefined {
	const module = own(resources, resource);
	return module ? own(module.operations, operation) : undefined;
}

function describeFailure(error: unknown): IDataObject {
	const { message, description } = error as { message?: string; description?: string | null };
	return { error: message ?? String(error), ...(description ? { description } : {}) };
}

/**
 * Runs the selected operation once per input item. Pairing every output with its input and
 * continueOnFail are handled here, once, for all operations.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = findOperation(resource, operationName);
	if (!operation) {
		throw new NodeOperationError(this.getNode(), `The operation "${operationName}" of "${resource}" is not supported`);
	}

	const items = this.getInputData();
	const itemIndexes = items.map((_item, index) => index);
	if (isAggregateOperation(operation)) {
		const json = await operation.executeAggregate.call(this, itemIndexes);
		return [[{ json, pairedItem: itemIndexes.map((item) => ({ item })) }]];
	}
	if (isBatchOperation(operation)) {
		let outcomes: Array<IDataObject | Error>;
		try {
			outcomes = await operation.executeBatch.call(this, itemIndexes);
		} catch (error) {
			// A failure of the whole operation (settings, a lookup): every item shares it.
			if (!this.continueOnFail()) throw asNodeError.call(this, error);
			outcomes = itemIndexes.map(() => error as Error);
		}
		return [outcomes.map((outcome, itemIndex) => pairOutcome.call(this, outcome, itemIndex))];
	}

	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const json = await operation.execute.call(this, itemIndex);
			output.push(
				...this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(json), { itemData: { item: itemIndex } }),
			);
		} catch (error) {
			const nodeError = asNodeError.call(this, error, itemIndex);
			if (!this.continueOnFail()) throw nodeError;
			// `error` on the item sends it to the error output under "Continue (using error output)";
			// n8n only recognises a json of just {error} otherwise, and ours carries a description.
			output.push({ json: describeFailure(error), error: nodeError, pairedItem: { item: itemIndex } });
		}
	}
	return [output];
}

/** One batch outcome as the item paired with its input; an Error fails the run unless continueOnFail. */
function pairOutcome(this: IExecuteFunctions, outcome: IDataObject | Error, itemIndex: number): INodeExecutionData {
	if (!(outcome instanceof Error)) return { json: outcome, pairedItem: { item: itemIndex } };
	const nodeError = asNodeError.call(this, outcome, itemIndex);
	if (!this.continueOnFail()) throw nodeError;
	return { json: describeFailure(outcome), error: nodeError, pairedItem: { item: itemIndex } };
}

function asNodeError(this: IExecuteFunctions, error: unknown, itemIndex?: number): NodeApiError | NodeOperationError {
	if ((error instanceof NodeApiError || error instanceof NodeOperationError) && itemIndex !== undefined) error.context.itemIndex ??= itemIndex;
	// Both constructors hand back an error of their own class unchanged.
	if (error instanceof NodeApiError) return new NodeApiError(this.getNode(), error as unknown as JsonObject);
	return new NodeOperationError(this.getNode(), error as Error, { itemIndex });
}
