/**
 * Summarize (statistics of a sync run), Note Deletion and User → Send Notification: the last
 * steps of the bundled contact workflows, against the Bitrix24 sandbox.
 */
import type { IDataObject } from 'n8n-workflow';

import { summarizeOutcomes } from '../../../../nodes/Bitrix24/actions/lexofficeSync/syncStatistics';
import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../../sandbox/bitrix24';
import { restCalls } from '../helpers';
import { addRecord, runBitrix24 } from '../crm/helpers';

describe('Summarize Sync Results', () => {
	const outcomes: IDataObject[] = [
		{
			entityType: 'company',
			action: 'created',
			contactPersons: [{ action: 'created' }, { action: 'failed' }],
			responsibleUserId: 3,
		},
		{ entityType: 'company', action: 'unchanged', contactPersons: [] },
		{ entityType: 'contact', action: 'updated', matchedBy: 'email', contactPersons: [] },
		{
			entityType: 'contact',
			action: 'failed',
			lexofficeId: 'l-9',
			name: 'Eva Roth',
			error: 'crm.contact.add: Ungültige E-Mail',
		},
		{ entityType: 'contact', action: 'skipped', reason: 'archived in LexOffice' },
		{ entityType: 'company', action: 'skipped', reason: 'a newer version of this contact is in the same input' },
	];

	it('counts per record type and lists every failure', () => {
		expect(summarizeOutcomes(outcomes)).toMatchObject({
			dryRun: false,
			total: 6,
			companies: { created: 1, updated: 0, unchanged: 1, failed: 0 },
			contacts: { created: 0, updated: 1, unchanged: 0, failed: 1 },
			contactPersons: { created: 1, updated: 0, unchanged: 0, failed: 1 },
			adoptedExisting: 1,
			skippedArchived: 1,
			skippedOther: 1,
			failures: [{ lexofficeId: 'l-9', name: 'Eva Roth', error: 'crm.contact.add: Ungültige E-Mail' }],
			responsibleUserId: 3,
		});
	});

	it('counts the duplicates a run added at the same time as another worker and removed again', () => {
		const stats = summarizeOutcomes([
			{ entityType: 'contact', action: 'skipped', reason: 'newer', duplicatesRemoved: [2002] },
			{ entityType: 'company', action: 'unchanged', id: 7, duplicatesRemoved: [9] },
			{ entityType: 'company', action: 'created', id: 8 },
		]);
		expect(stats).toMatchObject({ duplicatesRemoved: 2, skippedOther: 1 });
		expect(stats.message).toContain('wieder entfernt: 2');
		expect(summarizeOutcomes(outcomes).message).not.toContain('wieder entfernt');
	});

	it('writes a message a bookkeeper can read, and says when nothing was written', () => {
		const { message } = summarizeOutcomes(outcomes);
		expect(message).toContain('Unternehmen: 1 neu, 0 aktualisiert, 1 unverändert, 0 fehlgeschlagen');
		expect(message).toContain('Fehler bei Eva Roth: crm.contact.add: Ungültige E-Mail');
		expect(message).toContain('Davon bestehende Bitrix24-Datensätze übernommen (gleiche E-Mail): 1');
		expect(summarizeOutcomes(outcomes.map((outcome) => ({ ...outcome, dryRun: true }))).message).toContain('Probelauf');
	});

	it('lists only the first five failures in the message, all of them in the output', () => {
		const failures = Array.from({ length: 8 }, (_, index) => ({
			entityType: 'contact',
			action: 'failed',
			name: `K${index}`,
			error: 'x',
		}));
		const stats = summarizeOutcomes(failures);
		expect(stats.failures).toHaveLength(8);
		expect(stats.message).toContain('… und 3 weitere Fehler');
		expect(stats.message).not.toContain('K5');
	});

	it('runs in the node as one item paired with every input', async () => {
		const sb = await startBitrix24Sandbox({ limits: 'off' });
		try {
			const { output } = await runBitrix24(sb, {
				parameters: { resource: 'lexofficeSync', operation: 'summarize' },
				items: outcomes.map((json) => ({ json })),
			});
			expect(output).toHaveLength(1);
			expect(output[0].pairedItem).toEqual(outcomes.map((_outcome, item) => ({ item })));
			expect(restCalls(sb)).toHaveLength(0);
		} finally {
			await sb.close();
		}
	});
});

