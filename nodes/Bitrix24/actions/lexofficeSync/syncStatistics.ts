/** Statistics of a sync run from Sync Contacts' outcome items. Pure; table-tested. */
import type { IDataObject } from 'n8n-workflow';

import { userTexts, type Language, type SyncCounts } from '../../../shared/contract/userTexts';

export type Counts = SyncCounts;

export interface SyncStatistics {
	dryRun: boolean;
	total: number;
	companies: Counts;
	contacts: Counts;
	contactPersons: Counts;
	/** Updated records that were not linked before: existing Bitrix24 records adopted by e-mail. */
	adoptedExisting: number;
	skippedArchived: number;
	skippedOther: number;
	failures: Array<{ lexofficeId: string | null; name: string | null; error: string }>;
	/** Contacts written with something repaired or left out (their items' `warnings`). */
	withWarnings: number;
	responsibleUserId: number | null;
	message: string;
}

/** Failures listed in full in the output; the message names only the first few. */
const FAILURES_IN_MESSAGE = 5;

const emptyCounts = (): Counts => ({ created: 0, updated: 0, unchanged: 0, failed: 0 });

function count(counts: Counts, action: unknown): void {
	if (action === 'created' || action === 'updated' || action === 'unchanged' || action === 'failed') counts[action]++;
}

/** `language`: of the message (the notification users read); the counts are the same in each. */
export function summarizeOutcomes(outcomes: IDataObject[], language?: Language): SyncStatistics {
	const stats: SyncStatistics = {
		dryRun: false,
		total: outcomes.length,
		companies: emptyCounts(),
		contacts: emptyCounts(),
		contactPersons: emptyCounts(),
		adoptedExisting: 0,
		skippedArchived: 0,
		skippedOther: 0,
		failures: [],
		withWarnings: 0,
		responsibleUserId: null,
		message: '',
	};
	for (const outcome of outcomes) {
		if (outcome.dryRun === true) stats.dryRun = true;
		if (typeof outcome.responsibleUserId === 'number') stats.responsibleUserId = outcome.responsibleUserId;
		if (outcome.action === 'skipped') {
			if (String(outcome.reason ?? '').startsWith('archived')) stats.skippedArchived++;
			else stats.skippedOther++;
			continue;
		}
		count(outcome.entityType === 'company' ? stats.companies : stats.contacts, outcome.action);
		if (outcome.matchedBy && outcome.action !== 'failed') stats.adoptedExisting++;
		if (Array.isArray(outcome.warnings) && outcome.warnings.length > 0) stats.withWarnings++;
		for (const person of Array.isArray(outcome.contactPersons) ? (outcome.contactPersons as IDataObject[]) : []) {
			count(stats.contactPersons, person.action);
		}
		if (outcome.action === 'failed' || outcome.error) {
			stats.failures.push({
				lexofficeId: typeof outcome.lexofficeId === 'string' ? outcome.lexofficeId : null,
				name: typeof outcome.name === 'string' ? outcome.name : null,
				error: String(outcome.error ?? 'failed'),
			});
		}
	}
	stats.message = messageOf(stats, language);
	return stats;
}

function messageOf(stats: SyncStatistics, language?: Language): string {
	const texts = userTexts(language).syncSummary;
	const lines = [
		texts.heading(stats.dryRun, stats.total),
		texts.counts(texts.companies, stats.companies),
		texts.counts(texts.contacts, stats.contacts),
		texts.counts(texts.contactPersons, stats.contactPersons),
	];
	if (stats.adoptedExisting > 0) lines.push(texts.adoptedExisting(stats.adoptedExisting));
	if (stats.skippedArchived + stats.skippedOther > 0)
		lines.push(texts.skipped(stats.skippedArchived, stats.skippedOther));
	if (stats.withWarnings > 0) lines.push(texts.withWarnings(stats.withWarnings));
	for (const failure of stats.failures.slice(0, FAILURES_IN_MESSAGE)) {
		lines.push(texts.failure(failure.name ?? failure.lexofficeId ?? '?', failure.error));
	}
	if (stats.failures.length > FAILURES_IN_MESSAGE)
		lines.push(texts.moreFailures(stats.failures.length - FAILURES_IN_MESSAGE));
	return lines.join('\n');
}
