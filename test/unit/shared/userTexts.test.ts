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
	USER_TEXTS,
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
