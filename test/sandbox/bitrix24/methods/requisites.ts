/**
 * Requisites, their templates (presets) and addresses (bitrix24-api.md §5), plus the enums the
 * address chain needs. Addresses are keyed by (TYPE_ID, ENTITY_TYPE_ID, ENTITY_ID): one per type
 * per requisite; crm.address.add returns `true`, a second add of the same type "TypeAddress exists".
 */
import { checkLengths, TEXT_LIMITS } from '../validation';
import { done, isRecord, param, positiveInt, type CallContext, type MethodResult, type MethodTable } from '../context';
import { findRecord } from '../entities';
import { crmError } from '../errors';
import {
	ADDRESS_FIELDS,
	describeField,
	ENTITIES,
	entityByTypeId,
	normalizeFieldValue,
	REQUISITE_FIELDS,
	type FieldDef,
} from '../fields';
import { listPlain, selectKeys, stringifyNumbers } from '../listQuery';
import { ADDRESS_TYPES, OWNER_TYPES } from '../seedData';
import { nextId, type Address, type CrmRecord, type RequisitePreset } from '../state';

const REQUISITE_OWNER_TYPES = [ENTITIES.CONTACT.entityTypeId, ENTITIES.COMPANY.entityTypeId] as number[];
const REQUISITE_ENTITY_TYPE_ID = 8;

function fieldsParam(context: CallContext): Record<string, unknown> {
	const fields = param(context.params, 'fields');
	if (!isRecord(fields)) throw crmError("Parameter 'fields' must be array.");
	return fields;
}

function listParams(context: CallContext) {
	return {
		filter: param(context.params, 'filter'),
		order: param(context.params, 'order'),
		start: param(context.params, 'start'),
	};
}

function describeAll(defs: FieldDef[], context: CallContext, ufEntityId: string): MethodResult {
	return done(Object.fromEntries(defs.map((def) => [def.upper, describeField(def, context.portal.state, ufEntityId)])));
}

// --- presets ---------------------------------------------------------------------------------

const PRESET_KEYS = ['ID', 'ENTITY_TYPE_ID', 'COUNTRY_ID', 'NAME', 'XML_ID', 'ACTIVE', 'SORT'] as const;

function presetView(preset: RequisitePreset): Record<string, unknown> {
	const rest: Partial<RequisitePreset> = { ...preset };
	delete rest.FIELDS;
	return stringifyNumbers({
		...rest,
		DATE_CREATE: '2021-03-01T10:00:00+01:00',
		DATE_MODIFY: null,
		CREATED_BY_ID: 0,
		MODIFY_BY_ID: 0,
	});
}

const presetMethods: MethodTable = {
	'crm.requisite.preset.list': {
		scope: 'crm',
		handler: (context) => {
			const page = listPlain(context.portal.state.presets, PRESET_KEYS, listParams(context));
			return {
				result: page.rows.map((preset) => selectKeys(presetView(preset), param(context.params, 'select'))),
				total: page.total,
				next: page.next,
			};
		},
	},
	'crm.requisite.preset.get': {
		scope: 'crm',
		handler: (context) => {
			const preset = context.portal.state.presets.find(
				(candidate) => candidate.ID === Number(param(context.params, 'id')),
			);
			if (!preset) throw crmError('Not found');
			return done(presetView(preset));
		},
	},
	'crm.requisite.preset.countries': {
		scope: 'crm',
		handler: () =>
			done([
				{ ID: 46, CODE: 'DE', TITLE: 'Deutschland' },
				{ ID: 14, CODE: 'AT', TITLE: 'Österreich' },
				{ ID: 122, CODE: 'US', TITLE: 'USA' },
				{ ID: 132, CODE: 'FR', TITLE: 'Frankreich' },
				{ ID: 110, CODE: 'PL', TITLE: 'Polen' },
			]),
	},
};

// --- requisites ------------------------------------------------------------------------------

function requisiteView(requisite: CrmRecord): Record<string, unknown> {
	return stringifyNumbers(requisite);
}

function findRequisite(context: CallContext, id: unknown): CrmRecord | undefined {
	return context.portal.state.requisites.find((requisite) => requisite.ID === Number(id));
}

/** RQ_* and system fields via their definitions; UF_CRM_* kept as strings. */
function assignRequisiteFields(
	target: CrmRecord,
	fields: Record<string, unknown>,
	writable: (def: FieldDef) => boolean,
): void {
	checkLengths(TEXT_LIMITS.REQUISITE, fields);
	for (const [name, raw] of Object.entries(fields)) {
		const def = REQUISITE_FIELDS.find((candidate) => candidate.upper === name);
		if (def && !def.isReadOnly && writable(def)) target[name] = normalizeFieldValue(def, raw);
		else if (name.startsWith('UF_CRM_')) target[name] = raw === null ? null : String(raw);
	}
}

