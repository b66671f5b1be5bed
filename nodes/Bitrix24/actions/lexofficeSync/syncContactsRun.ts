/**
 * Sync Contacts: LexOffice contacts → Bitrix24 companies, contacts, requisites and addresses, in
 * chunks so a long import makes progress that survives a stop.
 *
 * Per chunk: one round of batched lookups (records by ORIGIN_ID, optionally by e-mail), one for
 * the requisites and addresses of records that exist, then every write in batch requests of 50
 * (a new record, its requisite, addresses and contact persons travel in one request, linked by
 * `$result[…]`, bitrix24-api.md §3.3). ORIGIN_VERSION is written last, only when everything of
 * that LexOffice contact was written: a run stopped halfway leaves the rest "changed", so the next
 * run completes it, and a contact whose version is stored is skipped without a single write.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { assignContactPersons, personOriginPrefix } from '../../helpers/contactPersonIdentity';
import {
	lexofficeContactSchema,
	mapLexofficeContact,
	MappingError,
	type ContactMappingSettings,
	type MappedContact,
	type MappedRecord,
} from '../../helpers/lexofficeContactMapping';
import type { CrmFieldDescriptions } from '../../helpers/crmFieldSchema';
import { FieldValueError, toBitrix24Fields, type ConvertedFields } from '../../helpers/crmFieldValues';
import { decideUpserts, type UpsertDecision } from '../../helpers/upsertMatching';
import { withKeyLock } from '../../../shared/keyedLock';
import { bitrix24Batch, portalHostOf, type BatchCommand, type BatchCommandResult } from '../../transport';
import { DEFAULT_PRESET_CHOICES, presetLookupCommand, presetsOf, resolvePresetId } from '../requisite/presets';
import type { RequisiteInput } from '../requisite/upsertInput';
import { addressesOf, findManagedRequisite, ownerKey, requisiteLookupCommands, requisitesByOwner } from '../requisite/upsertLookup';
import { planRequisite, type RequisitePlan } from '../requisite/upsertPlan';
import { CRM_ENTITIES, type CrmEntity } from '../shared/crmRecordEntity';
import { fieldDescriptions, withMultifieldWrites } from '../shared/crmRecordFields';
import { rowsFrom, runLookups } from '../shared/crmRecordLookup';
import { candidateOf, RECORD_SELECT, secondaryMatches, type RecordCache } from '../shared/crmRecordMatching';
import { scanCommand } from '../shared/crmRecordLookup';
import { IDENTITY_FIELDS, type UpsertItem, type UpsertSettings } from '../shared/crmRecordUpsertInput';
import { uncertainMark } from '../shared/settleUncertain';
import { contactKey, isOlderThanStored, rememberSettled, settledFor } from './contactVersions';
import { lookUpOrigins, RECHECK_ROUNDS, recheckWritten, type RecheckVerdict, type WrittenRecord } from './contactRecheck';

export interface SyncSettings {
	systemCode: string;
	/** Appended to the LexOffice version in ORIGIN_VERSION (see syncContacts.operation.ts). */
	mappingFingerprint: string;
	dryRun: boolean;
	skipArchived: boolean;
	matchByEmail: boolean;
	/** undefined: the German default template for the owner type. */
	companyPresetId?: number;
	contactPresetId?: number;
	billingAddressTypeId: number;
	shippingAddressTypeId: number;
	mapping: ContactMappingSettings;
}

/** LexOffice contacts per round of lookups and writes; a page of LexOffice's contact list is 250. */
export const CONTACTS_PER_CHUNK = 250;

interface RecordWork {
	mapped: MappedRecord;
	/** The LexOffice version a main record is compared with; '' for contact persons (always rewritten with their company). */
	version: string;
	converted: ConvertedFields;
	decision?: UpsertDecision;
	/** ORIGIN_VERSION of the Bitrix24 record the decision is about ('' if none). */
	storedVersion?: string;
	/** Batch key of the write; its result is the new id for a created record. */
	key?: string;
}