describe('Note Deletion and Send Notification', () => {
	let sb: Bitrix24Sandbox;
	beforeAll(async () => (sb = await startBitrix24Sandbox({ limits: 'off' })));
	afterAll(async () => await sb.close());
	beforeEach(() => sb.reset());

	it('adds a timeline note to the linked company and deletes nothing', async () => {
		const id = await addRecord(sb, 'crm.company.add', {
			TITLE: 'Alt GmbH',
			ORIGINATOR_ID: 'lexoffice',
			ORIGIN_ID: 'lx-1',
		});
		await addRecord(sb, 'crm.company.add', { TITLE: 'Andere', ORIGINATOR_ID: 'other', ORIGIN_ID: 'lx-1' });
		const { json } = await runBitrix24(sb, {
			parameters: {
				resource: 'lexofficeSync',
				operation: 'noteDeletion',
				lexofficeId: 'lx-1',
				deletedAt: '2026-11-27T10:15:00.000+01:00',
			},
		});
		expect(json[0]).toMatchObject({ found: true, records: [{ entityType: 'company', id }] });
		const notes = sb.state.timeline.filter((entry) => entry.kind === 'comment');
		expect(notes).toHaveLength(1);
		expect(notes[0]).toMatchObject({ entityTypeId: 4, entityId: id });
		expect(notes[0].kind === 'comment' && notes[0].comment).toContain(
			'am 27.11.2026 10:15 in LexOffice gelöscht (LexOffice-ID lx-1)',
		);
		expect(sb.state.companies).toHaveLength(2);
	});

	const deletion = (deletedAt = '2026-11-27T10:15:00.000+01:00') => ({
		parameters: { resource: 'lexofficeSync', operation: 'noteDeletion', lexofficeId: 'lx-1', deletedAt },
	});
	const notes = () => sb.state.timeline.filter((entry) => entry.kind === 'comment');

	it('adds one note however often the same deletion is delivered (a replay reads the timeline first)', async () => {
		const id = await addRecord(sb, 'crm.contact.add', {
			NAME: 'Eva',
			LAST_NAME: 'Alt',
			ORIGINATOR_ID: 'lexoffice',
			ORIGIN_ID: 'lx-1',
		});
		const first = await runBitrix24(sb, deletion());
		const replay = await runBitrix24(sb, deletion());
		expect(notes()).toHaveLength(1);
		const commentId = notes()[0].id;
		expect(first.json[0]).toMatchObject({
			found: true,
			records: [{ entityType: 'contact', id, commentId, action: 'created' }],
		});
		expect(replay.json[0]).toMatchObject({
			found: true,
			records: [{ entityType: 'contact', id, commentId, action: 'unchanged', alreadyNoted: true }],
		});
		expect(
			replay.sent.map((request) => request.method).filter((url) => url.includes('crm.timeline.comment.add')),
		).toEqual([]);
		// Another deletion event (another event date) is another note.
		await runBitrix24(sb, deletion('2026-11-28T08:00:00.000+01:00'));
		expect(notes()).toHaveLength(2);
	});

	it('adds one note when the same deletion runs in parallel, and finds notes written before the marker existed', async () => {
		const id = await addRecord(sb, 'crm.company.add', {
			TITLE: 'Alt GmbH',
			ORIGINATOR_ID: 'lexoffice',
			ORIGIN_ID: 'lx-1',
		});
		await Promise.all([runBitrix24(sb, deletion()), runBitrix24(sb, deletion()), runBitrix24(sb, deletion())]);
		expect(notes()).toHaveLength(1);
		sb.reset();
		const again = await addRecord(sb, 'crm.company.add', {
			TITLE: 'Alt GmbH',
			ORIGINATOR_ID: 'lexoffice',
			ORIGIN_ID: 'lx-1',
		});
		expect(again).toBe(id);
		await addRecord(sb, 'crm.timeline.comment.add', {
			ENTITY_ID: id,
			ENTITY_TYPE: 'company',
			COMMENT:
				'Der verknüpfte LexOffice-Kontakt wurde am 27.11.2026 10:15 in LexOffice gelöscht (LexOffice-ID lx-1). Der Datensatz bleibt in Bitrix24 erhalten.',
		});
		const { json } = await runBitrix24(sb, deletion());
		expect(json[0]).toMatchObject({ records: [{ action: 'unchanged' }] });
		expect(notes()).toHaveLength(1);
	});

	it('settles a note whose answer was lost by reading the timeline, instead of adding it again', async () => {
		await addRecord(sb, 'crm.contact.add', {
			NAME: 'Eva',
			LAST_NAME: 'Alt',
			ORIGINATOR_ID: 'lexoffice',
			ORIGIN_ID: 'lx-1',
		});
		sb.setFaults({ failNext: [{ bodyIncludes: 'crm.timeline.comment.add', status: 504, afterProcessing: true }] });
		try {
			const { json } = await runBitrix24(sb, deletion());
			expect(notes()).toHaveLength(1);
			expect(json[0]).toMatchObject({
				records: [{ action: 'created', commentId: notes()[0].id, settledByReadBack: true }],
			});
		} finally {
			sb.setFaults({});
		}
		// Lost before Bitrix24 carried it out: the read-back finds nothing, so it is sent again.
		sb.reset();
		await addRecord(sb, 'crm.contact.add', {
			NAME: 'Eva',
			LAST_NAME: 'Alt',
			ORIGINATOR_ID: 'lexoffice',
			ORIGIN_ID: 'lx-1',
		});
		sb.setFaults({ failNext: [{ bodyIncludes: 'crm.timeline.comment.add', dropConnection: true }] });
		try {
			const { json } = await runBitrix24(sb, deletion());
			expect(notes()).toHaveLength(1);
			expect(json[0]).toMatchObject({ records: [{ action: 'created', settledByReadBack: true }] });
		} finally {
			sb.setFaults({});
		}
	});

	it('reports an unknown contact as not found and writes nothing', async () => {
		const { json } = await runBitrix24(sb, {
			parameters: { resource: 'lexofficeSync', operation: 'noteDeletion', lexofficeId: 'nope' },
		});
		expect(json[0]).toEqual({ lexofficeId: 'nope', found: false, records: [] });
		expect(sb.state.timeline).toHaveLength(0);
	});

	it("notifies the chosen user, or the credential's own user when none is chosen", async () => {
		await runBitrix24(sb, {
			parameters: {
				resource: 'user',
				operation: 'sendNotification',
				userId: '3',
				message: 'Import fertig',
				tag: 'lexoffice-import',
			},
		});
		const { json } = await runBitrix24(sb, {
			parameters: { resource: 'user', operation: 'sendNotification', userId: '', message: 'Hallo' },
		});
		const self = sb.state.users.find((user) => user.ID === json[0].userId);
		expect(self).toBeDefined();
		expect(sb.state.notifications.map((entry) => [entry.userId, entry.message, entry.tag])).toEqual([
			[3, 'Import fertig', 'lexoffice-import'],
			[json[0].userId, 'Hallo', null],
		]);
	});

	it('refuses an empty message or a recipient that is not an id before sending', async () => {
		await expect(
			runBitrix24(sb, { parameters: { resource: 'user', operation: 'sendNotification', message: ' ' } }),
		).rejects.toThrow('Message is empty');
		await expect(
			runBitrix24(sb, {
				parameters: { resource: 'user', operation: 'sendNotification', userId: 'Anna', message: 'x' },
			}),
		).rejects.toThrow('"Recipient" must be a user ID');
		expect(sb.state.notifications).toHaveLength(0);
	});
});
