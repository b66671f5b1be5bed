/**
 * Contacts, companies and smart invoices as both API generations see them: one store, UPPER_CASE
 * keys, with legacy (crm.contact.*) and crm.item.* views on top. Changes fire outbound events.
 */
import type { CallContext } from './context';
import { B24Error, crmError } from './errors';
import { fieldsOf, legacyValue, normalizeFieldValue, type EntityDescriptor, type FieldDef } from './fields';
import {
	applyMultifieldChanges,
	itemMultifieldChanges,
	itemMultifields,
	legacyMultifieldChanges,
	legacyMultifields,
	multifieldsOf,
	type MultifieldChange,
} from './multifields';
import { compileFilter, paginate, sortRecords, type FilterSchema, type Page } from './listQuery';
import type { Portal } from './portal';
import { invoiceStageEntityId } from './seedData';
import { checkLengths, checkMultifields, TEXT_LIMITS } from './validation';
import { MULTIFIELD_TYPES, nextId, type CrmRecord, type Multifield } from './state';

export function recordsOf(portal: Portal, entity: EntityDescriptor): CrmRecord[] {
	return portal.state[entity.collection];
}

export function findRecord(portal: Portal, entity: EntityDescriptor, id: unknown): CrmRecord | undefined {
	const wanted = Number(id);
	return recordsOf(portal, entity).find((record) => record.ID === wanted);
}

/** The ids of a contact's companies, primary first. */
export function contactCompanyIds(contact: CrmRecord): number[] {
	return (contact.COMPANY_IDS as number[] | undefined) ?? [];
}

export function setContactCompanies(contact: CrmRecord, companyIds: number[]): void {
	const unique = [...new Set(companyIds.filter((id) => id > 0))];
	contact.COMPANY_IDS = unique;
	contact.COMPANY_ID = unique[0] ?? null;
}

export function companyContactIds(portal: Portal, companyId: number): number[] {
	return portal.state.contacts
		.filter((contact) => contactCompanyIds(contact).includes(companyId))
		.map((contact) => contact.ID);
}

export function setCompanyContacts(portal: Portal, companyId: number, contactIds: number[]): void {
	for (const contact of portal.state.contacts) {
		const current = contactCompanyIds(contact);
		const wanted = contactIds.includes(contact.ID);
		if (wanted && !current.includes(companyId)) setContactCompanies(contact, [...current, companyId]);
		if (!wanted && current.includes(companyId))
			setContactCompanies(
				contact,
				current.filter((id) => id !== companyId),
			);
	}
}

export interface RecordInput {
	/** UPPER_CASE field values as sent (not yet normalized). */
	fields: Record<string, unknown>;
	multifields: MultifieldChange[];
}

/** A portal may keep a smart invoice's number to itself (§6 VERIFY): then it is silently dropped. */
function ignoredOnWrite(portal: Portal, entity: EntityDescriptor, def: FieldDef): boolean {
	return (
		entity.name === 'SMART_INVOICE' &&
		def.upper === 'ACCOUNT_NUMBER' &&
		portal.config.smartInvoiceAccountNumber === 'ignored'
	);
}

function writableFields(portal: Portal, entity: EntityDescriptor): Map<string, FieldDef> {
	return new Map(
		fieldsOf(entity, portal.state)
			.filter((def) => !def.isReadOnly && !def.legacyOnly && !ignoredOnWrite(portal, entity, def))
			.map((def) => [def.upper, def]),
	);
}

function requiredFieldError(context: CallContext, def: FieldDef): B24Error {
	return context.method.startsWith('crm.item.')
		? new B24Error(400, 'CRM_FIELD_ERROR_VALUE_REQUIRED', `Field "${def.title}" is required`)
		: crmError(`The field "${def.title}" is required.`);
}

