import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

/** The "Sync State Field" option: where Sync Invoice keeps its memory on the smart invoice. */
export const memoryFieldOption: INodeProperties = {
	displayName: 'Sync State Field',
	name: 'memoryField',
	type: 'string',
	default: 'sourceDescription',
	placeholder: 'ufCrm_LexofficeState',
	description:
		'Text field of smart invoices where the sync notes what it already reported (status, PDF, overdue). Default: "Source information". Use a custom field if that one is used otherwise.',
};

const FIELD_NAME = /^(?:[a-z][A-Za-z0-9]*|ufCrm[A-Za-z0-9_]+)$/;

/** The option's value, checked: a camelCase field name as crm.item.* names it. */
export function readMemoryField(this: IExecuteFunctions, value: string | undefined, itemIndex: number): string {
	const memoryField = (value ?? '').trim() || 'sourceDescription';
	if (FIELD_NAME.test(memoryField)) return memoryField;
	throw new NodeOperationError(
		this.getNode(),
		`"Sync State Field" is not a smart-invoice field name: "${memoryField}"`,
		{
			itemIndex,
			description: 'Use a camelCase field name as crm.item.* names it, e.g. sourceDescription or ufCrm5_1700000000.',
		},
	);
}
