/**
 * crm.item.* for contacts (3), companies (4) and smart invoices (31), bitrix24-api.md §4.3, §6:
 * camelCase fields, `{item}` / `{items}` envelopes, `fm` for multifields, `useOriginalUfNames`.
 */
import { done, isRecord, isYes, param, positiveInt, type CallContext, type MethodTable } from '../context';
import {
	createRecord,
	deleteRecord,
	findRecord,
	itemFieldName,
	itemInput,
	itemView,
	listRecords,
	updateRecord,
} from '../entities';
import { B24Error } from '../errors';
import { describeField, entityByTypeId, fieldsOf, type EntityDescriptor } from '../fields';
import type { CrmRecord } from '../state';

/** Entity types Bitrix24 has but the sandbox does not model (leads, deals, quotes, SPAs). */
const UNMODELLED_TYPES = new Set([1, 2, 7]);

function entityParam(context: CallContext): EntityDescriptor {
	const entityTypeId = positiveInt(param(context.params, 'entityTypeId'));
	if (entityTypeId === 5) throw new B24Error(400, 'ENTITY_TYPE_NOT_SUPPORTED', 'Entity type 5 is not supported');
	const entity = entityTypeId === undefined ? undefined : entityByTypeId(entityTypeId);
	if (entity) return entity;
	if (entityTypeId !== undefined && (UNMODELLED_TYPES.has(entityTypeId) || entityTypeId >= 128)) {
		throw new B24Error(400, 'SANDBOX_NOT_MODELLED', `The sandbox does not model entityTypeId ${entityTypeId}`);
	}
	throw new B24Error(400, 'NOT_FOUND', 'Smart process not found');
}

function fieldsParam(context: CallContext): Record<string, unknown> {
	const fields = param(context.params, 'fields');
	if (!isRecord(fields))
		throw new B24Error(400, 'INVALID_ARG_VALUE', "Parameter 'fields' is required and must be an object");
	return fields;
}

function existing(context: CallContext, entity: EntityDescriptor): CrmRecord {
	const record = findRecord(context.portal, entity, param(context.params, 'id'));
	if (!record) throw new B24Error(400, 'NOT_FOUND', 'Element not found');
	return record;
}

function useOriginalUfNames(context: CallContext): boolean {
	return isYes(param(context.params, 'useOriginalUfNames'));
}

function itemOf(context: CallContext, entity: EntityDescriptor, record: CrmRecord): { item: Record<string, unknown> } {
	return { item: itemView(context.portal, entity, record, { useOriginalUfNames: useOriginalUfNames(context) }) };
}

export const crmItemMethods: MethodTable = {
	'crm.item.add': {
		scope: 'crm',
		handler: (context) => {
			const entity = entityParam(context);
			const record = createRecord(context, entity, itemInput(context.portal, entity, fieldsParam(context)));
			return done(itemOf(context, entity, record));
		},
	},
	'crm.item.update': {
		scope: 'crm',
		handler: (context) => {
			const entity = entityParam(context);
			const record = existing(context, entity);
			updateRecord(context, entity, record, itemInput(context.portal, entity, fieldsParam(context)));
			return done(itemOf(context, entity, record));
		},
	},
	'crm.item.get': {
		scope: 'crm',
		handler: (context) => {
			const entity = entityParam(context);
			return done(itemOf(context, entity, existing(context, entity)));
		},
	},
	'crm.item.list': {
		scope: 'crm',
		handler: (context) => {
			const entity = entityParam(context);
			const page = listRecords(context.portal, entity, 'item', {
				filter: param(context.params, 'filter'),
				order: param(context.params, 'order'),
				start: param(context.params, 'start'),
			});
			const rawSelect = param(context.params, 'select');
			const select = Array.isArray(rawSelect)
				? rawSelect.map(String)
				: isRecord(rawSelect)
					? Object.values(rawSelect).map(String)
					: undefined;
			const options = { useOriginalUfNames: useOriginalUfNames(context), select };
			return {
				result: { items: page.rows.map((record) => itemView(context.portal, entity, record, options)) },
				total: page.total,
				next: page.next,
			};
		},
	},
	'crm.item.delete': {
		scope: 'crm',
		handler: (context) => {
			const entity = entityParam(context);
			deleteRecord(context, entity, existing(context, entity));
			// PHP's empty array.
			return done([]);
		},
	},
	'crm.item.fields': {
		scope: 'crm',
		handler: (context) => {
			const entity = entityParam(context);
			const original = useOriginalUfNames(context);
			const fields = fieldsOf(entity, context.portal.state)
				.filter((def) => !def.legacyOnly)
				.map((def) => [
					itemFieldName(def, original),
					{ ...describeField(def, context.portal.state, entity.ufEntityId), upperName: def.upper },
				]);
			return done({ fields: Object.fromEntries(fields) });
		},
	},
};