interface Entry {
	/** The input item; also names this entry's batch commands (`r7`, `r7p1`, `rq7`, `v7`). */
	itemIndex: number;
	/** The item's LexOffice id and record type as given, for an item that could not be read as a contact. */
	given?: { id?: string; entity?: MappedRecord['entity'] };
	mapped?: MappedContact;
	/** Lock and memory key (contactVersions.ts). */
	key?: string;
	/** Bitrix24 holds this version already, as seen by this process moments ago: nothing to do. */
	settledId?: number;
	skipped?: string;
	error?: Error;
	record?: RecordWork;
	persons: RecordWork[];
	requisite?: { input: RequisiteInput; presetId: number; current?: IDataObject; plan?: RequisitePlan };
	commands: BatchCommand[];
	/** Bitrix24 contacts of contact persons no longer in LexOffice (left as they are). */
	removedPersons?: number[];
	/** Why the re-check after the writes sends this contact through another round (contactRecheck.ts). */
	retry?: string;
	/** Set when a newer version reached Bitrix24 while this input was written. */
	warning?: string;
}

const entityOf = (record: MappedRecord): CrmEntity => CRM_ENTITIES[record.entity];

const INPUT_HINT = 'Map the LexOffice contact object, e.g. {{ $json }} after LexOffice → Get Many, or {{ $json.resource }} after the LexOffice Trigger.';

/** The item as a mapped contact; a contact that cannot be one throws an error naming its id, the field and the fix. */
function parseItem(context: IExecuteFunctions, itemIndex: number, settings: SyncSettings): MappedContact {
	let raw = context.getNodeParameter('contact', itemIndex) as unknown;
	if (typeof raw === 'string') {
		try {
			raw = JSON.parse(raw) as unknown;
		} catch {
			throw new NodeOperationError(context.getNode(), '"LexOffice Contact" is not valid JSON', { itemIndex, description: INPUT_HINT });
		}
	}
	const rawId = typeof raw === 'object' && raw !== null ? (raw as IDataObject).id : undefined;
	const who = typeof rawId === 'string' && rawId ? `LexOffice contact ${rawId}` : '"LexOffice Contact"';
	const parsed = lexofficeContactSchema.safeParse(raw);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		const path = issue.path.join('.') || '(the contact)';
		throw new NodeOperationError(context.getNode(), `${who} is not a LexOffice contact as expected: ${path}: ${issue.message}`, {
			itemIndex,
			description: `${INPUT_HINT} If it is one, correct ${path} in LexOffice.`,
		});
	}
	let mapped: MappedContact;
	try {
		mapped = mapLexofficeContact(parsed.data, settings.mapping);
	} catch (error) {
		const fix = error instanceof MappingError ? error.fix : undefined;
		throw new NodeOperationError(context.getNode(), `LexOffice contact ${parsed.data.id}: ${(error as Error).message}`, { itemIndex, description: fix });
	}
	Object.assign(mapped.record.fields, extraFields(context, itemIndex, mapped.kind));
	return { ...mapped, version: `${mapped.version}/${settings.mappingFingerprint}` };
}

/** The item's values of "Extra Company Fields" / "Extra Contact Fields"; they win over the built-in mapping. */
function extraFields(context: IExecuteFunctions, itemIndex: number, kind: MappedContact['kind']): IDataObject {
	const values = context.getNodeParameter(`${kind === 'company' ? 'companyFields' : 'contactFields'}.value`, itemIndex, {}) as IDataObject | null;
	const extra: IDataObject = {};
	for (const [field, value] of Object.entries(values ?? {})) {
		if (value !== undefined && value !== null && !IDENTITY_FIELDS.includes(field as (typeof IDENTITY_FIELDS)[number])) extra[field] = value;
	}
	return extra;
}

function convert(context: IExecuteFunctions, itemIndex: number, record: MappedRecord, version: string, descriptions: CrmFieldDescriptions): RecordWork {
	try {
		return { mapped: record, version, converted: toBitrix24Fields(descriptions, record.fields as IDataObject) };
	} catch (error) {
		if (!(error instanceof FieldValueError)) throw new NodeOperationError(context.getNode(), error as Error, { itemIndex });
		throw new NodeOperationError(context.getNode(), error.message, {
			itemIndex,
			description: `Check the fields named in Sync Contacts (Customer or Vendor Number Field, Extra Company or Contact Fields; reload their field list if the portal changed): the Bitrix24 ${record.entity} has no field ${error.field}.`,
		});
	}
}

