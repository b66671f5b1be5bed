/** Parameters several smart-invoice operations share. */
import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { FIELD_LABELS } from './fields';
import { STAGE_MEANINGS, type StageChoice, type StageMeaning } from '../../helpers/invoiceStages';

/** The invoice fields of Create ("Additional Fields") and Update ("Update Fields"). */
export function invoiceFieldOptions(withTitle: boolean): INodeProperties[] {
	const options: INodeProperties[] = [
		{
			displayName: FIELD_LABELS.accountNumber,
			name: 'accountNumber',
			type: 'string',
			default: '',
			placeholder: 'RE-2024-0042',
			description:
				'The invoice number (e.g. the LexOffice voucher number). Bitrix24 may treat it as read-only: if the portal ignores it, the title is changed to carry the number.',
		},
		{
			displayName: FIELD_LABELS.amount,
			name: 'amount',
			type: 'number',
			typeOptions: { numberPrecision: 2 },
			default: 0,
			description:
				'Invoice total (gross). Set as a manual amount, so Bitrix24 does not recompute it from product rows.',
		},
		{
			displayName: FIELD_LABELS.comments,
			name: 'comments',
			type: 'string',
			typeOptions: { rows: 3 },
			default: '',
			description: 'Comment on the invoice; BBCode such as [URL=https://…]text[/URL] is shown as formatting',
		},
		{
			displayName: FIELD_LABELS.companyId,
			name: 'companyId',
			type: 'string',
			default: '',
			placeholder: '42',
			description: 'ID of the client company',
		},
		{
			displayName: FIELD_LABELS.contactIds,
			name: 'contactIds',
			type: 'string',
			default: '',
			placeholder: '12, 15',
			description:
				'IDs of the client contacts, separated by commas; the first is the main contact. Replaces the current contacts.',
		},
		{
			displayName: FIELD_LABELS.currency,
			name: 'currency',
			type: 'string',
			default: 'EUR',
			description: 'Three-letter currency code (ISO 4217)',
		},
		{
			displayName: 'Custom Fields',
			name: 'customFields',
			type: 'fixedCollection',
			placeholder: 'Add Custom Field',
			typeOptions: { multipleValues: true },
			default: {},
			options: [
				{
					displayName: 'Field',
					name: 'field',
					values: [
						{
							displayName: 'Field Name or ID',
							name: 'name',
							type: 'options',
							typeOptions: { loadOptionsMethod: 'getSmartInvoiceCustomFields' },
							default: '',
							description:
								'Custom field of smart invoices. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
						},
						{
							displayName: 'Value',
							name: 'value',
							type: 'string',
							default: '',
						},
					],
				},
			],
		},
		{
			displayName: FIELD_LABELS.dueDate,
			name: 'dueDate',
			type: 'dateTime',
			default: '',
			description: 'Payment due date (closedate). Only the calendar day is used.',
		},
		{
			displayName: FIELD_LABELS.externalCode,
			name: 'externalCode',
			type: 'string',
			default: '',
			description:
				'External code (xmlId), e.g. the LexOffice invoice ID; "Find by External Code" looks invoices up by it',
		},
		{
			displayName: FIELD_LABELS.invoiceDate,
			name: 'invoiceDate',
			type: 'dateTime',
			default: '',
			description: 'Invoice date (begindate). Only the calendar day is used.',
		},
	];
	if (!withTitle) return options;
	const title: INodeProperties = { displayName: FIELD_LABELS.title, name: 'title', type: 'string', default: '' };
	return [...options, title].sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/** Resource locator for the responsible employee (listSearch `searchUsers`, methods/users.ts). */
export function responsibleProperty(description: string): INodeProperties {
	return {
		displayName: 'Responsible Person',
		name: 'assignedById',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchUsers', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: '1',
				validation: [
					{ type: 'regex', properties: { regex: '^\\s*\\d+\\s*$', errorMessage: 'Enter a numeric user ID' } },
				],
			},
		],
	};
}

type StageMode = 'keep' | 'meaning' | 'id';

/**
 * How the stage is given: by meaning (new/sent/paid/failed → the category's N/S/P/D stage, so a
 * template works on any portal) or picked from the live list. `keepLabel` adds a "no change" mode.
 */
export function stageProperties(keepLabel?: string, listHint = 'the category chosen above'): INodeProperties[] {
	const modes = [
		...(keepLabel ? [{ name: keepLabel, value: 'keep' }] : []),
		{ name: 'Meaning (Works on Any Portal)', value: 'meaning' },
		{ name: 'Stage From List', value: 'id' },
	];
	const defaultMode: StageMode = keepLabel ? 'keep' : 'meaning';
	return [
		{
			displayName: 'Stage By',
			name: 'stageBy',
			type: 'options',
			options: modes,
			default: defaultMode,
			description:
				"Stage IDs differ between portals (e.g. DT31_5:P); a meaning is looked up in the invoice's category when the workflow runs",
		},
		{
			displayName: 'Stage',
			name: 'stageMeaning',
			type: 'options',
			options: STAGE_MEANINGS,
			default: 'new',
			displayOptions: { show: { stageBy: ['meaning'] } },
		},
		{
			displayName: 'Stage Name or ID',
			name: 'stageId',
			type: 'options',
			typeOptions: { loadOptionsMethod: 'getSmartInvoiceStages', loadOptionsDependsOn: ['categoryId'] },
			default: '',
			description: `Stage of ${listHint}. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
			displayOptions: { show: { stageBy: ['id'] } },
		},
	];
}

export function readStageChoice(this: IExecuteFunctions, itemIndex: number): StageChoice | undefined {
	const mode = this.getNodeParameter('stageBy', itemIndex, 'keep') as StageMode;
	if (mode === 'meaning') {
		return { by: 'meaning', meaning: this.getNodeParameter('stageMeaning', itemIndex) as StageMeaning };
	}
	if (mode !== 'id') return undefined;
	const stageId = String(this.getNodeParameter('stageId', itemIndex, '') ?? '').trim();
	if (stageId !== '') return { by: 'id', stageId };
	throw new NodeOperationError(this.getNode(), '"Stage" is empty', {
		itemIndex,
		description: 'Pick a stage from the list, or set "Stage By" to a meaning such as Paid.',
	});
}
