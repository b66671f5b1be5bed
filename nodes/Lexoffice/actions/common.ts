import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { InputCheck } from '../helpers/input';

/** Parameters several operations share. */

const UUID_PATTERN = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

/**
 * A resource locator for a LexOffice record: from a searchable list, by its web-app link
 * (`…/permalink/<segment>/view|edit/<id>`, §4.4) or by ID.
 */
function lexofficeLocator(options: {
	displayName: string;
	name: string;
	searchListMethod: string;
	permalinkSegment: string;
	description: string;
}): INodeProperties {
	const urlRegex = `.*/permalink/${options.permalinkSegment}/(?:view|edit)/(${UUID_PATTERN}).*`;
	return {
		displayName: options.displayName,
		name: options.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: options.description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: options.searchListMethod, searchable: true },
			},
			{
				displayName: 'By URL',
				name: 'url',
				type: 'string',
				placeholder: `https://app.lexware.de/permalink/${options.permalinkSegment}/view/be9475f4-ef80-442b-8ab9-3ab8b1a2aeb9`,
				validation: [
					{
						type: 'regex',
						properties: { regex: urlRegex, errorMessage: 'Paste a LexOffice link that ends with the ID' },
					},
				],
				extractValue: { type: 'regex', regex: urlRegex },
			},
			{
				displayName: 'ID',
				name: 'id',
				type: 'string',
				placeholder: 'be9475f4-ef80-442b-8ab9-3ab8b1a2aeb9',
				validation: [
					{
						type: 'regex',
						properties: { regex: `^\\s*${UUID_PATTERN}\\s*$`, errorMessage: 'Enter a LexOffice ID (a UUID)' },
					},
				],
			},
		],
	};
}

export const contactLocator = (description = 'The LexOffice contact'): INodeProperties =>
	lexofficeLocator({
		displayName: 'Contact',
		name: 'contactId',
		searchListMethod: 'searchContacts',
		permalinkSegment: 'contacts',
		description,
	});

export const invoiceLocator = (description = 'The LexOffice invoice'): INodeProperties =>
	lexofficeLocator({
		displayName: 'Invoice',
		name: 'invoiceId',
		searchListMethod: 'searchInvoices',
		permalinkSegment: 'invoices',
		description,
	});

/** The id from a locator parameter, checked to be a UUID (expressions bypass the UI's validation). */
export function locatorId(this: IExecuteFunctions, itemIndex: number, name: string, field: string): string {
	const value = this.getNodeParameter(name, itemIndex, '', { extractValue: true });
	return inputCheck.call(this, itemIndex).uuid(value, field);
}

export { returnAllOrLimit } from '../../shared/descriptions';

/** Infinity for Return All, else the Limit. */
export function resultLimit(this: IExecuteFunctions, itemIndex: number): number {
	if (this.getNodeParameter('returnAll', itemIndex, false) as boolean) return Infinity;
	const limit = this.getNodeParameter('limit', itemIndex, 50) as number;
	return inputCheck.call(this, itemIndex).number(limit, 'Limit', { min: 1 });
}

/** An InputCheck for this item, in the workflow's time zone. */
export function inputCheck(this: IExecuteFunctions, itemIndex: number): InputCheck {
	return new InputCheck(this.getNode(), itemIndex, this.getTimezone());
}