const attempt = (entry: Entry, step: () => void) => {
	if (entry.error || entry.skipped) return;
	try {
		step();
	} catch (error) {
		entry.error = error as Error;
	}
};

/** Entries still in play: parsed, not skipped, not failed. */
const pending = (entries: Entry[]) => entries.filter((entry) => entry.mapped && !entry.error && !entry.skipped && entry.settledId === undefined);
const live = (entries: Entry[]) => pending(entries).filter((entry) => entry.record);

const lexofficeVersion = (entry: Entry) => parseInt(entry.mapped?.version ?? '', 10);

/** The later of two inputs for the same LexOffice contact wins; the other is reported as skipped. */
function skipRepeated(entries: Entry[]): void {
	const latest = new Map<string, Entry>();
	for (const entry of entries) {
		const id = entry.mapped?.lexofficeId;
		if (!id || entry.error || entry.skipped) continue;
		const previous = latest.get(id);
		if (previous && lexofficeVersion(previous) > lexofficeVersion(entry)) {
			entry.skipped = 'a newer version of this contact is in the same input';
			continue;
		}
		if (previous) previous.skipped = 'a newer version of this contact is in the same input';
		latest.set(id, entry);
	}
}

async function decide(context: IExecuteFunctions, settings: SyncSettings, entries: Entry[], records: EntityRecords): Promise<void> {
	const companies = live(entries).filter((entry) => entry.mapped?.kind === 'company');
	const people = live(entries).filter((entry) => entry.mapped?.kind === 'person');
	const idsOf = (list: Entry[]) => list.map((entry) => entry.mapped?.lexofficeId as string);
	const matches = await lookUpOrigins(context, settings.systemCode, { company: idsOf(companies), contact: idsOf(people) }, records);

	// Contact persons matter only for companies that will be written (their persons are rewritten with them).
	const unchanged = (entry: Entry) => {
		const [own] = [...(matches.company.get(entry.mapped?.lexofficeId as string) ?? [])].sort((a, b) => a.id - b.id);
		return own !== undefined && own.originVersion === entry.record?.version;
	};
	const writing = companies.filter((entry) => !unchanged(entry));
	// A company's contact persons are found by their ORIGIN_ID prefix, then told apart by e-mail and name.
	const personLookups = writing.length
		? await runLookups(
				context,
				writing.map((entry) =>
					scanCommand(
						`persons${entry.itemIndex}`,
						'crm.contact.list',
						{ ORIGINATOR_ID: settings.systemCode, '=%ORIGIN_ID': `${personOriginPrefix(entry.mapped?.lexofficeId as string)}%` },
						[...RECORD_SELECT, 'NAME', 'LAST_NAME'],
					),
				),
			)
		: new Map<string, unknown>();
	for (const entry of writing) {
		const rows = rowsFrom(personLookups, `persons${entry.itemIndex}`).filter((row) => String(row.ORIGINATOR_ID ?? '') === settings.systemCode);
		for (const row of rows) records.contact.set(Number(row.ID), row);
		entry.removedPersons = assignContactPersons(entry.mapped?.lexofficeId as string, entry.persons.map((person) => person.mapped), rows).removed;
		for (const person of entry.persons) {
			const own = rows.filter((row) => String(row.ORIGIN_ID) === person.mapped.originId).map(candidateOf);
			if (own.length > 0) matches.contact.set(person.mapped.originId, own);
		}
	}
	const works = live(entries).flatMap((entry) => [entry.record as RecordWork, ...(writing.includes(entry) ? entry.persons : [])]);
	const byEntity = (entity: CrmEntity) => works.filter((work) => work.mapped.entity === entity.resource);

	for (const entity of [CRM_ENTITIES.company, CRM_ENTITIES.contact]) {
		const list = byEntity(entity);
		const found = matches[entity.resource];
		const unresolved = list.filter((work) => !found.has(work.mapped.originId));
		const upsertSettings: UpsertSettings = {
			systemCode: settings.systemCode,
			dryRun: settings.dryRun,
			mode: 'replace',
			matchers: settings.matchByEmail ? [{ by: 'email', field: 'EMAIL', label: 'email' }] : [],
		};
		const asItems: UpsertItem[] = unresolved.map((work, index) => ({
			itemIndex: index,
			originId: work.mapped.originId,
			originVersion: '',
			matchValues: [''],
			converted: work.converted,
		}));
		const secondary = await secondaryMatches(context, entity, upsertSettings, asItems, records[entity.resource]);
		const secondaryOf = new Map(unresolved.map((work, index) => [work, secondary[index]]));
		const decisions = decideUpserts(
			list.map((work) => ({
				originVersion: work.version,
				byOrigin: found.get(work.mapped.originId) ?? [],
				bySecondary: secondaryOf.get(work) ?? [],
			})),
		);
		list.forEach((work, index) => {
			const decision = (work.decision = decisions[index]);
			if (decision.action === 'created') return;
			work.storedVersion = (found.get(work.mapped.originId) ?? []).find((candidate) => candidate.id === decision.id)?.originVersion ?? '';
		});
	}
}

