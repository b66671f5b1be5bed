import type { INodeProperties } from 'n8n-workflow';

import type { LexofficeOperation, LexofficeResource } from './types';

/**
 * The node parameters of one resource: its Operation dropdown (built from the operations'
 * `option`s, alphabetically as n8n's UX guidelines ask) and each operation's parameters, shown
 * only for that resource and operation.
 */
export function resourceProperties(resource: LexofficeResource): INodeProperties[] {
	const operations = [...resource.operations].sort((a, b) => a.option.name.localeCompare(b.option.name));
	// Named values: n8n's lint reads `options` and `default` literally unless they are identifiers.
	const operationOptions = operations.map((operation) => operation.option);
	const defaultOperation = operationOptions[0].value;
	const operationSelector: INodeProperties = {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource.value] } },
		options: operationOptions,
		default: defaultOperation,
	};
	return [operationSelector, ...resource.operations.flatMap((operation) => operationProperties(resource, operation))];
}

function operationProperties(resource: LexofficeResource, operation: LexofficeOperation): INodeProperties[] {
	return operation.properties.map((property) => ({
		...property,
		displayOptions: {
			...property.displayOptions,
			show: {
				...property.displayOptions?.show,
				resource: [resource.value],
				operation: [operation.option.value],
			},
		},
	}));
}
