/**
 * The texts the invoice flow writes into Bitrix24 timelines, all in one place (German: people at
 * the portal read them). Each carries a part the sync finds again before writing, so a note or a
 * link whose writing was not recorded is not written twice (issue #12): the link by its URL to
 * the invoice, the closing note by its marker.
 */
import { bbcodeLink, bbcodeSafeUrl } from './bbcode';
import type { SyncedStatus } from '../../shared/contract/invoiceStatus';

export interface InvoiceNote {
	text: string;
	/** What identifies the note on a timeline. */
	marker: string;
}

/** The link to the invoice in LexOffice, posted on the smart invoice and on the client's card. */
export function invoiceLinkNote(voucherNumber: string, status: string, url: string): InvoiceNote {
	const number = voucherNumber || '(Entwurf)';
	const link = bbcodeLink(url, `Rechnung ${voucherNumber} in LexOffice öffnen`) ?? '';
	return {
		text: `Rechnung ${number} aus LexOffice übernommen (Status: ${status}).\n${link}`,
		marker: `[URL=${bbcodeSafeUrl(url) ?? url}]`,
	};
}

/** The note on a smart invoice closed because its invoice was voided or its draft deleted in LexOffice. */
export function closingNote(status: SyncedStatus, lexofficeId: string, voucherNumber: string): InvoiceNote {
	const marker = `(Kennung: lexoffice/invoice.${status}/${lexofficeId})`;
	const text =
		status === 'deleted'
			? `Der Rechnungsentwurf wurde in LexOffice gelöscht; diese Rechnung ist damit geschlossen. ${marker}`
			: `Die Rechnung ${voucherNumber} wurde in LexOffice storniert; diese Rechnung ist damit geschlossen. ${marker}`;
	return { text, marker };
}
