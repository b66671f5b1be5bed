/**
 * The texts Bitrix24 users read, in German and English (issue #13 item 5): the module is complete
 * in both languages, and the marker Note Deletion reads back is found whichever language wrote it.
 */
import { DateTime } from 'luxon';

import { deletionNote, isDeletionNote } from '../../../nodes/Bitrix24/helpers/deletionNote';
import { INVOICE_TRIGGERS, invoiceTriggerName } from '../../../nodes/shared/contract/invoiceStatus';
import {
	DEFAULT_LANGUAGE,
	LANGUAGES,
	NO_CHANGES,
	USER_TEXTS,
	type ChangesBeforeFailure,
	type Language,
	type UserTexts,
} from '../../../nodes/shared/contract/userTexts';
import { textsOf } from './userTextsSamples';

/** The shape of a texts object: its keys, and each function's number of parameters. */
function shapeOf(value: unknown): unknown {
	if (typeof value === 'function') return `function/${value.length}`;
	if (typeof value !== 'object' || value === null) return typeof value;
	return Object.fromEntries(
		Object.entries(value)
			.sort(([a], [b]) => a.localeCompare(b))
			.map(([key, inner]) => [key, shapeOf(inner)]),
	);
}

function leavesOf(value: unknown, path = ''): string[] {
	if (typeof value !== 'object' || value === null) return [path];
	return Object.entries(value).flatMap(([key, inner]) => leavesOf(inner, path ? `${path}.${key}` : key));
}

describe('texts users read (nodes/shared/contract/userTexts.ts)', () => {
	it('has German and English, German by default', () => {
		expect([...LANGUAGES].sort()).toEqual(['de', 'en']);
		expect(Object.keys(USER_TEXTS).sort()).toEqual(['de', 'en']);
		expect(DEFAULT_LANGUAGE).toBe('de');
	});

	it('has every text in every language, none empty, and the languages differ', () => {
		expect(shapeOf(USER_TEXTS.en)).toEqual(shapeOf(USER_TEXTS.de));
		const de = textsOf(USER_TEXTS.de);
		const en = textsOf(USER_TEXTS.en);
		expect([...en.keys()]).toEqual([...de.keys()]);
		// Every text and every text function was read (a function with at least one sample).
		const read = [...de.keys()].map((path) => path.replace(/\(\d+\)$/, ''));
		expect([...new Set(read)].sort()).toEqual(leavesOf(USER_TEXTS.de).sort());
		for (const [path, text] of [...de, ...en]) expect([path, text.trim().length > 0]).toEqual([path, true]);
		// No text is left untranslated (the same in both).
		const same = [...de.keys()].filter((path) => de.get(path) === en.get(path));
		expect(same).toEqual([]);
	});

	it('a missing translation does not compile', () => {
		// @ts-expect-error English is missing: the compiler refuses it (npm run typecheck checks this line).
		const onlyGerman: Record<Language, UserTexts> = { de: USER_TEXTS.de };
		// @ts-expect-error A text missing in one language: the compiler refuses it too.
		const missingText: UserTexts = { ...USER_TEXTS.en, invoiceTriggers: { open: 'x', paid: 'y', voided: 'z' } };
		expect([onlyGerman, missingText]).toHaveLength(2);
	});

	it('names every invoice trigger in each language; the registered default is German', () => {
		for (const [status, trigger] of Object.entries(INVOICE_TRIGGERS)) {
			expect(trigger.name).toBe(USER_TEXTS.de.invoiceTriggers[status as keyof typeof INVOICE_TRIGGERS]);
			expect(invoiceTriggerName(trigger.code, 'en')).toBe(
				USER_TEXTS.en.invoiceTriggers[status as keyof typeof INVOICE_TRIGGERS],
			);
		}
		expect(invoiceTriggerName('lexoffice_invoice_paid', 'de')).toBe('LexOffice: Rechnung bezahlt');
		expect(invoiceTriggerName('lexoffice_invoice_paid', 'en')).toBe('LexOffice: Invoice paid');
		expect(invoiceTriggerName('something_else', 'en')).toBeUndefined();
	});
});

describe('deletion note markers across languages', () => {
	const now = DateTime.fromISO('2026-12-01T09:00:00Z');
	const at = '2026-11-27T10:15:00.000+01:00';

	it('writes the note in the chosen language, German by default', () => {
		expect(deletionNote('lx-1', at, now).text).toBe(
			'Der verknüpfte LexOffice-Kontakt wurde am 27.11.2026 10:15 in LexOffice gelöscht (LexOffice-ID lx-1). Der Datensatz bleibt in Bitrix24 erhalten. (Kennung: lexoffice/contact.deleted/lx-1/2026-11-27T09:15:00.000Z)',
		);
		expect(deletionNote('lx-1', at, now, 'en').text).toBe(
			'The linked LexOffice contact was deleted in LexOffice on 2026-11-27 10:15 (LexOffice ID lx-1). The record stays in Bitrix24. (Key: lexoffice/contact.deleted/lx-1/2026-11-27T09:15:00.000Z)',
		);
	});

	it.each([
		['de', 'en'],
		['en', 'de'],
		['de', 'de'],
		['en', 'en'],
	] as Array<[Language, Language]>)('a note written in %s is found by a run in %s', (written, reading) => {
		const note = deletionNote('lx-1', at, now, written);
		expect(isDeletionNote(note.text, deletionNote('lx-1', at, now, reading))).toBe(true);
		// The same instant in another spelling is the same deletion.
		expect(isDeletionNote(note.text, deletionNote('lx-1', '2026-11-27T09:15:00Z', now, reading))).toBe(true);
	});

	it.each(LANGUAGES.map((language) => [language]))(
		'another deletion (%s) is not this one, in either language',
		(reading) => {
			for (const written of LANGUAGES) {
				const note = deletionNote('lx-1', at, now, written).text;
				expect(isDeletionNote(note, deletionNote('lx-1', '2026-11-28T08:00:00+01:00', now, reading))).toBe(false);
				expect(isDeletionNote(note, deletionNote('lx-10', at, now, reading))).toBe(false);
				expect(isDeletionNote(note, deletionNote('lx-1', '', now, reading))).toBe(false);
			}
		},
	);

	it('a German note from before the marker existed is still found by a run in either language', () => {
		const legacy =
			'Der verknüpfte LexOffice-Kontakt wurde am 27.11.2026 10:15 in LexOffice gelöscht (LexOffice-ID lx-1). Der Datensatz bleibt in Bitrix24 erhalten.';
		for (const language of LANGUAGES)
			expect(isDeletionNote(legacy, deletionNote('lx-1', at, now, language))).toBe(true);
		// A note with a marker of another deletion (same minute, other key) is not mistaken for this one.
		const other = deletionNote('lx-1', '2026-11-27T10:15:30.000+01:00', now, 'en').text;
		expect(isDeletionNote(other, deletionNote('lx-1', at, now, 'de'))).toBe(false);
	});
});

