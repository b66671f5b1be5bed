import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { jsonOutcomes, type BatchOperation } from '../../../shared/operation';
import { positiveId } from '../../helpers/crmEntities';
import { memoryFieldOption, readMemoryField } from './memoryField';
import { recordInvoiceEffect } from './syncInvoiceMemory';

export const option: BatchOperation['option'] = {
	name: 'Record Invoice Effect',
	value: 'recordInvoiceEffect',
	description:
		'After the PDF was attached or the automation trigger fired for a smart invoice Sync Invoice reported: record it as done, or release it when it failed so the next event does it again',
	action: 'Record an invoice effect',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['lexofficeSync'], operation: ['recordInvoiceEffect'] } },
	[
		{
			displayName:
				'Put this after the node that does the effect, with its On Error setting on "Continue (using error output)" and both outputs connected here: an error item is recorded as failed (released for the next event), and then fails this node with its message; any other item as done.',
			name: 'recordNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Effect',
			name: 'effect',
			type: 'options',
			options: [
				{ name: 'Automation Trigger Fired', value: 'trigger' },
				{ name: 'Link Posted', value: 'link' },
				{ name: 'PDF Attached', value: 'pdf' },
			],
			default: 'pdf',
		},
		{
			displayName: 'Smart Invoice ID',
			name: 'smartInvoiceId',
			type: 'string',
			required: true,
			default: '',
			description: "The smart invoice's ID as Sync Invoice put it out",
		},
		{
			displayName: 'Claim',
			name: 'claim',
			type: 'string',
			required: true,
			default: '',
			placeholder: "={{ $('Sync invoice').item.json.claim }}",
			description: "Sync Invoice's claim field: which execution took the effect on",
		},
		{
			displayName: 'Trigger Code',
			name: 'triggerCode',
			type: 'string',
			required: true,
			default: '',
			placeholder: "={{ $('Sync invoice').item.json.triggerCode }}",
			displayOptions: { show: { effect: ['trigger'] } },
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [memoryFieldOption],
		},
	],
);

type Effect = 'link' | 'pdf' | 'trigger';
const NAMES: Record<Effect, string> = { link: 'timeline link', pdf: 'PDF', trigger: 'automation trigger' };

async function recordOne(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject | Error> {
	const effect = this.getNodeParameter('effect', itemIndex) as Effect;
	const id = positiveId(this.getNodeParameter('smartInvoiceId', itemIndex, ''));
	const claim = String(this.getNodeParameter('claim', itemIndex, '') ?? '').trim();
	if (id === null || claim === '') {
		return new NodeOperationError(
			this.getNode(),
			`"${id === null ? 'Smart Invoice ID' : 'Claim'}" is empty or not valid`,
			{
				itemIndex,
				description: "Map Sync Invoice's id and claim, e.g. {{ $('Sync invoice').item.json.claim }}.",
			},
		);
	}
	const triggerCode =
		effect === 'trigger' ? String(this.getNodeParameter('triggerCode', itemIndex, '')).trim() : undefined;
	const input = this.getInputData()[itemIndex]?.json ?? {};
	const succeeded = input.error === undefined;
	const options = this.getNodeParameter('options', itemIndex, {}) as { memoryField?: string };
	const memoryField = readMemoryField.call(this, options.memoryField, itemIndex);
	const outcome = await recordInvoiceEffect.call(
		this,
		memoryField,
		id,
		effect,
		claim,
		succeeded,
		itemIndex,
		triggerCode,
	);
	if (succeeded) return { id, effect, ...(triggerCode ? { triggerCode } : {}), recorded: outcome.recorded };
	return new NodeOperationError(
		this.getNode(),
		`The ${NAMES[effect]} of smart invoice ${id} failed: ${String(input.error ?? 'no reason given')}`,
		{
			itemIndex,
			description:
				outcome.recorded === 'released'
					? 'Released: the next event of this invoice reports it again.'
					: 'Another execution has taken it on since; nothing was released.',
		},
	);
}

/**
 * Every item is recorded before any failure is reported: a failure that stopped the node at the
 * first item would leave the effects of the others unrecorded, and done again later.
 */
export async function executeBatch(
	this: IExecuteFunctions,
	itemIndexes: number[],
): Promise<Array<INodeExecutionData | Error>> {
	const outcomes: Array<IDataObject | Error> = [];
	for (const itemIndex of itemIndexes) {
		try {
			outcomes.push(await recordOne.call(this, itemIndex));
		} catch (error) {
			outcomes.push(error as Error);
		}
	}
	return jsonOutcomes(outcomes);
}