type EntityRecords = { company: RecordCache; contact: RecordCache };

/** The write of one record (no ORIGIN_VERSION: that is stamped once everything else is written). */
function recordCommand(work: RecordWork, key: string, records: EntityRecords, extra: IDataObject, settings: SyncSettings): BatchCommand | undefined {
	const decision = work.decision;
	if (!decision || decision.action === 'unchanged') return undefined;
	const entity = entityOf(work.mapped);
	const current = decision.action === 'created' ? undefined : records[work.mapped.entity].get(decision.id);
	const fields = withMultifieldWrites(work.converted, current, 'replace');
	// toBitrix24Fields leaves blanks out ("keep what Bitrix24 has"); here LexOffice is the source, so a blank clears.
	if (current) for (const [field, value] of Object.entries(work.mapped.fields)) if (value === '') fields[field] = '';
	Object.assign(fields, extra, { ORIGINATOR_ID: settings.systemCode, ORIGIN_ID: work.mapped.originId });
	work.key = key;
	if (decision.action === 'created') return { key, method: `${entity.methodPrefix}.add`, params: { fields } };
	return { key, method: `${entity.methodPrefix}.update`, params: { id: decision.id, fields } };
}

const idOrReference = (work: RecordWork): number | string =>
	work.decision && work.decision.action !== 'created' ? work.decision.id : `$result[${work.key as string}]`;

function planWrites(entry: Entry, settings: SyncSettings, records: EntityRecords, addresses: Map<number, Map<number, IDataObject>>): void {
	const record = entry.record as RecordWork;
	if (record.decision?.action === 'unchanged') return;
	const recordWrite = recordCommand(record, `r${entry.itemIndex}`, records, {}, settings);
	if (recordWrite) entry.commands.push(recordWrite);
	const owner = idOrReference(record);
	entry.persons.forEach((person, index) => {
		const companyLink = { COMPANY_ID: owner };
		const write = recordCommand(person, `r${entry.itemIndex}p${index + 1}`, records, companyLink, settings);
		if (write) entry.commands.push(write);
	});
	const requisite = entry.requisite;
	if (!requisite) return;
	const current = requisite.current;
	requisite.plan = planRequisite(
		requisite.input,
		requisite.presetId,
		current,
		current && addresses.get(Number(current.ID)),
		(entry.mapped as MappedContact).name || (entry.mapped as MappedContact).lexofficeId,
	);
	for (const command of requisite.plan.commands) {
		// A new owner's id is only known inside the batch request that creates it.
		const fields = command.params?.fields as IDataObject | undefined;
		if (command.method === 'crm.requisite.add' && fields && typeof owner === 'string') fields.ENTITY_ID = owner;
		entry.commands.push(command);
	}
}

function requisiteFor(entry: Entry, settings: SyncSettings, presets: Map<string, number>): Entry['requisite'] {
	const mapped = entry.mapped as MappedContact;
	const ownerEntityTypeId = CRM_ENTITIES[mapped.record.entity].entityTypeId;
	const presetId = (mapped.kind === 'company' ? settings.companyPresetId : settings.contactPresetId) ?? (presets.get(mapped.kind) as number);
	const decision = entry.record?.decision;
	const input: RequisiteInput = {
		itemIndex: entry.itemIndex,
		ownerEntityTypeId,
		ownerId: decision && decision.action !== 'created' ? decision.id : 0,
		externalKey: mapped.lexofficeId,
		presetChoice: String(presetId),
		name: '',
		fields: mapped.requisite.fields,
		addresses: [
			{ role: 'billing', typeId: settings.billingAddressTypeId, values: mapped.requisite.billing },
			{ role: 'shipping', typeId: settings.shippingAddressTypeId, values: mapped.requisite.shipping },
		],
		removeMissingAddresses: true,
	};
	return { input, presetId };
}

