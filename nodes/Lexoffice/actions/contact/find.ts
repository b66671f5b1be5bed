import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { contactDisplayName } from '../../helpers/contacts';
import { inputCheck } from '../common';

/** What Find by Email and Find by Customer Number share: their options and what they output. */

type SeveralMatches = 'error' | 'first' | 'all';

export const findNotice: INodeProperties = {
	displayName:
		'Outputs the contact, or no item when none matches (turn on Settings → Always Output Data to go on with an empty item)',
	name: 'findNotice',
	type: 'notice',
	default: '',
};

export const findOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'If Several Match',
			name: 'severalMatches',
			type: 'options',
			options: [
				{ name: 'Fail', value: 'error', description: 'Stop with a message that lists the matches' },
				{ name: 'Return All', value: 'all', description: 'Output every matching contact' },
				{ name: 'Return First', value: 'first', description: 'Output the first match (by name)' },
			],
			default: 'error',
		},
		{
			displayName: 'Include Archived',
			name: 'includeArchived',
			type: 'boolean',
			default: true,
			description: 'Whether archived contacts count as matches (they still hold their emails and numbers)',
		},
	],
};

export function includeArchived(this: IExecuteFunctions, itemIndex: number): boolean {
	return (this.getNodeParameter('options', itemIndex, {}) as { includeArchived?: boolean }).includeArchived ?? true;
}

/** The one match, none, or — when several match — what "If Several Match" says. */
export function matchOutput(
	this: IExecuteFunctions,
	itemIndex: number,
	matches: IDataObject[],
	criterion: string,
): INodeExecutionData[] {
	if (matches.length <= 1) return matches.map((contact) => ({ json: contact }));
	const mode = ((this.getNodeParameter('options', itemIndex, {}) as { severalMatches?: SeveralMatches })
		.severalMatches ?? 'error') as SeveralMatches;
	if (mode === 'first') return [{ json: matches[0] }];
	if (mode === 'all') return matches.map((contact) => ({ json: contact }));
	const listed = matches
		.slice(0, 5)
		.map((contact) => `${contactDisplayName(contact)} (${String(contact.id)})`)
		.join(', ');
	return inputCheck
		.call(this, itemIndex)
		.fail(
			`${matches.length} contacts have ${criterion}: ${listed}${matches.length > 5 ? ', …' : ''}`,
			'Clean up the duplicates in LexOffice, or set Options → If Several Match to "Return First" or "Return All".',
		);
}
