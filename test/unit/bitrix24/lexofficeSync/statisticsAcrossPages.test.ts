/**
 * Summarize Sync Results in the contacts workflow's page loop (issue #13 item 6): each run adds its
 * page to the totals of the runs before it in the same execution, and says how long the work took.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { DateTime } from 'luxon';

import { Bitrix24 } from '../../../../nodes/Bitrix24/Bitrix24.node';
import {
	addStatistics,
	durationText,
	summarizeOutcomes,
	withDuration,
} from '../../../../nodes/Bitrix24/actions/lexofficeSync/syncStatistics';
import { createLoopRunner } from '../../../helpers/n8nContext';

const page1: IDataObject[] = [
	{ entityType: 'company', action: 'created', contactPersons: [{ action: 'created' }], responsibleUserId: 3 },
	{ entityType: 'contact', action: 'failed', lexofficeId: 'l-1', name: 'Eva Roth', error: 'refused' },
	{ entityType: 'contact', action: 'skipped', reason: 'archived in LexOffice' },
];
const page2: IDataObject[] = [
	{ entityType: 'contact', action: 'unchanged', contactPersons: [] },
	{ entityType: 'company', action: 'failed', lexofficeId: 'l-2', name: null, error: 'company.name is empty' },
];

const summarize = (options: INodeParameters = {}) =>
	createLoopRunner(new Bitrix24(), {
		parameters: { authentication: 'webhook', resource: 'lexofficeSync', operation: 'summarize', options },
		typeVersion: 1,
	});
const items = (outcomes: IDataObject[]) => outcomes.map((json) => ({ json }));

describe('Summarize Sync Results across the pages of a loop', () => {
	it('adds the pages up: counts, failures, skipped and runs, with a message for all of them', () => {
		const total = addStatistics(summarizeOutcomes(page1), summarizeOutcomes(page2));
		expect(total).toEqual({ ...summarizeOutcomes([...page1, ...page2]), runs: 2 });
		expect(total.message).toContain('5 Kontakte');
		expect(total.message).toContain('Fehler bei Eva Roth: refused');
		expect(total.message).toContain('Fehler bei l-2: company.name is empty');
	});

	it('says how long it took, in German words', () => {
		expect([0, 1, 59, 125, 3725].map((seconds) => durationText(seconds))).toEqual([
			'0 Sekunden',
			'1 Sekunde',
			'59 Sekunden',
			'2 Minuten und 5 Sekunden',
			'1 Stunde, 2 Minuten und 5 Sekunden',
		]);
		const timed = withDuration(
			summarizeOutcomes(page1),
			'2026-12-05T22:00:00.000+01:00',
			DateTime.fromISO('2026-12-05T22:09:20.400+01:00'),
		);
		expect(timed).toMatchObject({ startedAt: '2026-12-05T22:00:00.000+01:00', durationSeconds: 560 });
		expect(timed.message.split('\n').at(-1)).toBe('Dauer: 9 Minuten und 20 Sekunden');
		expect(summarizeOutcomes(page1).message).not.toContain('Dauer');
	});

	it('in the node: with Add Up Loop Runs each run reports the totals so far; a new execution starts from zero', async () => {
		const node = summarize({ addUpRuns: true });
		const [first] = await node.run(items(page1));
		expect(first.json).toMatchObject({ total: 3, runs: 1, durationSeconds: null });
		const [second] = await node.run(items(page2));
		expect(second.json).toMatchObject({
			total: 5,
			runs: 2,
			companies: { created: 1, failed: 1 },
			contacts: { unchanged: 1, failed: 1 },
			skippedArchived: 1,
			responsibleUserId: 3,
		});
		expect((second.json.failures as IDataObject[]).map((failure) => failure.lexofficeId)).toEqual(['l-1', 'l-2']);
		expect(second.pairedItem).toEqual([{ item: 0 }, { item: 1 }]);

		node.restart();
		const [fresh] = await node.run(items(page2));
		expect(fresh.json).toMatchObject({ total: 2, runs: 1 });
	});

	it('in the node: without the option each run counts only its own input, as before', async () => {
		const node = summarize();
		await node.run(items(page1));
		const [second] = await node.run(items(page2));
		expect(second.json).toMatchObject({ total: 2, runs: 1 });
	});

	it('in the node: Started At gives the duration up to this run; a value that is no date is refused, naming the field', async () => {
		const startedAt = DateTime.now().minus({ minutes: 2 }).toISO();
		const [timed] = await summarize({ startedAt }).run(items(page1));
		expect(timed.json.startedAt).toBe(startedAt);
		expect(timed.json.durationSeconds).toBeGreaterThanOrEqual(120);
		expect(timed.json.message).toMatch(/\nDauer: 2 Minuten/);

		await expect(summarize({ startedAt: 'gestern' }).run(items(page1))).rejects.toThrow(
			'"Started At" is not a date and time: "gestern"',
		);
	});
});