const presetsByExecution = new WeakMap<object, Promise<Map<string, number>>>();

/** The default templates' ids (by XML_ID), read once per execution and only when needed. */
async function defaultPresets(context: IExecuteFunctions, settings: SyncSettings): Promise<Map<string, number>> {
	if (settings.companyPresetId !== undefined && settings.contactPresetId !== undefined) return new Map();
	let pending = presetsByExecution.get(context);
	if (!pending) {
		pending = runLookups(context, [presetLookupCommand('presets')]).then((results) => {
			const presets = presetsOf(rowsFrom(results, 'presets'));
			const ids = new Map<string, number>();
			if (settings.companyPresetId === undefined) {
				ids.set('company', resolvePresetId(context.getNode(), DEFAULT_PRESET_CHOICES.legalEntity, 4, presets, 0));
			}
			if (settings.contactPresetId === undefined) {
				ids.set('person', resolvePresetId(context.getNode(), DEFAULT_PRESET_CHOICES.person, 3, presets, 0));
			}
			return ids;
		});
		presetsByExecution.set(context, pending);
	}
	return await pending;
}

/** Syncs one chunk; returns every write's result by batch key (none in a dry run). */
async function syncChunk(context: IExecuteFunctions, settings: SyncSettings, entries: Entry[]): Promise<Record<string, BatchCommandResult>> {
	const descriptions = {
		company: await fieldDescriptions(context, CRM_ENTITIES.company),
		contact: await fieldDescriptions(context, CRM_ENTITIES.contact),
	};
	for (const entry of pending(entries)) {
		attempt(entry, () => {
			const mapped = entry.mapped as MappedContact;
			entry.record = convert(context, entry.itemIndex, mapped.record, mapped.version, descriptions[mapped.record.entity]);
			entry.persons = mapped.contactPersons.map((person) => convert(context, entry.itemIndex, person, '', descriptions.contact));
		});
	}
	const records: EntityRecords = { company: new Map(), contact: new Map() };
	await decide(context, settings, entries, records);
	for (const entry of live(entries)) {
		const { version, storedVersion } = entry.record as RecordWork;
		if (storedVersion && isOlderThanStored(version, storedVersion)) entry.skipped = olderThanStored(version, storedVersion);
	}

	// Requisites and addresses, only for contacts that changed.
	const changed = live(entries).filter((entry) => entry.record?.decision?.action !== 'unchanged');
	const presets = changed.length > 0 ? await defaultPresets(context, settings) : new Map<string, number>();
	for (const entry of changed) attempt(entry, () => (entry.requisite = requisiteFor(entry, settings, presets)));
	const existingOwners = changed.filter((entry) => entry.requisite && entry.requisite.input.ownerId > 0);
	const ownerCommands = requisiteLookupCommands(existingOwners.map((entry) => entry.requisite?.input as RequisiteInput));
	const owned = requisitesByOwner(ownerCommands.length ? await runLookups(context, ownerCommands) : new Map(), ownerCommands);
	for (const entry of existingOwners) {
		const requisite = entry.requisite as NonNullable<Entry['requisite']>;
		const { input } = requisite;
		requisite.current = findManagedRequisite(owned.get(ownerKey(input.ownerEntityTypeId, input.ownerId)) ?? [], input, requisite.presetId);
	}
	const requisiteIds = existingOwners.flatMap((entry) => (entry.requisite?.current ? [Number(entry.requisite.current.ID)] : []));
	const addresses = await addressesOf(context, requisiteIds);
	for (const entry of changed) attempt(entry, () => planWrites(entry, settings, records, addresses));
	if (settings.dryRun) return {};

	const writes = live(entries).flatMap((entry) => entry.commands);
	const results = writes.length ? await bitrix24Batch.call(context, writes, { halt: false }) : {};
	const verdicts = await recheckWritten(context, settings.systemCode, live(entries).flatMap((entry) => writtenRecord(entry, results)));
	for (const entry of live(entries)) applyVerdict(entry, verdicts.get(entry.itemIndex));
	const stamps = live(entries).flatMap((entry) => (entry.retry ? [] : stampCommand(entry, results)));
	const stamped = stamps.length ? await bitrix24Batch.call(context, stamps, { halt: false }) : {};
	const all = { ...results, ...stamped };
	for (const entry of live(entries)) recordResults(entry, all);
	return all;
}

