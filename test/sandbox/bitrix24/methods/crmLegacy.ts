/**
 * crm.contact.* and crm.company.* (bitrix24-api.md §4.2): UPPER_CASE fields, string ids, the
 * empty-`error` style of answers, links between contacts and companies, duplicate search (§4.5).
 */
import { done, isRecord, param, positiveInt, type CallContext, type MethodResult, type MethodTable } from '../context';
import {
	companyContactIds,
	contactCompanyIds,
	createRecord,
	deleteRecord,
	findRecord,
	legacyInput,
	legacyView,
	listRecords,
	setCompanyContacts,
	setContactCompanies,
	updateRecord,
} from '../entities';
import { crmError } from '../errors';
import { describeField, ENTITIES, fieldsOf, type EntityDescriptor } from '../fields';
import type { CrmRecord, Multifield } from '../state';

function fieldsParam(context: CallContext): Record<string, unknown> {
	const fields = param(context.params, 'fields');
	if (!isRecord(fields)) throw crmError("Parameter 'fields' must be array.");
	return fields;
}

function idParam(context: CallContext): number {
	const id = positiveInt(param(context.params, 'id'));
	if (id === undefined) throw crmError('ID is not defined or invalid.');
	return id;
}

function existing(context: CallContext, entity: EntityDescriptor): CrmRecord {
	const record = findRecord(context.portal, entity, idParam(context));
	if (!record) throw crmError('Not found');
	return record;
}

function selectParam(context: CallContext): string[] | undefined {
	const select = param(context.params, 'select');
	if (Array.isArray(select)) return select.map(String);
	return isRecord(select) ? Object.values(select).map(String) : undefined;
}

function legacyEntityMethods(entity: EntityDescriptor): MethodTable {
	const prefix = `crm.${entity.name.toLowerCase()}`;
	return {
		[`${prefix}.add`]: {
			scope: 'crm',
			handler: (context) => done(createRecord(context, entity, legacyInput(fieldsParam(context))).ID),
		},
		[`${prefix}.update`]: {
			scope: 'crm',
			handler: (context) => {
				const record = existing(context, entity);
				updateRecord(context, entity, record, legacyInput(fieldsParam(context)));
				return done(true);
			},
		},
		[`${prefix}.get`]: {
			scope: 'crm',
			handler: (context) => done(legacyView(context.portal, entity, existing(context, entity))),
		},
		[`${prefix}.list`]: {
			scope: 'crm',
			handler: (context): MethodResult => {
				const page = listRecords(context.portal, entity, 'legacy', {
					filter: param(context.params, 'filter'),
					order: param(context.params, 'order'),
					start: param(context.params, 'start'),
				});
				const select = selectParam(context) ?? [];
				return {
					result: page.rows.map((record) => legacyView(context.portal, entity, record, select)),
					total: page.total,
					next: page.next,
				};
			},
		},
		[`${prefix}.delete`]: {
			scope: 'crm',
			handler: (context) => {
				deleteRecord(context, entity, existing(context, entity));
				return done(true);
			},
		},
		[`${prefix}.fields`]: {
			scope: 'crm',
			handler: (context) =>
				done(
					Object.fromEntries(
						fieldsOf(entity, context.portal.state)
							.filter((def) => !def.virtual)
							.map((def) => [def.upper, describeField(def, context.portal.state, entity.ufEntityId)]),
					),
				),
		},
	};
}

/**
 * Links seen from one side: crm.contact.company.* (a contact's companies) and crm.company.contact.*
 * (a company's contacts). The first entry is the primary one.
 */
