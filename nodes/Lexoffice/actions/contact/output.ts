import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/** Create and Update: output the contact as LexOffice now has it, or only LexOffice's answer. */
export const returnFullContactOption: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Return Full Contact',
			name: 'returnFullContact',
			type: 'boolean',
			default: true,
			description:
				'Whether to read the contact back after writing it (one more request), so the output includes the customer and vendor numbers LexOffice assigned. Otherwise the output is LexOffice\'s answer: ID, version and dates.',
		},
	],
};

export function wantsFullContact(this: IExecuteFunctions, itemIndex: number): boolean {
	const options = this.getNodeParameter('options', itemIndex, {}) as { returnFullContact?: boolean };
	return options.returnFullContact ?? true;
}
