/**
 * The "From List" mode of the contact and company locators (actions/shared/crmRecordDescription.ts):
 * one page of 50 per call from crm.contact.list / crm.company.list (bitrix24-api.md §2, §4.2), newest
 * first; the search text is a LIKE filter (`%`) on the last name or the company title.
 */
import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { bitrix24Call } from '../transport';

async function searchRecords(
	this: ILoadOptionsFunctions,
	method: 'crm.contact.list' | 'crm.company.list',
	searchField: 'LAST_NAME' | 'TITLE',
	filter: string | undefined,
	paginationToken: string | undefined,
): Promise<INodeListSearchResult> {
	const start = Number(paginationToken) || 0;
	const search = filter?.trim();
	const answer = await bitrix24Call.call(this, method, {
		order: { ID: 'DESC' },
		filter: search ? { [`%${searchField}`]: search } : {},
		select: ['ID', 'NAME', 'LAST_NAME', 'TITLE'],
		start,
	});
	const rows = Array.isArray(answer.result) ? (answer.result as IDataObject[]) : [];
	return {
		results: rows.map((row) => {
			const label = searchField === 'TITLE' ? row.TITLE : [row.NAME, row.LAST_NAME].filter(Boolean).join(' ');
			return {
				name: `${typeof label === 'string' && label.trim() ? label : '(no name)'} (${String(row.ID)})`,
				value: String(row.ID),
			};
		}),
		paginationToken: typeof answer.next === 'number' && answer.next > start ? String(answer.next) : undefined,
	};
}

export async function searchContacts(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
	return await searchRecords.call(this, 'crm.contact.list', 'LAST_NAME', filter, paginationToken);
}

export async function searchCompanies(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
	return await searchRecords.call(this, 'crm.company.list', 'TITLE', filter, paginationToken);
}

export const crmRecordListSearch = { searchContacts, searchCompanies };
