/**
 * Users (bitrix24-api.md §11) and CRM reference data: status lists, invoice stages and categories
 * (§6), so nothing needs hard-coded ids.
 */
import { done, isRecord, isYes, param, positiveInt, type CallContext, type MethodTable } from '../context';
import { B24Error } from '../errors';
import { listPlain, stringifyNumbers } from '../listQuery';
import { invoiceStageEntityId } from '../seedData';
import type { User } from '../state';

function userView(context: CallContext, user: User): Record<string, unknown> {
	const fields: Partial<User> = { ...user };
	delete fields.isAdmin;
	return {
		...fields,
		ID: String(user.ID),
		XML_ID: '',
		SECOND_NAME: '',
		IS_ONLINE: 'N',
		TIME_ZONE: context.portal.config.timeZone,
		PERSONAL_BIRTHDAY: '',
		UF_EMPLOYMENT_DATE: '',
	};
}

const USER_FILTER_FIELDS = [
	'ID',
	'ACTIVE',
	'NAME',
	'LAST_NAME',
	'EMAIL',
	'USER_TYPE',
	'UF_DEPARTMENT',
	'WORK_POSITION',
	'PERSONAL_GENDER',
];
const USER_GET_OPTIONS = new Set(['SORT', 'ORDER', 'FILTER', 'ADMIN_MODE', 'SELECT', 'START', 'IMAGE_RESIZE']);

/** user.get takes FILTER (any case) or, in the old style, filter fields at the top level. */
function userFilter(context: CallContext): Record<string, unknown> {
	const explicit = param(context.params, 'FILTER');
	const raw = isRecord(explicit)
		? explicit
		: Object.fromEntries(Object.entries(context.params).filter(([key]) => !USER_GET_OPTIONS.has(key.toUpperCase())));
	const filter: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(raw)) {
		// ACTIVE is a boolean; Y/N, true/false and 1/0 all mean the same.
		filter[key] = key.replace(/^\W+/, '').toUpperCase() === 'ACTIVE' ? isYes(value) : value;
	}
	return filter;
}

function userGet(context: CallContext) {
	const filter = userFilter(context);
	const search = typeof filter.NAME_SEARCH === 'string' ? filter.NAME_SEARCH.toLowerCase() : undefined;
	delete filter.NAME_SEARCH;
	const candidates = context.portal.state.users
		.filter((user) => !search || `${user.NAME} ${user.LAST_NAME} ${user.EMAIL}`.toLowerCase().includes(search))
		.map((user) => ({ ...user, ACTIVE: user.ACTIVE ? 'Y' : 'N' }));
	const normalisedFilter = Object.fromEntries(
		Object.entries(filter).map(([key, value]) => [key, typeof value === 'boolean' ? (value ? 'Y' : 'N') : value]),
	);
	const sortField = String(param(context.params, 'sort') ?? 'ID');
	const page = listPlain(candidates, USER_FILTER_FIELDS, {
		filter: normalisedFilter,
		order: { [sortField]: String(param(context.params, 'order') ?? 'ASC') },
		start: param(context.params, 'start'),
	});
	const users = page.rows.map((row) => context.portal.user(row.ID) as User);
	return { result: users.map((user) => userView(context, user)), total: page.total, next: page.next };
}

const userMethods: MethodTable = {
	'user.current': { scope: 'user', handler: (context) => done(userView(context, context.auth.user)) },
	'user.get': { scope: 'user', handler: userGet },
	'user.admin': { scope: 'basic', handler: (context) => done(context.auth.user.isAdmin) },
	profile: {
		scope: 'basic',
		handler: (context) => {
			const { user } = context.auth;
			return done({
				ID: String(user.ID),
				ADMIN: user.isAdmin,
				NAME: user.NAME,
				LAST_NAME: user.LAST_NAME,
				PERSONAL_GENDER: user.PERSONAL_GENDER,
				PERSONAL_PHOTO: '',
				TIME_ZONE: context.portal.config.timeZone,
				TIME_ZONE_OFFSET: 3600,
			});
		},
	},
};

const STATUS_FIELDS = [
	'ID',
	'ENTITY_ID',
	'STATUS_ID',
	'NAME',
	'NAME_INIT',
	'SORT',
	'SYSTEM',
	'CATEGORY_ID',
	'COLOR',
	'SEMANTICS',
];