/** The main record an entry has just written completely, for the re-check; none if nothing was written or a write failed. */
function writtenRecord(entry: Entry, results: Record<string, BatchCommandResult>): WrittenRecord[] {
	const record = entry.record as RecordWork;
	const decision = record.decision;
	if (!decision || decision.action === 'unchanged' || entry.commands.some((command) => !results[command.key]?.ok)) return [];
	const idOf = (work: RecordWork) => writeOutcome(work, results).id;
	const ownId = idOf(record);
	if (!ownId) return [];
	return [
		{
			itemIndex: entry.itemIndex,
			entity: record.mapped.entity,
			originId: record.mapped.originId,
			ownId,
			created: decision.action === 'created',
			version: record.version,
			seenVersion: record.storedVersion ?? '',
			createdPersonIds: entry.persons.filter((person) => person.decision?.action === 'created').flatMap((person) => idOf(person) ?? []),
		},
	];
}

function applyVerdict(entry: Entry, verdict: RecheckVerdict | undefined): void {
	if (verdict?.kind === 'retry') entry.retry = verdict.reason;
	if (verdict?.kind === 'stampOlder') {
		entry.warning = `Bitrix24 received LexOffice version ${parseInt(verdict.stored, 10)} of this contact while this older input (version ${lexofficeVersion(entry)}) was written; the record is stamped with the version it was given, so the next sync of this contact brings the newer data`;
	}
}

/** Clears what a round planned, so the next round looks the contact up and plans again from what Bitrix24 holds now. */
function resetForRound(entry: Entry): void {
	Object.assign(entry, { record: undefined, persons: [], requisite: undefined, commands: [], removedPersons: undefined, retry: undefined });
}

/** ORIGIN_VERSION for an entry whose writes all succeeded; that is what marks it done. */
function stampCommand(entry: Entry, results: Record<string, BatchCommandResult>): BatchCommand[] {
	const record = entry.record as RecordWork;
	if (record.decision?.action === 'unchanged') return [];
	if (entry.commands.some((command) => !results[command.key]?.ok)) return [];
	const created = results[record.key as string];
	const id = record.decision?.action === 'created' ? Number(created?.ok ? created.result : 0) : idOrReference(record);
	const entity = entityOf(record.mapped);
	return [{ key: `v${entry.itemIndex}`, method: `${entity.methodPrefix}.update`, params: { id, fields: { ORIGIN_VERSION: entry.mapped?.version } } }];
}

interface WriteOutcome {
	action: string;
	id: number | null;
	error?: string;
}

function writeOutcome(work: RecordWork, results: Record<string, BatchCommandResult>): WriteOutcome {
	const decision = work.decision as UpsertDecision;
	const action = decision.action === 'matched' ? 'updated' : decision.action;
	const id = decision.action === 'created' ? null : decision.id;
	const result = work.key ? results[work.key] : undefined;
	if (!result) return { action, id };
	if (!result.ok) return { action: 'failed', id, error: result.description || result.error, ...(result.uncertain ? uncertainMark(action) : {}) };
	return { action, id: id ?? Number(result.result) };
}

/** What to do about a write Bitrix24 refused, from its message. */
function refusalFix(message: string): string {
	if (/required/i.test(message)) {
		return 'This portal requires a field the sync does not fill: give it a value for every record with Extra Company Fields / Extra Contact Fields on Sync Contacts, or make it optional in Bitrix24, then run the sync again.';
	}
	if (/mail/i.test(message)) return 'Correct the e-mail address in LexOffice, then run the sync again.';
	return 'Correct the value named in LexOffice (or the Bitrix24 field settings), then run the sync again; the next run completes this contact.';
}

