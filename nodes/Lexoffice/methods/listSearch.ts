import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { contactDisplayName, customerNumber } from '../helpers/contacts';
import { DEFAULT_APP_URL, permalinksFor } from '../helpers/eventResources';
import {
	encodeSearchValue,
	LEXOFFICE_CREDENTIAL_TYPE,
	lexofficePages,
	type LexofficeCredentials,
	type Query,
} from '../transport';

/** The "From List" mode of the contact and invoice pickers: one page per call, searchable. */

const PAGE_SIZE = 100;
/** §3.2: shorter name filters are refused, so a shorter search lists everything. */
const MIN_SEARCH = 3;

async function appUrl(this: ILoadOptionsFunctions): Promise<string> {
	const credentials = await this.getCredentials<LexofficeCredentials>(LEXOFFICE_CREDENTIAL_TYPE);
	return credentials.appUrl?.trim() || DEFAULT_APP_URL;
}

async function onePage(this: ILoadOptionsFunctions, path: string, qs: Query, token?: string) {
	const page = Number(token ?? 0) || 0;
	for await (const result of lexofficePages.call(this, path, qs, {
		pageSize: PAGE_SIZE,
		limit: PAGE_SIZE,
		startPage: page,
	})) {
		return { content: result.content, next: result.last ? undefined : String(page + 1) };
	}
	return { content: [] as IDataObject[], next: undefined };
}

export async function searchContacts(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const search = filter?.trim() ?? '';
	const qs: Query = search.length >= MIN_SEARCH ? { name: encodeSearchValue(search) } : {};
	const { content, next } = await onePage.call(this, '/v1/contacts', qs, paginationToken);
	const base = await appUrl.call(this);
	return {
		results: content.map((contact) => {
			const number = customerNumber(contact);
			const archived = contact.archived === true ? ' (archived)' : '';
			return {
				name: `${contactDisplayName(contact)}${number ? ` · ${number}` : ''}${archived}`,
				value: String(contact.id),
				url: permalinksFor('contact', String(contact.id), base).view,
			};
		}),
		paginationToken: next,
	};
}

export async function searchInvoices(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const search = filter?.trim() ?? '';
	const qs: Query = {
		voucherType: 'invoice',
		voucherStatus: 'any',
		sort: 'voucherDate,DESC',
		...(search ? { voucherNumber: encodeSearchValue(search) } : {}),
	};
	const { content, next } = await onePage.call(this, '/v1/voucherlist', qs, paginationToken);
	const base = await appUrl.call(this);
	return {
		results: content.map((voucher) => ({
			name: [
				voucher.voucherNumber ?? voucher.voucherStatus,
				voucher.contactName,
				String(voucher.voucherDate ?? '').slice(0, 10),
			]
				.filter(Boolean)
				.join(' · '),
			value: String(voucher.id),
			url: permalinksFor('invoice', String(voucher.id), base).view,
		})),
		paginationToken: next,
	};
}