describe('the create-invoice error page names what a click changed before it failed (issue #12)', () => {
	const failed = (language: Language, changes: Partial<ChangesBeforeFailure>) =>
		USER_TEXTS[language].answerPage.invoiceFailedMessage('Refused', undefined, '881', 'Create invoice', {
			...NO_CHANGES,
			contactName: 'Eva Roth',
			...changes,
		});

	it.each([
		[
			'de',
			[
				[{}, 'Refused Sonst wurde nichts geändert. Details'],
				[
					{ contactCreated: true, linkStored: true },
					'Refused Der Kunde „Eva Roth“ wurde dafür in LexOffice neu angelegt und mit diesem Datensatz verknüpft. Sonst wurde nichts geändert. Details',
				],
				[
					{ contactCreated: true, recordClaimed: true },
					'Refused Der Kunde „Eva Roth“ wurde dafür in LexOffice neu angelegt, aber nicht mit diesem Datensatz verknüpft. Der Datensatz bleibt einige Minuten für weitere Klicks reserviert. Sonst wurde nichts geändert. Details',
				],
				[
					{ linkStored: true },
					'Refused Der Datensatz wurde mit dem LexOffice-Kunden „Eva Roth“ verknüpft. Sonst wurde nichts geändert. Details',
				],
				[
					{ recordClaimed: true },
					'Refused Der Datensatz bleibt einige Minuten für weitere Klicks reserviert. Sonst wurde nichts geändert. Details',
				],
			],
		],
		[
			'en',
			[
				[{}, 'Refused Nothing else was changed. Details'],
				[
					{ contactCreated: true, linkStored: true },
					'Refused The customer “Eva Roth” was newly created in LexOffice for it and linked to this record. Nothing else was changed. Details',
				],
				[
					{ contactCreated: true, recordClaimed: true },
					'Refused The customer “Eva Roth” was newly created in LexOffice for it, but not linked to this record. This record stays reserved for other clicks for a few minutes. Nothing else was changed. Details',
				],
				[
					{ linkStored: true },
					'Refused This record was linked to the LexOffice customer “Eva Roth”. Nothing else was changed. Details',
				],
				[
					{ recordClaimed: true },
					'Refused This record stays reserved for other clicks for a few minutes. Nothing else was changed. Details',
				],
			],
		],
	] as Array<[Language, Array<[Partial<ChangesBeforeFailure>, string]>]>)('in %s', (language, cases) => {
		for (const [changes, start] of cases)
			expect([changes, failed(language, changes)]).toEqual([changes, expect.stringContaining(start)]);
		// A name is only said with the change it belongs to.
		expect(failed(language, {})).not.toContain('Eva Roth');
		expect(failed(language, { recordClaimed: true })).not.toContain('Eva Roth');
	});

	it.each([
		[
			'de',
			'Ein anderer Klick auf diesen Datensatz sucht oder erstellt gerade seinen LexOffice-Kunden. Es wurde nichts geändert; bitte in einer Minute noch einmal klicken. Details stehen in n8n in der Ausführung 881 des Workflows "Create invoice".',
			'Der Rechnungsentwurf RE-1 für Eva Roth liegt in LexOffice bereit. Ein gleichzeitiger Klick auf diesen Datensatz hat den LexOffice-Kunden eben verknüpft; jeder Klick erstellt seinen eigenen Rechnungsentwurf.',
		],
		[
			'en',
			'Another click on this record is finding or creating its LexOffice customer right now. Nothing was changed; please click again in a minute. Details are in n8n, execution 881 of the workflow "Create invoice".',
			'The draft invoice RE-1 for Eva Roth is ready in LexOffice. A click on this record at the same time has just linked the LexOffice customer; every click creates its own draft invoice.',
		],
	] as Array<[Language, string, string]>)(
		'a click in progress, and a click that waited for it, in %s',
		(language, inProgress, waited) => {
			const texts = USER_TEXTS[language].answerPage;
			expect(texts.clickInProgressMessage('881', 'Create invoice')).toBe(inProgress);
			expect(texts.invoiceCreatedMessage('RE-1', 'Eva Roth', false, true)).toBe(waited);
			expect(texts.invoiceCreatedMessage('RE-1', 'Eva Roth', false, false)).toBe(
				waited.slice(0, waited.indexOf('.') + 1),
			);
		},
	);
});
