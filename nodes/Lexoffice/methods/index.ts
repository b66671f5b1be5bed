/** The node's `methods`, merged from per-topic files. */
import { searchContacts, searchInvoices } from './listSearch';

export const listSearch = { searchContacts, searchInvoices };