function linkMethods(owner: EntityDescriptor, other: EntityDescriptor): MethodTable {
	const prefix = `crm.${owner.name.toLowerCase()}.${other.name.toLowerCase()}`;
	const otherKey = `${other.name}_ID`;
	const ownerRecord = (context: CallContext): CrmRecord => {
		const id = positiveInt(param(context.params, 'id'));
		if (id === undefined) throw crmError("The parameter 'ownerEntityID' is invalid or not defined.");
		const record = findRecord(context.portal, owner, id);
		if (!record) throw crmError(`The ${owner.name.toLowerCase()} with ID '${id}' is not found`);
		return record;
	};
	const read = (context: CallContext, record: CrmRecord): number[] =>
		owner.name === 'CONTACT' ? contactCompanyIds(record) : companyContactIds(context.portal, record.ID);
	const write = (context: CallContext, record: CrmRecord, ids: number[]): void => {
		if (owner.name === 'CONTACT') setContactCompanies(record, ids);
		else setCompanyContacts(context.portal, record.ID, ids);
	};
	const linkedId = (context: CallContext, entry: unknown): number => {
		const id = isRecord(entry) ? positiveInt(entry[otherKey]) : undefined;
		if (id === undefined || !findRecord(context.portal, other, id))
			throw crmError("The parameter 'fields' is not valid.");
		return id;
	};
	const ordered = (entries: Array<{ id: number; primary: boolean; sort: number }>): number[] =>
		[...entries].sort((a, b) => Number(b.primary) - Number(a.primary) || a.sort - b.sort).map((entry) => entry.id);
	const entryOf = (context: CallContext, entry: unknown, index: number) => ({
		id: linkedId(context, entry),
		primary: isRecord(entry) && entry.IS_PRIMARY === 'Y',
		sort: isRecord(entry) && positiveInt(entry.SORT) !== undefined ? Number(entry.SORT) : (index + 1) * 10,
	});
	return {
		[`${prefix}.items.get`]: {
			scope: 'crm',
			handler: (context) =>
				done(
					read(context, ownerRecord(context)).map((id, index) => ({
						[otherKey]: id,
						SORT: (index + 1) * 10,
						ROLE_ID: 0,
						IS_PRIMARY: index === 0 ? 'Y' : 'N',
					})),
				),
		},
		[`${prefix}.items.set`]: {
			scope: 'crm',
			handler: (context) => {
				const record = ownerRecord(context);
				const items = param(context.params, 'items');
				const list = Array.isArray(items) ? items : isRecord(items) ? Object.values(items) : [];
				write(context, record, ordered(list.map((entry, index) => entryOf(context, entry, index))));
				return done(true);
			},
		},
		[`${prefix}.items.delete`]: {
			scope: 'crm',
			handler: (context) => {
				write(context, ownerRecord(context), []);
				return done(true);
			},
		},
		[`${prefix}.add`]: {
			scope: 'crm',
			handler: (context) => {
				const record = ownerRecord(context);
				const entry = entryOf(context, fieldsParam(context), 0);
				const current = read(context, record).filter((id) => id !== entry.id);
				write(context, record, entry.primary ? [entry.id, ...current] : [...current, entry.id]);
				return done(true);
			},
		},
		[`${prefix}.delete`]: {
			scope: 'crm',
			handler: (context) => {
				const record = ownerRecord(context);
				const id = linkedId(context, fieldsParam(context));
				write(
					context,
					record,
					read(context, record).filter((linked) => linked !== id),
				);
				return done(true);
			},
		},
	};
}

const MAX_DUPLICATE_VALUES = 20;

/** Phone numbers compare by digits, German trunk prefix normalised; extensions are ignored (§4.5). */
function phoneKey(value: string): string {
	const withoutExtension = value.split(/(?:ext\.?|durchwahl|#|x)\s*\d*$/i)[0];
	let digits = withoutExtension.replace(/\D/g, '');
	if (withoutExtension.trim().startsWith('+')) return digits;
	if (digits.startsWith('00')) return digits.slice(2);
	if (digits.startsWith('0')) digits = `49${digits.slice(1)}`;
	return digits;
}

function findByCommunication(context: CallContext): MethodResult {
	const type = String(param(context.params, 'type') ?? '').toUpperCase();
	if (type !== 'EMAIL' && type !== 'PHONE') throw crmError('Communication type is not defined.');
	const rawValues = param(context.params, 'values');
	const values = (Array.isArray(rawValues) ? rawValues : isRecord(rawValues) ? Object.values(rawValues) : []).map(
		String,
	);
	if (values.length === 0) throw crmError('Communication values is not defined.');
	if (values.length > MAX_DUPLICATE_VALUES)
		throw crmError(`Too many communication values. Maximum is ${MAX_DUPLICATE_VALUES}.`);
	const key = (value: string) => (type === 'PHONE' ? phoneKey(value) : value.trim().toLowerCase());
	const wanted = new Set(values.map(key));
	const entityType = String(param(context.params, 'entity_type') ?? '').toUpperCase();
	const matches: Record<string, number[]> = {};
	for (const entity of [ENTITIES.CONTACT, ENTITIES.COMPANY]) {
		if (entityType && entityType !== entity.name) continue;
		const ids = context.portal.state[entity.collection]
			.filter((record) =>
				((record[type] as Multifield[] | undefined) ?? []).some((value) => wanted.has(key(value.VALUE))),
			)
			.map((record) => record.ID);
		if (ids.length > 0) matches[entity.name] = ids;
	}
	// §4.5: one type with 20+ matches drops the others. VERIFY: the empty answer is `[]`.
	const full = Object.entries(matches).find(([, ids]) => ids.length >= MAX_DUPLICATE_VALUES);
	if (full) return done({ [full[0]]: full[1] });
	return done(Object.keys(matches).length === 0 ? [] : matches);
}

export const legacyCrmMethods: MethodTable = {
	...legacyEntityMethods(ENTITIES.CONTACT),
	...legacyEntityMethods(ENTITIES.COMPANY),
	...linkMethods(ENTITIES.CONTACT, ENTITIES.COMPANY),
	...linkMethods(ENTITIES.COMPANY, ENTITIES.CONTACT),
	'crm.duplicate.findbycomm': { scope: 'crm', handler: findByCommunication },
};