/** Invoice stage rules (§6): stage ids are `DT31_{category}:{code}` of the item's own category. */
function applyInvoiceDefaults(context: CallContext, record: CrmRecord, isNew: boolean): void {
	const { portal } = context;
	const categories = portal.state.categories.filter((category) => category.entityTypeId === 31);
	if (isNew) {
		const defaultCategory = categories.find((category) => category.isDefault === 'Y') ?? categories[0];
		record.CATEGORY_ID ??= defaultCategory.id;
		if (!categories.some((category) => category.id === record.CATEGORY_ID)) {
			throw new B24Error(400, 'CATEGORY_NOT_FOUND', `Category ${String(record.CATEGORY_ID)} not found`);
		}
	}
	const stages = portal.state.statuses.filter(
		(status) => status.ENTITY_ID === invoiceStageEntityId(record.CATEGORY_ID as number),
	);
	record.STAGE_ID ??= stages[0].STATUS_ID;
	if (!stages.some((stage) => stage.STATUS_ID === record.STAGE_ID)) {
		throw new B24Error(
			400,
			'CRM_FIELD_ERROR_VALUE_NOT_VALID',
			`Stage "${String(record.STAGE_ID)}" does not belong to category ${String(record.CATEGORY_ID)}`,
		);
	}
	const contactIds = record.CONTACT_IDS as number[] | undefined;
	if ((!contactIds || contactIds.length === 0) && record.CONTACT_ID) record.CONTACT_IDS = [record.CONTACT_ID];
	record.CONTACT_ID = (record.CONTACT_IDS as number[] | undefined)?.[0] ?? null;
}

function assign(context: CallContext, entity: EntityDescriptor, record: CrmRecord, input: RecordInput): void {
	if (entity.name === 'CONTACT' || entity.name === 'COMPANY') {
		checkLengths(TEXT_LIMITS[entity.name], input.fields);
		checkMultifields(input.multifields);
	}
	const writable = writableFields(context.portal, entity);
	for (const [name, raw] of Object.entries(input.fields)) {
		const def = writable.get(name);
		if (!def) continue;
		const value = normalizeFieldValue(def, raw);
		if (def.virtual) continue;
		record[name] = value;
	}
	if (entity.name === 'CONTACT') {
		const ids = contactCompanyIds(record);
		const primary = 'COMPANY_ID' in input.fields ? (record.COMPANY_ID as number | null) : null;
		setContactCompanies(record, primary ? [primary, ...ids] : ids);
	}
	applyMultifieldChanges(context.portal.state, record, input.multifields);
}

export function createRecord(context: CallContext, entity: EntityDescriptor, input: RecordInput): CrmRecord {
	const { portal } = context;
	for (const def of fieldsOf(entity, portal.state)) {
		if (def.isRequired && !def.isReadOnly) {
			const value = input.fields[def.upper];
			if (value === undefined || value === null || String(value).trim() === '') throw requiredFieldError(context, def);
		}
	}
	const now = portal.iso();
	const caller = context.auth.user.ID;
	const id = nextId(portal.state, entity.sequence);
	const record: CrmRecord = { ID: id, OPENED: 'Y', ASSIGNED_BY_ID: caller };
	if (entity.name === 'SMART_INVOICE') {
		Object.assign(record, {
			ENTITY_TYPE_ID: 31,
			TITLE: `Rechnung #${id}`,
			ACCOUNT_NUMBER: String(id),
			BEGINDATE: portal.today(),
			CLOSEDATE: new Date(Date.parse(portal.today()) + 7 * 86_400_000).toISOString().slice(0, 10),
			CURRENCY_ID: 'EUR',
			OPPORTUNITY: 0,
			IS_MANUAL_OPPORTUNITY: 'N',
			TAX_VALUE: 0,
			CONTACT_IDS: [],
			OBSERVERS: [],
			CREATED_TIME: now,
			UPDATED_TIME: now,
			MOVED_TIME: now,
			CREATED_BY: caller,
			UPDATED_BY: caller,
			MOVED_BY: caller,
		});
	} else {
		Object.assign(record, { DATE_CREATE: now, DATE_MODIFY: now, CREATED_BY_ID: caller, MODIFY_BY_ID: caller });
		if (entity.name === 'CONTACT') Object.assign(record, { EXPORT: 'Y', COMPANY_ID: null, COMPANY_IDS: [] });
		if (entity.name === 'COMPANY') Object.assign(record, { IS_MY_COMPANY: 'N', CURRENCY_ID: 'EUR' });
	}
	assign(context, entity, record, input);
	if (entity.name === 'SMART_INVOICE') applyInvoiceDefaults(context, record, true);
	recordsOf(portal, entity).push(record);
	if (entity.name === 'COMPANY' && 'CONTACT_IDS' in input.fields) {
		setCompanyContacts(
			portal,
			id,
			normalizeFieldValue(
				writableFields(portal, entity).get('CONTACT_IDS') as FieldDef,
				input.fields.CONTACT_IDS,
			) as number[],
		);
	}
	emitChange(portal, entity, 'add', id);
	return record;
}