function addRequisite(context: CallContext): MethodResult {
	const fields = fieldsParam(context);
	const { portal } = context;
	const entityTypeId = Number(fields.ENTITY_TYPE_ID);
	if (!REQUISITE_OWNER_TYPES.includes(entityTypeId)) throw crmError('ENTITY_TYPE_ID is not defined or invalid.');
	const entityId = positiveInt(fields.ENTITY_ID);
	if (entityId === undefined) throw crmError('ENTITY_ID is not defined or invalid.');
	const presetId = positiveInt(fields.PRESET_ID);
	if (presetId === undefined || !portal.state.presets.some((preset) => preset.ID === presetId)) {
		throw crmError('PRESET_ID is not defined or invalid.');
	}
	const owner = entityByTypeId(entityTypeId);
	if (!owner || !findRecord(portal, owner, entityId)) throw crmError('Entity not found.');
	if (typeof fields.NAME !== 'string' || fields.NAME.trim() === '') throw crmError('The field "Name" is required.');
	const now = portal.iso();
	const requisite: CrmRecord = {
		ID: nextId(portal.state, 'requisite'),
		ENTITY_TYPE_ID: entityTypeId,
		ENTITY_ID: entityId,
		ACTIVE: 'Y',
		ADDRESS_ONLY: 'N',
		SORT: 500,
		DATE_CREATE: now,
		DATE_MODIFY: null,
		CREATED_BY_ID: context.auth.user.ID,
		MODIFY_BY_ID: null,
	};
	assignRequisiteFields(requisite, fields, () => true);
	portal.state.requisites.push(requisite);
	portal.events.emit('ONCRMREQUISITEADD', { ID: requisite.ID });
	return done(requisite.ID);
}

function existingRequisite(context: CallContext): CrmRecord {
	const id = positiveInt(param(context.params, 'id'));
	if (id === undefined) throw crmError('ID is not defined or invalid.');
	const requisite = findRequisite(context, id);
	if (!requisite) throw crmError('Not found');
	return requisite;
}

const requisiteMethods: MethodTable = {
	'crm.requisite.add': { scope: 'crm', handler: addRequisite },
	'crm.requisite.update': {
		scope: 'crm',
		handler: (context) => {
			const requisite = existingRequisite(context);
			const fields = fieldsParam(context);
			if (
				'PRESET_ID' in fields &&
				!context.portal.state.presets.some((preset) => preset.ID === Number(fields.PRESET_ID))
			) {
				throw crmError('PRESET_ID is not defined or invalid.');
			}
			assignRequisiteFields(requisite, fields, (def) => !def.isImmutable);
			Object.assign(requisite, { DATE_MODIFY: context.portal.iso(), MODIFY_BY_ID: context.auth.user.ID });
			context.portal.events.emit('ONCRMREQUISITEUPDATE', { ID: requisite.ID });
			return done(true);
		},
	},
	'crm.requisite.get': { scope: 'crm', handler: (context) => done(requisiteView(existingRequisite(context))) },
	'crm.requisite.list': {
		scope: 'crm',
		handler: (context) => {
			const rows = context.portal.state.requisites;
			const known = [
				...new Set([...REQUISITE_FIELDS.map((def) => def.upper), ...rows.flatMap((row) => Object.keys(row))]),
			];
			const page = listPlain(rows, known, listParams(context));
			return {
				result: page.rows.map((requisite) => selectKeys(requisiteView(requisite), param(context.params, 'select'))),
				total: page.total,
				next: page.next,
			};
		},
	},
	'crm.requisite.delete': {
		scope: 'crm',
		handler: (context) => {
			const requisite = existingRequisite(context);
			const { state } = context.portal;
			state.requisites.splice(state.requisites.indexOf(requisite), 1);
			state.addresses = state.addresses.filter(
				(address) => !(address.ENTITY_TYPE_ID === REQUISITE_ENTITY_TYPE_ID && address.ENTITY_ID === requisite.ID),
			);
			context.portal.events.emit('ONCRMREQUISITEDELETE', { ID: requisite.ID });
			return done(true);
		},
	},
	'crm.requisite.fields': {
		scope: 'crm',
		handler: (context) => describeAll(REQUISITE_FIELDS, context, 'CRM_REQUISITE'),
	},
};

// --- addresses -------------------------------------------------------------------------------

