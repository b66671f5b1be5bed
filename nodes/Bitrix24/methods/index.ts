/**
 * The node's `methods`: one object per kind, merged from per-topic files. Adding a topic = its
 * file plus a spread line in each object it contributes to.
 */
import { automationLoadOptions } from './automation';
import { crmLoadOptions, crmResourceMapping } from './crmFields';
import { crmRecordListSearch } from './crmRecords';
import { invoiceLoadOptions } from './invoices';
import { requisiteLoadOptions } from './requisites';
import { userListSearch, userLoadOptions } from './users';

export const loadOptions = {
	...crmLoadOptions,
	...invoiceLoadOptions,
	...userLoadOptions,
	...automationLoadOptions,
	...requisiteLoadOptions,
};

export const listSearch = {
	...userListSearch,
	...crmRecordListSearch,
};

export const resourceMapping = {
	...crmResourceMapping,
};
