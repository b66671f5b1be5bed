import {
	NodeOperationError,
	updateDisplayOptions,
	type IContextObject,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';
import { DateTime } from 'luxon';

import { languageProperty, readLanguage } from '../../../shared/language';
import type { AggregateOperation } from '../../../shared/operation';
import { addStatistics, summarizeOutcomes, withDuration, type SyncStatistics } from './syncStatistics';

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
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Add Up Loop Runs',
				name: 'addUpRuns',
				type: 'boolean',
				default: false,
				description:
					"Whether each run adds its results to those of this node's earlier runs in the same execution, so that in a loop over LexOffice pages the statistics cover every page so far",
			},
			{
				displayName: 'Started At',
				name: 'startedAt',
				type: 'string',
				default: '',
				placeholder: 'e.g. 2026-12-05T22:00:00.000+01:00',
				description:
					'When the work began (an ISO date and time), e.g. the startedAt that LexOffice → Contact → Get Next Page keeps in its node context; the statistics then say how long it took. Empty: no duration.',
			},
		],
	},
	{ ...languageProperty, description: 'Language of the message (the notification Bitrix24 users read)' },
]);

interface SummarizeOptions {
	addUpRuns?: boolean;
	startedAt?: string;
}

/** What the node keeps between its runs in one execution (n8n node context). */
interface RunningTotals extends IContextObject {
	totals?: SyncStatistics;
}

export async function executeAggregate(this: IExecuteFunctions, itemIndexes: number[]): Promise<INodeExecutionData> {
	const items = this.getInputData();
	const options = this.getNodeParameter('options', 0, {}) as SummarizeOptions;
	const language = readLanguage.call(this, itemIndexes[0] ?? 0);
	let statistics = summarizeOutcomes(
		itemIndexes.map((index) => items[index].json),
		language,
	);
	if (options.addUpRuns === true) {
		const context = this.getContext('node') as RunningTotals;
		// Run 0 is a new execution: totals carried over from elsewhere do not count.
		if (this.getWorkflowDataProxy(0).$runIndex > 0 && context.totals) {
			statistics = addStatistics(context.totals, statistics, language);
		}
		context.totals = statistics;
	}
	const startedAt = options.startedAt == null ? '' : String(options.startedAt).trim();
	if (startedAt) {
		if (!DateTime.fromISO(startedAt).isValid) {
			throw new NodeOperationError(this.getNode(), `"Started At" is not a date and time: "${startedAt}"`, {
				description: 'Give an ISO date and time such as 2026-12-05T22:00:00.000+01:00, or leave it empty.',
			});
		}
		statistics = withDuration(statistics, startedAt, DateTime.now(), language);
	}
	return { json: statistics as unknown as IDataObject };
}
