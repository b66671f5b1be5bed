/**
 * The notes the invoice flow writes into Bitrix24 timelines, in the language the operation's
 * "Language" option chose (the texts are in shared/contract/userTexts.ts). Each carries a part the
 * sync finds again before writing, so a note or a link whose writing was not recorded is not
 * written twice (issue #12): the link by its URL to the invoice, the closing note by its key, which
 * is matched as every language writes it (a run in English finds the German note and vice versa).
 */
import { bbcodeLink, bbcodeSafeUrl } from './bbcode';
import { INVOICE_STATUSES, type SyncedStatus, type InvoiceStatus } from '../../shared/contract/invoiceStatus';
import { noteMarker, noteMarkers, userTexts, type Language } from '../../shared/contract/userTexts';

export interface InvoiceNote {
	text: string;
	/** What identifies the note on a timeline, as written in `text`. */
	marker: string;
	/** Every spelling of the marker (one per language): a comment holding any of them is this note. */
	markers: string[];
}

/** The status as the user reads it; a status without a text (e.g. "deleted") as it came. */
function statusText(status: string, language: Language): string {
	return (INVOICE_STATUSES as string[]).includes(status)
		? userTexts(language).invoice.status[status as InvoiceStatus]
		: status;
}

/** The link to the invoice in LexOffice, posted on the smart invoice and on the client's card. */
export function invoiceLinkNote(voucherNumber: string, status: string, url: string, language: Language): InvoiceNote {
	const texts = userTexts(language).invoice;
	const link = bbcodeLink(url, texts.linkText(voucherNumber || undefined)) ?? '';
	const marker = `[URL=${bbcodeSafeUrl(url) ?? url}]`;
	return {
		text: `${texts.linkNote(voucherNumber || undefined, statusText(status, language))}\n${link}`,
		marker,
		markers: [marker],
	};
}

/** The note on a smart invoice closed because its invoice was voided or its draft deleted in LexOffice. */
export function closingNote(
	status: SyncedStatus,
	lexofficeId: string,
	voucherNumber: string,
	language: Language,
): InvoiceNote {
	const key = `lexoffice/invoice.${status}/${lexofficeId}`;
	const marker = noteMarker(key, language);
	const texts = userTexts(language).invoice.closingNote;
	const text = status === 'deleted' ? texts.deleted(marker) : texts.voided(voucherNumber || undefined, marker);
	return { text, marker, markers: noteMarkers(key) };
}
