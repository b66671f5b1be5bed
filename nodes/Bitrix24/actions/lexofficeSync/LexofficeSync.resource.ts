import * as claimLink from './claimLink.operation';
import * as noteDeletion from './noteDeletion.operation';
import * as postInvoiceLink from './postInvoiceLink.operation';
import * as recordInvoiceEffect from './recordInvoiceEffect.operation';
import * as releaseClaim from './releaseClaim.operation';
import * as storeLink from './storeLink.operation';
import * as summarize from './summarize.operation';
import * as syncContacts from './syncContacts.operation';
import * as syncInvoice from './syncInvoice.operation';
import { resourceDescription } from '../../../shared/operation';

/**
 * LexOffice → Bitrix24: the mapping and upserts the bundled workflows share, so the contacts
 * workflow and the invoice-status flow cannot drift apart.
 */
export const operations = {
	claimLink,
	noteDeletion,
	postInvoiceLink,
	recordInvoiceEffect,
	releaseClaim,
	storeLink,
	summarize,
	syncContacts,
	syncInvoice,
};

export const description = resourceDescription('lexofficeSync', operations, 'syncContacts');
