import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/**
 * "Simplify" (n8n's UX guideline for operations whose records have more than 10 fields): a switch,
 * on by default, that returns a documented small set of fields. It came with node version 2: n8n
 * leaves parameters at their default out of saved workflows, so a new default of `true` would
 * change what existing nodes (and the bundled templates, version 1) return. Version 1 nodes keep
 * returning full records and do not show the switch.
 */
export const SIMPLIFY_SINCE_VERSION = 2;

export function simplifyProperty(fields: readonly string[], note = ''): INodeProperties {
	return {
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: `Whether to return a simplified version of the response instead of the raw data: only ${fields.join(', ')}${note}`,
		displayOptions: { show: { '@version': [{ _cnd: { gte: SIMPLIFY_SINCE_VERSION } }] } },
	};
}

export function wantsSimplified(this: IExecuteFunctions, itemIndex: number): boolean {
	if (this.getNode().typeVersion < SIMPLIFY_SINCE_VERSION) return false;
	return this.getNodeParameter('simplify', itemIndex, true) as boolean;
}

/** `fields` of `record` in their documented order; a field the record lacks is null, so every output has the same keys. */
export function pickFields(record: IDataObject, fields: readonly string[]): IDataObject {
	return Object.fromEntries(fields.map((field) => [field, record[field] ?? null]));
}