/** The first write of the entry Bitrix24 refused (or did not run) becomes the entry's error. */
function recordResults(entry: Entry, results: Record<string, BatchCommandResult>): void {
	const stamp = `v${entry.itemIndex}`;
	const failed =
		entry.commands.find((command) => !results[command.key]?.ok) ??
		(results[stamp]?.ok === false ? { key: stamp, method: 'storing ORIGIN_VERSION' } : undefined);
	if (!failed) return;
	const result = results[failed.key] as Extract<BatchCommandResult, { ok: false }> | undefined;
	const reason = result?.description || result?.error || 'not executed';
	// An answer lost on the way back: settleUncertainWrites reads this contact back and plans again.
	const error = Object.assign(new Error(`LexOffice contact ${entry.mapped?.lexofficeId ?? '?'}: ${failed.method}: ${reason}`), {
		description: refusalFix(reason),
		uncertain: result?.uncertain === true,
	});
	entry.error = error;
}

function outcomeOf(entry: Entry, results: Record<string, BatchCommandResult>, settings: SyncSettings): IDataObject {
	const mapped = entry.mapped;
	const identity: IDataObject = {
		lexofficeId: mapped?.lexofficeId ?? entry.given?.id ?? null,
		name: mapped?.name ?? null,
		kind: mapped?.kind ?? null,
		entityType: mapped?.record.entity ?? entry.given?.entity ?? null,
	};
	if (settings.dryRun) identity.dryRun = true;
	if (entry.skipped) return { ...identity, action: 'skipped', id: null, reason: entry.skipped };
	if (entry.settledId !== undefined) return { ...identity, action: 'unchanged', id: entry.settledId, contactPersons: [], requisite: 'unchanged' };
	const record = entry.record;
	const main = record?.decision ? writeOutcome(record, results) : { action: 'failed', id: null };
	const persons = entry.persons.filter((person) => person.decision).map((person) => writeOutcome(person, results));
	const outcome: IDataObject = {
		...identity,
		action: entry.error ? 'failed' : main.action,
		id: main.id,
		...(record?.decision?.action === 'matched' ? { matchedBy: record.decision.matchedBy } : {}),
		contactPersons: record?.decision?.action === 'unchanged' ? [] : persons.map((person) => ({ ...person })),
		requisite: entry.requisite?.plan ? entry.requisite.plan.action : record?.decision?.action === 'unchanged' ? 'unchanged' : null,
	};
	if (settings.mapping.responsibleUserId !== undefined) outcome.responsibleUserId = settings.mapping.responsibleUserId;
	const warnings = [...(mapped?.warnings ?? []), ...(entry.warning ? [entry.warning] : [])];
	if (warnings.length > 0) outcome.warnings = warnings;
	if (entry.removedPersons?.length && record?.decision?.action !== 'unchanged') outcome.contactPersonsRemovedInLexoffice = entry.removedPersons;
	if (entry.error) {
		const { description } = entry.error as { description?: string | null };
		outcome.error = entry.error.message;
		if (description) outcome.errorDescription = description;
		if ((entry.error as { uncertain?: boolean }).uncertain) Object.assign(outcome, uncertainMark(String(record?.decision?.action)));
	}
	return outcome;
}

/** What an unreadable item still says about itself, so its failure is named and counted where it belongs. */
function givenIdentity(context: IExecuteFunctions, itemIndex: number): Entry['given'] {
	try {
		let raw = context.getNodeParameter('contact', itemIndex) as unknown;
		if (typeof raw === 'string') raw = JSON.parse(raw) as unknown;
		if (typeof raw !== 'object' || raw === null) return undefined;
		const { id, company, person } = raw as IDataObject;
		return {
			id: typeof id === 'string' && id ? id : undefined,
			entity: company ? 'company' : person ? 'contact' : undefined,
		};
	} catch {
		return undefined;
	}
}

const olderThanStored = (version: string, stored: string) =>
	`Bitrix24 already holds LexOffice version ${parseInt(stored, 10)} of this contact, newer than this input (version ${parseInt(version, 10)})`;

/**
 * Entries whose version (or a newer one) this process saw stored moments ago need no request:
 * a burst of events for one contact costs one sync (issue #15). Used by executions started by an
 * event only, so an import or the nightly reconciliation still repairs records deleted meanwhile.
 */
