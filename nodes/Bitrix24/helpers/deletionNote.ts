/**
 * The timeline note Note Deletion writes, and how it is found again. LexOffice repeats deliveries
 * (lexoffice-api.md §6.4, §6.5) and a replay may reach another n8n process that never saw the
 * first one, so the note carries its own key and is written only when the record's timeline does
 * not hold it yet (issue #11). Pure; table-tested.
 */
import { DateTime } from 'luxon';

import {
	DEFAULT_LANGUAGE,
	LANGUAGES,
	noteMarker,
	noteMarkers,
	USER_TEXTS,
	type Language,
} from '../../shared/contract/userTexts';

export interface DeletionNote {
	/** What the user reads. */
	text: string;
	/** The part of `text` that identifies the deletion: LexOffice id and event date. */
	marker: string;
	/** The same marker as every language writes it: a note in any of them is this deletion's note. */
	markers: string[];
	/** The sentence of notes written before the marker existed, for the same id and minute. */
	legacySentence: string;
}

function berlinMinute(raw: string, now: DateTime, format = USER_TEXTS.de.deletionNote.dateFormat): string {
	const parsed = raw ? DateTime.fromISO(raw, { setZone: true }) : now;
	return (parsed.isValid ? parsed : now).setZone('Europe/Berlin').toFormat(format);
}

/** The event date as one spelling per instant (a replay carries the same body, but be lenient). */
function eventKey(raw: string): string {
	const parsed = DateTime.fromISO(raw, { setZone: true });
	return parsed.isValid ? (parsed.toUTC().toISO() ?? raw) : raw;
}

/**
 * The note for one deletion, in `language`. `deletedAt` is the event date LexOffice sent; without
 * one the note shows now, and its key is the LexOffice id alone.
 */
export function deletionNote(
	lexofficeId: string,
	deletedAt: string,
	now: DateTime = DateTime.now(),
	language?: Language,
): DeletionNote {
	const texts = USER_TEXTS[language ?? DEFAULT_LANGUAGE].deletionNote;
	// Notes from before the marker existed were German: the only language there was.
	const legacySentence = `wurde am ${berlinMinute(deletedAt, now)} in LexOffice gelöscht (LexOffice-ID ${lexofficeId})`;
	const key = `lexoffice/contact.deleted/${lexofficeId}/${deletedAt ? eventKey(deletedAt) : ''}`;
	const marker = noteMarker(key, language ?? DEFAULT_LANGUAGE);
	return {
		text: texts.text(lexofficeId, berlinMinute(deletedAt, now, texts.dateFormat), marker),
		marker,
		markers: noteMarkers(key),
		legacySentence,
	};
}

/** Whether a timeline comment is this deletion's note, in any language (also one written before the marker existed). */
export function isDeletionNote(comment: unknown, note: DeletionNote): boolean {
	if (typeof comment !== 'string') return false;
	if (note.markers.some((marker) => comment.includes(marker))) return true;
	const anyMarker = LANGUAGES.some((language) =>
		comment.includes(`(${USER_TEXTS[language].noteMarkerLabel}: lexoffice/`),
	);
	return !anyMarker && comment.includes(note.legacySentence);
}