export function updateRecord(
	context: CallContext,
	entity: EntityDescriptor,
	record: CrmRecord,
	input: RecordInput,
): void {
	const { portal } = context;
	for (const def of fieldsOf(entity, portal.state)) {
		if (def.isRequired && def.upper in input.fields && String(input.fields[def.upper] ?? '').trim() === '') {
			throw requiredFieldError(context, def);
		}
	}
	const before = { STAGE_ID: record.STAGE_ID };
	const draft: CrmRecord = structuredClone(record);
	assign(context, entity, draft, input);
	const now = portal.iso();
	if (entity.name === 'SMART_INVOICE') {
		draft.CATEGORY_ID = record.CATEGORY_ID;
		applyInvoiceDefaults(context, draft, false);
		Object.assign(draft, { UPDATED_TIME: now, UPDATED_BY: context.auth.user.ID });
		if (draft.STAGE_ID !== before.STAGE_ID) {
			Object.assign(draft, { PREVIOUS_STAGE_ID: before.STAGE_ID, MOVED_TIME: now, MOVED_BY: context.auth.user.ID });
		}
	} else {
		Object.assign(draft, { DATE_MODIFY: now, MODIFY_BY_ID: context.auth.user.ID });
	}
	for (const key of Object.keys(record)) delete record[key];
	Object.assign(record, draft);
	if (entity.name === 'COMPANY' && 'CONTACT_IDS' in input.fields) {
		setCompanyContacts(
			portal,
			record.ID,
			normalizeFieldValue(
				writableFields(portal, entity).get('CONTACT_IDS') as FieldDef,
				input.fields.CONTACT_IDS,
			) as number[],
		);
	}
	emitChange(portal, entity, 'update', record.ID);
}

export function deleteRecord(context: CallContext, entity: EntityDescriptor, record: CrmRecord): void {
	const { portal } = context;
	const records = recordsOf(portal, entity);
	records.splice(records.indexOf(record), 1);
	if (entity.name === 'COMPANY') setCompanyContacts(portal, record.ID, []);
	if (entity.name !== 'SMART_INVOICE') {
		const requisiteIds = portal.state.requisites
			.filter((requisite) => requisite.ENTITY_TYPE_ID === entity.entityTypeId && requisite.ENTITY_ID === record.ID)
			.map((requisite) => requisite.ID);
		portal.state.requisites = portal.state.requisites.filter((requisite) => !requisiteIds.includes(requisite.ID));
		portal.state.addresses = portal.state.addresses.filter(
			(address) => !(address.ENTITY_TYPE_ID === 8 && requisiteIds.includes(address.ENTITY_ID)),
		);
	}
	emitChange(portal, entity, 'delete', record.ID);
}

function emitChange(portal: Portal, entity: EntityDescriptor, change: 'add' | 'update' | 'delete', id: number): void {
	// CRM events carry only the id (§10); dynamic-item events add the entity type.
	const fields: Record<string, unknown> = { ID: id };
	if (entity.name === 'SMART_INVOICE') fields.ENTITY_TYPE_ID = entity.entityTypeId;
	portal.events.emit(entity.events[change], fields);
}

/** A stored value, with the derived ones (a company's contacts) filled in. */
/** UPPER_CASE input from crm.item.* camelCase fields (custom fields may use either spelling). */
export function itemInput(portal: Portal, entity: EntityDescriptor, fields: Record<string, unknown>): RecordInput {
	const upperByName = new Map<string, string>();
	for (const def of fieldsOf(entity, portal.state)) {
		upperByName.set(def.camel, def.upper);
		if (def.isDynamic) upperByName.set(def.upper, def.upper);
	}
	const upper: Record<string, unknown> = {};
	for (const [name, value] of Object.entries(fields)) {
		const target = upperByName.get(name);
		if (target && !MULTIFIELD_TYPES.includes(target as never)) upper[target] = value;
	}
	return { fields: upper, multifields: entity.hasMultifields ? itemMultifieldChanges(fields.fm) : [] };
}

export function legacyInput(fields: Record<string, unknown>): RecordInput {
	return { fields, multifields: legacyMultifieldChanges(fields) };
}

export function storedValue(portal: Portal, entity: EntityDescriptor, record: CrmRecord, upper: string): unknown {
	if (entity.name === 'COMPANY' && upper === 'CONTACT_IDS') return companyContactIds(portal, record.ID);
	if ((MULTIFIELD_TYPES as readonly string[]).includes(upper)) {
		return ((record[upper] as Multifield[] | undefined) ?? []).map((value) => value.VALUE);
	}
	return record[upper];
}