function skipSettled(entries: Entry[], now: number): void {
	for (const entry of pending(entries)) {
		const mapped = entry.mapped as MappedContact;
		const known = settledFor(entry.key as string, mapped.version, now);
		if (!known) continue;
		if (known.version === mapped.version) entry.settledId = known.id;
		else entry.skipped = olderThanStored(mapped.version, known.version);
	}
}

/** Remembers what Bitrix24 now holds for every entry that was written completely or found current. */
function rememberOutcomes(entries: Entry[], results: Record<string, BatchCommandResult>, now: number): void {
	// live(): recordResults has turned every refused write into the entry's error by now.
	for (const entry of live(entries)) {
		const record = entry.record as RecordWork;
		const decision = record.decision;
		if (!decision) continue;
		const stamped = decision.action === 'unchanged' || results[`v${entry.itemIndex}`]?.ok === true;
		const id = decision.action === 'unchanged' ? decision.id : writeOutcome(record, results).id;
		if (stamped && id) rememberSettled(entry.key as string, record.version, id, now);
	}
}

/**
 * One chunk under the lock of its LexOffice contacts: executions for the same contact (a burst of
 * created/changed events) never interleave their lookup and their writes, so the second one finds
 * what the first one wrote. In one n8n process only (see ARCHITECTURE.md, "Concurrency").
 */
async function syncLocked(
	context: IExecuteFunctions,
	settings: SyncSettings,
	entries: Entry[],
	beforeLookup: () => Promise<void>,
): Promise<Record<string, BatchCommandResult>> {
	const portalHost = await portalHostOf(context);
	for (const entry of pending(entries)) entry.key = contactKey(portalHost, settings.systemCode, (entry.mapped as MappedContact).lexofficeId);
	const keys = pending(entries).map((entry) => entry.key as string);
	return await withKeyLock(keys, async () => {
		// Only for event executions: a manual or scheduled run (import, reconciliation) always asks Bitrix24.
		if (!settings.dryRun && context.getMode() === 'webhook') skipSettled(entries, Date.now());
		if (pending(entries).length === 0) return {};
		await beforeLookup();
		const results = await syncChunk(context, settings, entries);
		for (let round = 1; round < RECHECK_ROUNDS && !settings.dryRun; round++) {
			const again = pending(entries).filter((entry) => entry.retry);
			if (again.length === 0) break;
			again.forEach(resetForRound);
			Object.assign(results, await syncChunk(context, settings, again));
		}
		for (const entry of pending(entries).filter((entry) => entry.retry)) {
			entry.error = Object.assign(new Error(`LexOffice contact ${entry.mapped?.lexofficeId ?? '?'}: other executions kept writing it (${entry.retry})`), {
				description: 'Nothing is lost: the contact is not stamped as synced, so the next event or run of Sync Contacts completes it.',
			});
		}
		if (!settings.dryRun) rememberOutcomes(entries, results, Date.now());
		return results;
	});
}

/**
 * `beforeLookup` runs before the first request about contacts, and only when one is needed: events
 * that repeat what this process already wrote cost no request at all (issue #15).
 */
export async function syncContacts(
	context: IExecuteFunctions,
	settings: SyncSettings,
	itemIndexes: number[],
	beforeLookup: () => Promise<void>,
): Promise<IDataObject[]> {
	const outcomes: IDataObject[] = [];
	for (let start = 0; start < itemIndexes.length; start += CONTACTS_PER_CHUNK) {
		const entries: Entry[] = itemIndexes.slice(start, start + CONTACTS_PER_CHUNK).map((itemIndex) => ({
			itemIndex,
			persons: [],
			commands: [],
		}));
		for (const entry of entries) {
			try {
				entry.mapped = parseItem(context, entry.itemIndex, settings);
				if (settings.skipArchived && entry.mapped.archived) entry.skipped = 'archived in LexOffice';
			} catch (error) {
				entry.error = error as Error;
				entry.given = givenIdentity(context, entry.itemIndex);
			}
		}
		// A contact that cannot be read fails alone (its output item says why); the others go on.
		skipRepeated(entries);
		const results = pending(entries).length > 0 ? await syncLocked(context, settings, entries, beforeLookup) : {};
		outcomes.push(...entries.map((entry) => outcomeOf(entry, results, settings)));
	}
	return outcomes;
}
