/** Statistics of a sync run from Sync Contacts' outcome items. Pure; table-tested. */
import { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

import {
	DEFAULT_LANGUAGE,
	humanDuration,
	userTexts,
	type Language,
	type SyncCounts,
} from '../../../shared/contract/userTexts';

export type Counts = SyncCounts;

export interface SyncStatistics {
	dryRun: boolean;
	total: number;
	companies: Counts;
	contacts: Counts;
	contactPersons: Counts;
	/** Updated records that were not linked before: existing Bitrix24 records adopted by e-mail. */
	adoptedExisting: number;
	/**
	 * Records this run added and deleted again because another execution (another n8n worker) had
	 * added the same LexOffice contact first (outcome `duplicatesRemoved`).
	 */
	duplicatesRemoved: number;
	skippedArchived: number;
	skippedOther: number;
	failures: Array<{ lexofficeId: string | null; name: string | null; error: string }>;
	/** Contacts written with something repaired or left out (their items' `warnings`). */
	withWarnings: number;
	responsibleUserId: number | null;
	/** Sync Contacts runs these statistics add up (one per LexOffice page in the contacts workflow's loop). */
	runs: number;
	/** When the work began (ISO), if the node was told; then also how long it took, in whole seconds. */
	startedAt: string | null;
	durationSeconds: number | null;
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
		duplicatesRemoved: 0,
		skippedArchived: 0,
		skippedOther: 0,
		failures: [],
		withWarnings: 0,
		responsibleUserId: null,
		runs: 1,
		startedAt: null,
		durationSeconds: null,
		message: '',
	};
	for (const outcome of outcomes) {
		if (outcome.dryRun === true) stats.dryRun = true;
		if (typeof outcome.responsibleUserId === 'number') stats.responsibleUserId = outcome.responsibleUserId;
		if (Array.isArray(outcome.duplicatesRemoved)) stats.duplicatesRemoved += outcome.duplicatesRemoved.length;
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

const addCounts = (a: Counts, b: Counts): Counts => ({
	created: a.created + b.created,
	updated: a.updated + b.updated,
	unchanged: a.unchanged + b.unchanged,
	failed: a.failed + b.failed,
});

/** The statistics of two runs (pages) as one: everything added up, the later run's responsible user. */
export function addStatistics(earlier: SyncStatistics, later: SyncStatistics, language?: Language): SyncStatistics {
	const sum: SyncStatistics = {
		dryRun: earlier.dryRun || later.dryRun,
		total: earlier.total + later.total,
		companies: addCounts(earlier.companies, later.companies),
		contacts: addCounts(earlier.contacts, later.contacts),
		contactPersons: addCounts(earlier.contactPersons, later.contactPersons),
		adoptedExisting: earlier.adoptedExisting + later.adoptedExisting,
		skippedArchived: earlier.skippedArchived + later.skippedArchived,
		skippedOther: earlier.skippedOther + later.skippedOther,
		failures: [...earlier.failures, ...later.failures],
		withWarnings: earlier.withWarnings + later.withWarnings,
		duplicatesRemoved: earlier.duplicatesRemoved + later.duplicatesRemoved,
		responsibleUserId: later.responsibleUserId ?? earlier.responsibleUserId,
		runs: earlier.runs + later.runs,
		startedAt: earlier.startedAt ?? later.startedAt,
		durationSeconds: null,
		message: '',
	};
	sum.message = messageOf(sum, language);
	return sum;
}

/** The statistics with how long the work took from `startedAt` (an ISO time) until `now`. */
export function withDuration(
	stats: SyncStatistics,
	startedAt: string,
	now: DateTime,
	language?: Language,
): SyncStatistics {
	const start = DateTime.fromISO(startedAt, { setZone: true });
	if (!start.isValid) throw new Error(`not an ISO date and time: "${startedAt}"`);
	const timed = {
		...stats,
		startedAt,
		durationSeconds: Math.max(0, Math.round(now.diff(start).as('seconds'))),
	};
	return { ...timed, message: messageOf(timed, language) };
}

/** "1 Stunde, 2 Minuten und 5 Sekunden" (or in English). */
export const durationText = (seconds: number, language: Language = DEFAULT_LANGUAGE): string =>
	humanDuration(seconds, language);

function messageOf(stats: SyncStatistics, language?: Language): string {
	const texts = userTexts(language).syncSummary;
	const lines = [
		texts.heading(stats.dryRun, stats.total),
		texts.counts(texts.companies, stats.companies),
		texts.counts(texts.contacts, stats.contacts),
		texts.counts(texts.contactPersons, stats.contactPersons),
	];
	if (stats.adoptedExisting > 0) lines.push(texts.adoptedExisting(stats.adoptedExisting));
	if (stats.duplicatesRemoved > 0) lines.push(texts.duplicatesRemoved(stats.duplicatesRemoved));
	if (stats.skippedArchived + stats.skippedOther > 0)
		lines.push(texts.skipped(stats.skippedArchived, stats.skippedOther));
	if (stats.withWarnings > 0) lines.push(texts.withWarnings(stats.withWarnings));
	for (const failure of stats.failures.slice(0, FAILURES_IN_MESSAGE)) {
		lines.push(texts.failure(failure.name ?? failure.lexofficeId ?? '?', failure.error));
	}
	if (stats.failures.length > FAILURES_IN_MESSAGE)
		lines.push(texts.moreFailures(stats.failures.length - FAILURES_IN_MESSAGE));
	if (stats.durationSeconds !== null) lines.push(texts.duration(stats.durationSeconds));
	return lines.join('\n');
}
