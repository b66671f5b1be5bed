/**
 * Every text a Bitrix24 or LexOffice user reads (issue #13 item 5): the answer pages of the
 * create-invoice button, the import/sync notification, timeline notes, smart-invoice titles and
 * the automation trigger names. The editor itself speaks English; these speak the language the
 * operation's "Language" option chooses, German by default (the users are German small businesses).
 *
 * Both languages are one `Record<Language, UserTexts>`: a text missing in one language does not
 * compile. Markers the code reads back (the key of a deletion note or of an invoice's closing note)
 * are built from the same parts in every language, so a note written in one language is found by a
 * run in the other. Pure.
 */
import { Duration } from 'luxon';

import type { InvoiceStatus } from './invoiceStatus';

export type Language = 'de' | 'en';

export const LANGUAGES: readonly Language[] = ['de', 'en'];

export const DEFAULT_LANGUAGE: Language = 'de';

export function isLanguage(value: unknown): value is Language {
	return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** "1 Stunde, 2 Minuten und 5 Sekunden": whole seconds, in the largest units, zeros left out. */
export function humanDuration(seconds: number, language: Language): string {
	const rescaled = Duration.fromObject({ seconds }).rescale();
	const duration = Object.keys(rescaled.toObject()).length > 0 ? rescaled : Duration.fromObject({ seconds: 0 });
	return duration.reconfigure({ locale: language }).toHuman();
}

export interface SyncCounts {
	created: number;
	updated: number;
	unchanged: number;
	failed: number;
}

export type TriggeredStatus = Exclude<InvoiceStatus, 'draft'>;

export interface UserTexts {
	/** The message of Summarize Sync Results, sent as the import/sync notification. */
	syncSummary: {
		heading: (dryRun: boolean, total: number) => string;
		companies: string;
		contacts: string;
		contactPersons: string;
		counts: (label: string, counts: SyncCounts) => string;
		adoptedExisting: (count: number) => string;
		skipped: (archived: number, other: number) => string;
		withWarnings: (count: number) => string;
		failure: (who: string, error: string) => string;
		moreFailures: (count: number) => string;
		/** Records another n8n worker added at the same time, removed again (queue mode). */
		duplicatesRemoved: (count: number) => string;
		/** How long the work took; `seconds` is whole seconds. */
		duration: (seconds: number) => string;
	};
	/**
	 * The word before the key a timeline note carries so it is found again:
	 * `(<label>: lexoffice/contact.deleted/…)`, `(<label>: lexoffice/invoice.voided/…)`.
	 */
	noteMarkerLabel: string;
	/** The timeline note of Note Deletion. */
	deletionNote: {
		/** `when` is the minute in Europe/Berlin, already formatted by `dateFormat`. */
		text: (lexofficeId: string, when: string, marker: string) => string;
		/** luxon format of the minute the note names. */
		dateFormat: string;
	};
	/** What Sync Invoice writes on the smart invoice, and the timeline notes of the invoice flow. */
	invoice: {
		title: (voucherNumber: string | undefined) => string;
		status: Record<InvoiceStatus, string>;
		/** Post Invoice Link's note (smart invoice and client's card); the link follows on its own line. */
		linkNote: (voucherNumber: string | undefined, status: string) => string;
		linkText: (voucherNumber: string | undefined) => string;
		/** Sync Invoice's note on a smart invoice it closed; `marker` ends it. */
		closingNote: {
			deleted: (marker: string) => string;
			voided: (voucherNumber: string | undefined, marker: string) => string;
		};
	};
	/** Names of the automation triggers Bitrix24 users place in their rules. */
	invoiceTriggers: Record<TriggeredStatus, string>;
	/** Pages a click on "LexOffice: Rechnung erstellen" is answered with. */
	answerPage: {
		invoiceCreatedTitle: string;
		/** `linkedByConcurrentClick`: another click on the record linked the customer while this one waited (issue #12). */
		invoiceCreatedMessage: (
			voucherNumber: string | undefined,
			contactName: string,
			contactCreated: boolean,
			linkedByConcurrentClick: boolean,
		) => string;
		invoiceCreatedLinkText: string;
		invoiceFailedTitle: string;
		unknownError: string;
		/** The error, what the click changed before it (each change named), and where the details are. */
		invoiceFailedMessage: (
			error: string,
			description: string | undefined,
			execution: string,
			workflow: string,
			changes: ChangesBeforeFailure,
		) => string;
		/** Another click on the record is still finding or creating its LexOffice customer: nothing was done. */
		clickInProgressMessage: (execution: string, workflow: string) => string;
	};
}

/** What a click on the create-invoice button changed before it failed; the error page names each. */
export interface ChangesBeforeFailure {
	/** The LexOffice customer created or linked; may be empty when neither happened. */
	contactName: string;
	/** A LexOffice customer was created for the record. */
	contactCreated: boolean;
	/** The Bitrix24 record was linked to the LexOffice customer. */
	linkStored: boolean;
	/** The record still holds the click's claim (ORIGIN_ID `claim:…`) until it expires. */
	recordClaimed: boolean;
}

export const NO_CHANGES: ChangesBeforeFailure = {
	contactName: '',
	contactCreated: false,
	linkStored: false,
	recordClaimed: false,
};

/** Each change a failed click made, as sentences that each start with a space; empty when none. */
function changesDe({ contactName, contactCreated, linkStored, recordClaimed }: ChangesBeforeFailure): string {
	const contact = contactCreated
		? ` Der Kunde „${contactName}“ wurde dafür in LexOffice neu angelegt${linkStored ? ' und mit diesem Datensatz verknüpft.' : ', aber nicht mit diesem Datensatz verknüpft.'}`
		: linkStored
			? ` Der Datensatz wurde mit dem LexOffice-Kunden „${contactName}“ verknüpft.`
			: '';
	return contact + (recordClaimed ? ' Der Datensatz bleibt einige Minuten für weitere Klicks reserviert.' : '');
}

const detailsDe = (execution: string, workflow: string) =>
	` Details stehen in n8n in der Ausführung ${execution} des Workflows "${workflow}".`;

const de: UserTexts = {
	syncSummary: {
		heading: (dryRun, total) =>
			`${dryRun ? '[b]LexOffice-Abgleich (Probelauf, nichts geschrieben)[/b]' : '[b]LexOffice-Abgleich[/b]'}: ${total} Kontakte`,
		companies: 'Unternehmen',
		contacts: 'Kontakte',
		contactPersons: 'Ansprechpartner',
		counts: (label, counts) =>
			`${label}: ${counts.created} neu, ${counts.updated} aktualisiert, ${counts.unchanged} unverändert, ${counts.failed} fehlgeschlagen`,
		adoptedExisting: (count) => `Davon bestehende Bitrix24-Datensätze übernommen (gleiche E-Mail): ${count}`,
		skipped: (archived, other) => `Übersprungen: ${archived} archiviert, ${other} sonstige`,
		withWarnings: (count) => `Mit Hinweisen (Daten angepasst, siehe "warnings" in n8n): ${count}`,
		failure: (who, error) => `Fehler bei ${who}: ${error}`,
		moreFailures: (count) => `… und ${count} weitere Fehler (siehe n8n)`,
		duplicatesRemoved: (count) =>
			`Doppelt angelegt (gleichzeitig von einem anderen n8n-Worker) und wieder entfernt: ${count}`,
		duration: (seconds) => `Dauer: ${humanDuration(seconds, 'de')}`,
	},
	noteMarkerLabel: 'Kennung',
	deletionNote: {
		text: (lexofficeId, when, marker) =>
			`Der verknüpfte LexOffice-Kontakt wurde am ${when} in LexOffice gelöscht (LexOffice-ID ${lexofficeId}). Der Datensatz bleibt in Bitrix24 erhalten. ${marker}`,
		dateFormat: 'dd.MM.yyyy HH:mm',
	},
	invoice: {
		title: (voucherNumber) => (voucherNumber ? `Rechnung ${voucherNumber}` : 'LexOffice-Rechnung (Entwurf)'),
		status: { draft: 'Entwurf', open: 'offen', overdue: 'überfällig', paid: 'bezahlt', voided: 'storniert' },
		linkNote: (voucherNumber, status) =>
			`Rechnung ${voucherNumber || '(Entwurf)'} aus LexOffice übernommen (Status: ${status}).`,
		linkText: (voucherNumber) =>
			voucherNumber ? `Rechnung ${voucherNumber} in LexOffice öffnen` : 'Rechnungsentwurf in LexOffice öffnen',
		closingNote: {
			deleted: (marker) =>
				`Der Rechnungsentwurf wurde in LexOffice gelöscht; diese Rechnung ist damit geschlossen. ${marker}`,
			voided: (voucherNumber, marker) =>
				`Die Rechnung ${voucherNumber ? `${voucherNumber} ` : ''}wurde in LexOffice storniert; diese Rechnung ist damit geschlossen. ${marker}`,
		},
	},
	invoiceTriggers: {
		open: 'LexOffice: Rechnung offen',
		paid: 'LexOffice: Rechnung bezahlt',
		voided: 'LexOffice: Rechnung storniert',
		overdue: 'LexOffice: Rechnung überfällig',
	},
	answerPage: {
		invoiceCreatedTitle: 'LexOffice: Rechnung erstellt',
		invoiceCreatedMessage: (voucherNumber, contactName, contactCreated, linkedByConcurrentClick) =>
			`${voucherNumber ? `Der Rechnungsentwurf ${voucherNumber}` : 'Ein Rechnungsentwurf'} für ${contactName} liegt in LexOffice bereit.` +
			(contactCreated ? ' Der Kunde wurde dafür in LexOffice neu angelegt.' : '') +
			(linkedByConcurrentClick
				? ' Ein gleichzeitiger Klick auf diesen Datensatz hat den LexOffice-Kunden eben verknüpft; jeder Klick erstellt seinen eigenen Rechnungsentwurf.'
				: ''),
		invoiceCreatedLinkText: 'Rechnung in LexOffice bearbeiten',
		invoiceFailedTitle: 'LexOffice: Die Rechnung konnte nicht erstellt werden',
		unknownError: 'Unbekannter Fehler',
		invoiceFailedMessage: (error, description, execution, workflow, changes) =>
			`${error}${description ? ` – ${description}` : ''}${changesDe(changes)} Sonst wurde nichts geändert.${detailsDe(execution, workflow)}`,
		clickInProgressMessage: (execution, workflow) =>
			`Ein anderer Klick auf diesen Datensatz sucht oder erstellt gerade seinen LexOffice-Kunden. Es wurde nichts geändert; bitte in einer Minute noch einmal klicken.${detailsDe(execution, workflow)}`,
	},
};

function changesEn({ contactName, contactCreated, linkStored, recordClaimed }: ChangesBeforeFailure): string {
	const contact = contactCreated
		? ` The customer “${contactName}” was newly created in LexOffice for it${linkStored ? ' and linked to this record.' : ', but not linked to this record.'}`
		: linkStored
			? ` This record was linked to the LexOffice customer “${contactName}”.`
			: '';
	return contact + (recordClaimed ? ' This record stays reserved for other clicks for a few minutes.' : '');
}

const detailsEn = (execution: string, workflow: string) =>
	` Details are in n8n, execution ${execution} of the workflow "${workflow}".`;

const en: UserTexts = {
	syncSummary: {
		heading: (dryRun, total) =>
			`${dryRun ? '[b]LexOffice sync (dry run, nothing written)[/b]' : '[b]LexOffice sync[/b]'}: ${total} contacts`,
		companies: 'Companies',
		contacts: 'Contacts',
		contactPersons: 'Contact persons',
		counts: (label, counts) =>
			`${label}: ${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged, ${counts.failed} failed`,
		adoptedExisting: (count) => `Of these, existing Bitrix24 records taken over (same e-mail): ${count}`,
		skipped: (archived, other) => `Skipped: ${archived} archived, ${other} other`,
		withWarnings: (count) => `With warnings (data adjusted, see "warnings" in n8n): ${count}`,
		failure: (who, error) => `Failed for ${who}: ${error}`,
		moreFailures: (count) => `… and ${count} more failures (see n8n)`,
		duplicatesRemoved: (count) => `Added twice (by another n8n worker at the same time) and removed again: ${count}`,
		duration: (seconds) => `Duration: ${humanDuration(seconds, 'en')}`,
	},
	noteMarkerLabel: 'Key',
	deletionNote: {
		text: (lexofficeId, when, marker) =>
			`The linked LexOffice contact was deleted in LexOffice on ${when} (LexOffice ID ${lexofficeId}). The record stays in Bitrix24. ${marker}`,
		dateFormat: 'yyyy-MM-dd HH:mm',
	},
	invoice: {
		title: (voucherNumber) => (voucherNumber ? `Invoice ${voucherNumber}` : 'LexOffice invoice (draft)'),
		status: { draft: 'draft', open: 'open', overdue: 'overdue', paid: 'paid', voided: 'voided' },
		linkNote: (voucherNumber, status) =>
			`Invoice ${voucherNumber || '(draft)'} taken over from LexOffice (status: ${status}).`,
		linkText: (voucherNumber) =>
			voucherNumber ? `Open invoice ${voucherNumber} in LexOffice` : 'Open the draft invoice in LexOffice',
		closingNote: {
			deleted: (marker) => `The draft invoice was deleted in LexOffice; this invoice is closed. ${marker}`,
			voided: (voucherNumber, marker) =>
				`${voucherNumber ? `Invoice ${voucherNumber}` : 'The invoice'} was voided in LexOffice; this invoice is closed. ${marker}`,
		},
	},
	invoiceTriggers: {
		open: 'LexOffice: Invoice open',
		paid: 'LexOffice: Invoice paid',
		voided: 'LexOffice: Invoice voided',
		overdue: 'LexOffice: Invoice overdue',
	},
	answerPage: {
		invoiceCreatedTitle: 'LexOffice: Invoice created',
		invoiceCreatedMessage: (voucherNumber, contactName, contactCreated, linkedByConcurrentClick) =>
			`${voucherNumber ? `The draft invoice ${voucherNumber}` : 'A draft invoice'} for ${contactName} is ready in LexOffice.` +
			(contactCreated ? ' The customer was newly created in LexOffice for it.' : '') +
			(linkedByConcurrentClick
				? ' A click on this record at the same time has just linked the LexOffice customer; every click creates its own draft invoice.'
				: ''),
		invoiceCreatedLinkText: 'Edit the invoice in LexOffice',
		invoiceFailedTitle: 'LexOffice: The invoice could not be created',
		unknownError: 'Unknown error',
		invoiceFailedMessage: (error, description, execution, workflow, changes) =>
			`${error}${description ? ` – ${description}` : ''}${changesEn(changes)} Nothing else was changed.${detailsEn(execution, workflow)}`,
		clickInProgressMessage: (execution, workflow) =>
			`Another click on this record is finding or creating its LexOffice customer right now. Nothing was changed; please click again in a minute.${detailsEn(execution, workflow)}`,
	},
};

export const USER_TEXTS: Record<Language, UserTexts> = { de, en };

export function userTexts(language: Language = DEFAULT_LANGUAGE): UserTexts {
	return USER_TEXTS[language];
}

/** The key a timeline note carries, as `language` writes it: `(Kennung: lexoffice/…)`, `(Key: lexoffice/…)`. */
export function noteMarker(key: string, language: Language): string {
	return `(${USER_TEXTS[language].noteMarkerLabel}: ${key})`;
}

/** The key as every language writes it: a note written in any of them carries one of these. */
export function noteMarkers(key: string): string[] {
	return LANGUAGES.map((language) => noteMarker(key, language));
}
