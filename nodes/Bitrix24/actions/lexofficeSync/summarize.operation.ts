import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { languageProperty, readLanguage } from '../../../shared/language';
import type { AggregateOperation } from '../../../shared/operation';
import { summarizeOutcomes } from './syncStatistics';

export const option: AggregateOperation['option'] = {
	name: 'Summarize Sync Results',
	value: 'summarize',
	description:
		'Count the results of Sync Contacts (created, updated, unchanged, failed) and list the failures, as one item',
	action: 'Summarize sync results',
};

export const description = updateDisplayOptions({ show: { resource: ['lexofficeSync'], operation: ['summarize'] } }, [
	{
		displayName:
			'Input: the items Sync Contacts put out. Output: one item with the statistics and a ready-made message.',
		name: 'summarizeNotice',
		type: 'notice',
		default: '',
	},
	{ ...languageProperty, description: 'Language of the message (the notification Bitrix24 users read)' },
]);

export async function executeAggregate(this: IExecuteFunctions, itemIndexes: number[]): Promise<INodeExecutionData> {
	const items = this.getInputData();
	const language = readLanguage.call(this, itemIndexes[0] ?? 0);
	return {
		json: summarizeOutcomes(
			itemIndexes.map((index) => items[index].json),
			language,
		) as unknown as IDataObject,
	};
}
