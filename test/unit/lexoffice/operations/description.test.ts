import { NodeHelpers, type INode, type INodeParameters, type INodeProperties } from 'n8n-workflow';

import { Lexoffice } from '../../../../nodes/Lexoffice/Lexoffice.node';
import { resources } from '../../../../nodes/Lexoffice/actions/resources';

/** The node description as n8n reads it: each operation shows its own parameters, and only those. */
describe('LexOffice node description: operations', () => {
	const { description } = new Lexoffice();
	const node: INode = {
		id: 'n',
		name: 'LexOffice',
		type: 'lexoffice',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const shown = (parameters: INodeParameters) =>
		Object.keys(
			NodeHelpers.getNodeParameters(description.properties, parameters, true, false, node, description) ?? {},
		);

	// Shown for its resource and operation only, or also behind a condition of its own (e.g. returnAll).
	const conditional = (property: INodeProperties) =>
		Object.keys(property.displayOptions?.show ?? {}).some((key) => key !== 'resource' && key !== 'operation');

	test.each(
		Object.entries(resources).flatMap(([resource, { operations }]) =>
			Object.values(operations).map((operation) => [resource, operation.option.value, operation] as const),
		),
	)('%s → %s shows its parameters with their defaults', (resource, operationName, operation) => {
		const visible = shown({ resource, operation: operationName });
		const own = operation.description
			.filter((property) => property.type !== 'notice' && !conditional(property))
			.map((property) => property.name);
		expect(visible).toEqual(expect.arrayContaining(['resource', 'operation', ...own]));
		// Nothing of other operations leaks in.
		const allowed = new Set(['resource', 'operation', ...operation.description.map((property) => property.name)]);
		expect(visible.filter((name) => !allowed.has(name))).toEqual([]);
		expect(operation.option.action).toMatch(/^[A-Z][a-z]/);
	});

	test('the node offers the pickers its resource locators use', () => {
		expect(Object.keys(new Lexoffice().methods.listSearch).sort()).toEqual(['searchContacts', 'searchInvoices']);
	});
});
