/**
 * The "responsible person" pickers: active employees from user.get (bitrix24-api.md §11), as a
 * searchable, paged list (big portals) and as a plain dropdown (inside collections).
 */
import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult, INodePropertyOptions } from 'n8n-workflow';

import { bitrix24Call, bitrix24Paginate, collectRows, PAGE_SIZE } from '../transport';

/** Enough for the dropdown; bigger portals should use the searchable list. */
const DROPDOWN_LIMIT = 5 * PAGE_SIZE;

const ACTIVE_EMPLOYEES: IDataObject = { ACTIVE: true, USER_TYPE: 'employee' };

function userOption(user: IDataObject): INodePropertyOptions {
	const name = [user.NAME, user.LAST_NAME].filter((part) => typeof part === 'string' && part.trim() !== '').join(' ');
	const email = typeof user.EMAIL === 'string' ? user.EMAIL : '';
	return {
		name: name || email || `User ${String(user.ID)}`,
		value: String(user.ID),
		description: [email, user.WORK_POSITION].filter(Boolean).join(', ') || undefined,
	};
}

export async function getUsers(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const users = await collectRows(
		bitrix24Paginate.call(
			this,
			'user.get',
			{ sort: 'ID', order: 'ASC', FILTER: ACTIVE_EMPLOYEES },
			{ limit: DROPDOWN_LIMIT },
		),
	);
	return users.map(userOption).sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The same list behind a listed default: '' (leave ASSIGNED_BY_ID out, Bitrix24 then makes the
 * credential's user responsible) is a value the editor accepts without a warning.
 */
export async function getUsersOrCredentialUser(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const byDefault: INodePropertyOptions = {
		name: "Default: the Credential's User",
		value: '',
		description: 'Bitrix24 makes the user the credential acts as responsible',
	};
	return [byDefault, ...(await getUsers.call(this))];
}

/** One page of 50 per call; the search text goes to Bitrix24's NAME_SEARCH (name or e-mail). */
export async function searchUsers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const start = Number(paginationToken) || 0;
	const search = filter?.trim();
	const answer = await bitrix24Call.call(this, 'user.get', {
		sort: 'ID',
		order: 'ASC',
		FILTER: search ? { ...ACTIVE_EMPLOYEES, NAME_SEARCH: search } : ACTIVE_EMPLOYEES,
		start,
	});
	const users = Array.isArray(answer.result) ? (answer.result as IDataObject[]) : [];
	return {
		results: users.map((user) => {
			const { name, value } = userOption(user);
			return { name, value };
		}),
		paginationToken: typeof answer.next === 'number' && answer.next > start ? String(answer.next) : undefined,
	};
}

export const userLoadOptions = { getUsers, getUsersOrCredentialUser };
export const userListSearch = { searchUsers };
