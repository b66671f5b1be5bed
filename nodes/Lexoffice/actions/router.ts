import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { resources } from './resources';
import type { LexofficeOperation } from './types';

/**
 * Runs the selected operation once per input item. Item linking (pairedItem) and "Continue On
 * Fail" are handled here, once, so operations only turn one item into output items.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = selectedOperation.call(this);
	const output: INodeExecutionData[] = [];
	const items = this.getInputData();

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const results = await operation.execute.call(this, itemIndex);
			output.push(...results.map((result) => ({ ...result, pairedItem: { item: itemIndex } })));
		} catch (error) {
			const nodeError = asNodeError.call(this, error, itemIndex);
			if (!this.continueOnFail()) throw nodeError;
			// `error` on the item sends it to the error output under "Continue (using error output)";
			// n8n only recognises a json of just {error} otherwise, and ours carries a description.
			output.push({
				json: { error: nodeError.message, ...(nodeError.description ? { description: nodeError.description } : {}) },
				error: nodeError,
				pairedItem: { item: itemIndex },
			});
		}
	}
	return [output];
}

function selectedOperation(this: IExecuteFunctions): LexofficeOperation {
	const resourceName = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = resources
		.find((resource) => resource.value === resourceName)
		?.operations.find((candidate) => candidate.option.value === operationName);
	if (!operation) {
		throw new NodeOperationError(this.getNode(), `The operation "${operationName}" of "${resourceName}" is not supported`);
	}
	return operation;
}

/** Errors keep their own message and gain the item index, which n8n shows as "[item X]". */
function asNodeError(this: IExecuteFunctions, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.itemIndex ??= itemIndex;
		return error;
	}
	return new NodeOperationError(this.getNode(), error as Error, { itemIndex });
}
