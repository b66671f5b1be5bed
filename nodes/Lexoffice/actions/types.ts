import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

/**
 * One operation = one `<op>.operation.ts` file exporting these three. `execute` handles a single
 * input item and returns its output items; the router adds pairedItem and handles continueOnFail.
 */
export interface LexofficeOperation {
	/** The entry in the Operation dropdown (`value` is the operation name). */
	option: { name: string; value: string; description: string; action: string };
	/** The operation's own parameters; the resource adds the displayOptions that show them. */
	properties: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]>;
}

export interface LexofficeResource {
	/** The resource's value in the Resource dropdown (actions/resources.ts). */
	value: string;
	operations: LexofficeOperation[];
}
