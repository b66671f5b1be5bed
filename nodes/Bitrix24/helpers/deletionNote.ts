/**
 * The timeline note Note Deletion writes, and how it is found again. LexOffice repeats deliveries
 * (lexoffice-api.md §6.4, §6.5) and a replay may reach another n8n process that never saw the
 * first one, so the note carries its own key and is written only when the record's timeline does
 * not hold it yet (issue #11). Pure; table-tested.
 */
import { DateTime } from 'luxon';

export interface DeletionNote {
	/** What the user reads. */
	text: string;
	/** The part of `text` that identifies the deletion: LexOffice id and event date. */
	marker: string;
	/** The sentence of notes written before the marker existed, for the same id and minute. */
	legacySentence: string;
}

function berlinMinute(raw: string, now: DateTime): string {
	const parsed = raw ? DateTime.fromISO(raw, { setZone: true }) : now;
	return (parsed.isValid ? parsed : now).setZone('Europe/Berlin').toFormat('dd.MM.yyyy HH:mm');
}

/** The event date as one spelling per instant (a replay carries the same body, but be lenient). */
function eventKey(raw: string): string {
	const parsed = DateTime.fromISO(raw, { setZone: true });
	return parsed.isValid ? (parsed.toUTC().toISO() ?? raw) : raw;
}

/**
 * The note for one deletion. `deletedAt` is the event date LexOffice sent; without one the note
 * shows now, and its key is the LexOffice id alone.
 */
export function deletionNote(lexofficeId: string, deletedAt: string, now: DateTime = DateTime.now()): DeletionNote {
	const legacySentence = `wurde am ${berlinMinute(deletedAt, now)} in LexOffice gelöscht (LexOffice-ID ${lexofficeId})`;
	const marker = `(Kennung: lexoffice/contact.deleted/${lexofficeId}/${deletedAt ? eventKey(deletedAt) : ''})`;
	return {
		text: `Der verknüpfte LexOffice-Kontakt ${legacySentence}. Der Datensatz bleibt in Bitrix24 erhalten. ${marker}`,
		marker,
		legacySentence,
	};
}

/** Whether a timeline comment is this deletion's note (also one written before the marker existed). */
export function isDeletionNote(comment: unknown, note: DeletionNote): boolean {
	if (typeof comment !== 'string') return false;
	if (comment.includes(note.marker)) return true;
	return !comment.includes('(Kennung: lexoffice/') && comment.includes(note.legacySentence);
}