function statusView(entry: Record<string, unknown>): Record<string, unknown> {
	const semantics = entry.SEMANTICS === 'S' ? 'success' : entry.SEMANTICS === 'F' ? 'failure' : 'process';
	const view = stringifyNumbers(entry);
	if (entry.CATEGORY_ID !== null) view.EXTRA = { SEMANTICS: semantics, COLOR: entry.COLOR };
	return view;
}

/** The entity-type directories (crm.status.entity.types), incl. one stage list per invoice category. */
function statusEntityTypes(context: CallContext): Array<Record<string, unknown>> {
	const plain = [
		['STATUS', 'Lead-Status'],
		['SOURCE', 'Quellen'],
		['CONTACT_TYPE', 'Kontakttyp'],
		['COMPANY_TYPE', 'Unternehmenstyp'],
		['HONORIFIC', 'Anrede'],
		['INDUSTRY', 'Branche'],
		['EMPLOYEES', 'Mitarbeiter'],
	].map(([id, name]) => ({ ID: id, NAME: name }));
	const invoiceStages = context.portal.state.categories
		.filter((category) => category.entityTypeId === 31)
		.map((category) => ({
			ID: invoiceStageEntityId(category.id),
			NAME: `Phasen der Rechnungen (${category.name})`,
			SEMANTIC_INFO: {
				START_FIELD: `DT31_${category.id}:N`,
				FINAL_SUCCESS_FIELD: `DT31_${category.id}:P`,
				FINAL_UNSUCCESS_FIELD: `DT31_${category.id}:D`,
			},
			PREFIX: `DT31_${category.id}`,
			FIELD_ATTRIBUTE_SCOPE: category.isDefault === 'Y' ? '' : `category_${category.id}`,
			ENTITY_TYPE_ID: 31,
			IS_ENABLED: true,
			CATEGORY_ID: category.id,
		}));
	return [...plain, ...invoiceStages];
}

function categoryView(category: {
	id: number;
	entityTypeId: number;
	name: string;
	sort: number;
	isDefault: 'Y' | 'N';
}) {
	return { ...category, originId: '', originatorId: '' };
}

function categoriesOf(context: CallContext) {
	const entityTypeId = positiveInt(param(context.params, 'entityTypeId'));
	const categories = context.portal.state.categories.filter((category) => category.entityTypeId === entityTypeId);
	if (categories.length === 0) throw new B24Error(400, 'NOT_FOUND', 'Smart process not found');
	return categories;
}

const crmReferenceMethods: MethodTable = {
	'crm.status.list': {
		scope: 'crm',
		handler: (context) => {
			const page = listPlain(context.portal.state.statuses, STATUS_FIELDS, {
				filter: param(context.params, 'filter'),
				order: param(context.params, 'order') ?? { SORT: 'ASC' },
			});
			return { result: page.rows.map((entry) => statusView({ ...entry })), total: page.total, next: page.next };
		},
	},
	'crm.status.entity.items': {
		scope: 'crm',
		handler: (context) => {
			const entityId = String(param(context.params, 'entityId') ?? '');
			return done(
				context.portal.state.statuses
					.filter((entry) => entry.ENTITY_ID === entityId)
					.map((entry) => ({ NAME: entry.NAME, SORT: entry.SORT, STATUS_ID: entry.STATUS_ID })),
			);
		},
	},
	'crm.status.entity.types': { scope: 'crm', handler: (context) => done(statusEntityTypes(context)) },
	'crm.category.list': {
		scope: 'crm',
		handler: (context) => {
			const categories = categoriesOf(context).map(categoryView);
			return { result: { categories }, total: categories.length };
		},
	},
	'crm.category.get': {
		scope: 'crm',
		handler: (context) => {
			const category = categoriesOf(context).find((candidate) => candidate.id === Number(param(context.params, 'id')));
			if (!category) throw new B24Error(400, 'NOT_FOUND', 'Category not found');
			return done({ category: categoryView(category) });
		},
	},
};

export const referenceMethods: MethodTable = { ...userMethods, ...crmReferenceMethods };
