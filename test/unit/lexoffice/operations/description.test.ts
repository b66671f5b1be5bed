import { NodeHelpers, type INode, type INodeParameters } from 'n8n-workflow';

import { Lexoffice } from '../../../../nodes/Lexoffice/Lexoffice.node';
import { resources } from '../../../../nodes/Lexoffice/actions/resources';

/** The node description as n8n reads it: each operation shows its own parameters, and only those. */
describe('LexOffice node description: operations', () => {
	const { description } = new Lexoffice();
	const node: INode = { id: 'n', name: 'LexOffice', type: 'lexoffice', typeVersion: 1, position: [0, 0], parameters: {} };
	const shown = (parameters: INodeParameters) =>
		Object.keys(NodeHelpers.getNodeParameters(description.properties, parameters, true, false, node, description) ?? {});

	test.each(resources.flatMap((resource) => resource.operations.map((operation) => [resource.value, operation.option.value, operation] as const)))(
		'%s → %s shows its parameters with their defaults',
		(resource, operationName, operation) => {
			const visible = shown({ resource, operation: operationName });
			const own = operation.properties
				.filter((property) => property.type !== 'notice' && !property.displayOptions?.show)
				.map((property) => property.name);
			expect(visible).toEqual(expect.arrayContaining(['resource', 'operation', ...own]));
			// Nothing of other operations leaks in.
			const allowed = new Set(['resource', 'operation', ...operation.properties.map((property) => property.name)]);
			expect(visible.filter((name) => !allowed.has(name))).toEqual([]);
			expect(operation.option.action).toMatch(/^[A-Z][a-z]/);
		},
	);

	test('the node offers the pickers its resource locators use', () => {
		expect(Object.keys(new Lexoffice().methods.listSearch).sort()).toEqual(['searchContacts', 'searchInvoices']);
	});
});