/**
 * Legacy select rules (§4.2): no select or `*` = all system fields except multifields and custom
 * fields; `UF_*` adds custom fields; multifields only when named. `undefined` = everything (get).
 */
function legacySelection(defs: FieldDef[], select: string[] | undefined): FieldDef[] {
	if (select === undefined) return defs.filter((def) => !def.virtual);
	const names = select.length === 0 ? ['*'] : select.map((name) => String(name).toUpperCase());
	return defs.filter(
		(def) =>
			!def.virtual &&
			(def.upper === 'ID' ||
				names.includes(def.upper) ||
				(names.includes('*') && !def.isDynamic && def.type !== 'crm_multifield') ||
				(names.includes('UF_*') && def.isDynamic)),
	);
}

export function legacyView(
	portal: Portal,
	entity: EntityDescriptor,
	record: CrmRecord,
	select?: string[],
): Record<string, unknown> {
	const view: Record<string, unknown> = {};
	for (const def of legacySelection(fieldsOf(entity, portal.state), select)) {
		if (def.type === 'crm_multifield') {
			const values = (record[def.upper] as Multifield[] | undefined) ?? [];
			if (values.length > 0) view[def.upper] = legacyMultifields(values);
			continue;
		}
		view[def.upper] = legacyValue(storedValue(portal, entity, record, def.upper));
	}
	if (select === undefined && entity.hasMultifields) {
		view.HAS_PHONE = record.PHONE ? 'Y' : 'N';
		view.HAS_EMAIL = record.EMAIL ? 'Y' : 'N';
	}
	return view;
}

export interface ItemViewOptions {
	useOriginalUfNames: boolean;
	/** undefined or containing '*' = all fields (and `fm`). */
	select?: string[];
}

export function itemFieldName(def: FieldDef, useOriginalUfNames: boolean): string {
	return def.isDynamic && useOriginalUfNames ? def.upper : def.camel;
}

export function itemView(
	portal: Portal,
	entity: EntityDescriptor,
	record: CrmRecord,
	options: ItemViewOptions,
): Record<string, unknown> {
	const all = !options.select || options.select.length === 0 || options.select.includes('*');
	const named = new Set((options.select ?? []).map((name) => String(name)));
	const wantsUf = named.has('uf*') || named.has('UF_*');
	const view: Record<string, unknown> = {};
	for (const def of fieldsOf(entity, portal.state)) {
		if (def.legacyOnly) continue;
		const name = itemFieldName(def, options.useOriginalUfNames);
		if (!all && def.upper !== 'ID' && !named.has(def.camel) && !named.has(def.upper) && !(wantsUf && def.isDynamic))
			continue;
		const value = storedValue(portal, entity, record, def.upper);
		view[name] = value === undefined ? (def.isMultiple ? [] : null) : value;
	}
	if (entity.hasMultifields && all) view.fm = itemMultifields(multifieldsOf(record));
	if (all || named.has('entityTypeId')) view.entityTypeId = entity.entityTypeId;
	return view;
}

/** How list filters and `order` name fields: UPPER_CASE (legacy) or camelCase (crm.item.*). */
export function entityFilterSchema(
	portal: Portal,
	entity: EntityDescriptor,
	style: 'legacy' | 'item',
): FilterSchema<CrmRecord> {
	const defs = fieldsOf(entity, portal.state);
	const resolve =
		style === 'legacy'
			? (name: string) => defs.find((def) => def.upper === name.toUpperCase())?.upper
			: (name: string) =>
					defs.find((def) => !def.legacyOnly && (def.camel === name || (def.isDynamic && def.upper === name)))?.upper;
	return {
		resolve,
		value: (record, upper) => storedValue(portal, entity, record, upper),
		unknownField: style === 'legacy' ? 'ignore' : 'error',
		allowLogic: style === 'item',
	};
}

/** Filter, sort and page one entity's records. */
export function listRecords(
	portal: Portal,
	entity: EntityDescriptor,
	style: 'legacy' | 'item',
	params: { filter: unknown; order: unknown; start: unknown },
): Page<CrmRecord> {
	const schema = entityFilterSchema(portal, entity, style);
	const matches = recordsOf(portal, entity).filter(compileFilter(params.filter, schema));
	return paginate(sortRecords(matches, params.order, schema, 'ID'), params.start);
}