const ADDRESS_TEXT_FIELDS = [
	'ADDRESS_1',
	'ADDRESS_2',
	'CITY',
	'POSTAL_CODE',
	'REGION',
	'PROVINCE',
	'COUNTRY',
	'COUNTRY_CODE',
] as const;

/** Validates the three key fields; the owner must be an existing requisite (leads are not modelled). */
function addressKey(context: CallContext, fields: Record<string, unknown>): { typeId: number; requisite: CrmRecord } {
	const typeId = Number(fields.TYPE_ID);
	if (!ADDRESS_TYPES.some((type) => type.ID === typeId)) throw crmError('TYPE_ID is not defined or invalid.');
	if (Number(fields.ENTITY_TYPE_ID) !== REQUISITE_ENTITY_TYPE_ID)
		throw crmError('ENTITY_TYPE_ID is not defined or invalid.');
	const requisite = findRequisite(context, fields.ENTITY_ID);
	if (!requisite) throw crmError('ENTITY_ID is not defined or invalid.');
	return { typeId, requisite };
}

function findAddress(context: CallContext, typeId: number, requisiteId: number): Address | undefined {
	return context.portal.state.addresses.find(
		(address) =>
			address.TYPE_ID === typeId &&
			address.ENTITY_TYPE_ID === REQUISITE_ENTITY_TYPE_ID &&
			address.ENTITY_ID === requisiteId,
	);
}

function assignAddressText(address: Address, fields: Record<string, unknown>): void {
	checkLengths(TEXT_LIMITS.ADDRESS, fields);
	for (const name of ADDRESS_TEXT_FIELDS) {
		if (name in fields) address[name] = fields[name] === null ? null : String(fields[name]);
	}
	if ('LOC_ADDR_ID' in fields) address.LOC_ADDR_ID = Number(fields.LOC_ADDR_ID) || 0;
}

const addressMethods: MethodTable = {
	'crm.address.add': {
		scope: 'crm',
		handler: (context) => {
			const fields = fieldsParam(context);
			const { typeId, requisite } = addressKey(context, fields);
			if (findAddress(context, typeId, requisite.ID)) throw crmError('TypeAddress exists');
			const address: Address = {
				TYPE_ID: typeId,
				ENTITY_TYPE_ID: REQUISITE_ENTITY_TYPE_ID,
				ENTITY_ID: requisite.ID,
				ANCHOR_TYPE_ID: requisite.ENTITY_TYPE_ID as number,
				ANCHOR_ID: requisite.ENTITY_ID as number,
				ADDRESS_1: null,
				ADDRESS_2: null,
				CITY: null,
				POSTAL_CODE: null,
				REGION: null,
				PROVINCE: null,
				COUNTRY: null,
				COUNTRY_CODE: null,
				LOC_ADDR_ID: 0,
			};
			assignAddressText(address, fields);
			context.portal.state.addresses.push(address);
			return done(true);
		},
	},
	'crm.address.update': {
		scope: 'crm',
		handler: (context) => {
			const fields = fieldsParam(context);
			const { typeId, requisite } = addressKey(context, fields);
			const address = findAddress(context, typeId, requisite.ID);
			if (!address) throw crmError('Address not found.');
			assignAddressText(address, fields);
			return done(true);
		},
	},
	'crm.address.list': {
		scope: 'crm',
		handler: (context) => {
			const page = listPlain(
				context.portal.state.addresses,
				ADDRESS_FIELDS.map((def) => def.upper),
				listParams(context),
				'ENTITY_ID',
			);
			return {
				result: page.rows.map((address) => selectKeys(stringifyNumbers(address), param(context.params, 'select'), [])),
				total: page.total,
				next: page.next,
			};
		},
	},
	'crm.address.delete': {
		scope: 'crm',
		handler: (context) => {
			const fields = fieldsParam(context);
			const { typeId, requisite } = addressKey(context, fields);
			const address = findAddress(context, typeId, requisite.ID);
			if (!address) throw crmError('Address not found.');
			const { state } = context.portal;
			state.addresses.splice(state.addresses.indexOf(address), 1);
			return done(true);
		},
	},
	'crm.address.fields': { scope: 'crm', handler: (context) => describeAll(ADDRESS_FIELDS, context, 'CRM_ADDRESS') },
	'crm.enum.addresstype': { scope: 'crm', handler: () => done(ADDRESS_TYPES) },
	'crm.enum.ownertype': { scope: 'crm', handler: () => done(OWNER_TYPES) },
};

export const requisiteMethodTable: MethodTable = { ...presetMethods, ...requisiteMethods, ...addressMethods };
