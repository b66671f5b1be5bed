/**
 * Sync Contacts' decide and plan steps, pure: given the converted contacts and what Bitrix24 holds
 * about them (a `Bitrix24View`), which records are created, updated, adopted or left alone, and
 * the batch commands that make Bitrix24 hold them. No context, no HTTP; table-tested in
 * test/unit/bitrix24/lexofficeSync/syncContactsPlan.test.ts, and resumable by construction
 * (syncContactsResume.test.ts): every record is found again by its idempotency key (ORIGINATOR_ID +
 * ORIGIN_ID; contact persons by e-mail, then name, among `<company id>:person:*`; requisite XML_ID +
 * owner; address type + requisite), so a plan recomputed after any prefix of an earlier plan ran
 * writes only what is missing.
 *
 * What to read depends on what was read before (contact persons only of companies that will be
 * written, e-mail matches only for records not found by their link, requisites only of records
 * that exist), so `planChunk` answers either the next read it needs or the plan; `planWith` runs
 * it with a reader (syncContactsLookup.ts against Bitrix24, an in-memory model in the tests).
 */
import type { IDataObject } from 'n8n-workflow';

import { assignContactPersons } from '../../helpers/contactPersonIdentity';
import type { ConvertedFields } from '../../helpers/crmFieldValues';
import { commentsToWrite, type Bitrix24Keeps } from '../../../shared/contract/bitrix24Keeps';
import type { MappedContact, MappedRecord } from '../../../shared/contract/lexofficeToBitrix24';
import { decideUpserts, type MatchCandidate, type UpsertDecision } from '../../helpers/upsertMatching';
import type { BatchCommand } from '../../transport';
import { findManagedRequisite, ownerKey } from '../shared/requisiteLookup';
import { planRequisite } from '../shared/requisitePlan';
import type { RequisiteInput } from '../shared/requisiteInput';
import { CRM_ENTITIES } from '../../helpers/crmRecordEntity';
import { withMultifieldWrites } from '../../helpers/crmRecordFields';
import { candidateOf, originMatches, type RecordCache } from '../shared/crmRecordMatching';
import { isOlderThanStored } from './contactVersions';
import { commandChange, versionChange, type RecordChange } from './syncContactsDiff';
import type {
	ConvertedItem,
	ConvertedRecord,
	PlannedRecord,
	PlanOutcome,
	SyncSettings,
	WriteItem,
} from './syncContactsSteps';

export type Entity = MappedRecord['entity'];
export type PerEntity<T> = Record<Entity, T>;

/** What Bitrix24 holds about one chunk of contacts, as far as it has been read. */
export interface Bitrix24View {
	/** Companies and contacts with the system code and one of the chunk's LexOffice ids as ORIGIN_ID. */
	linked?: PerEntity<IDataObject[]>;
	/** Per company LexOffice id: the contacts whose ORIGIN_ID starts with `<id>:person:`. */
	persons?: Map<string, IDataObject[]>;
	/** Per ORIGIN_ID asked about: the records of that entity that hold one of its e-mail addresses. */
	byEmail?: PerEntity<Map<string, IDataObject[]>>;
	/** Default requisite template ids by contact kind (only those the settings leave open). */
	presets?: Map<MappedContact['kind'], number>;
	/** Requisites by owner (`ownerKey`), oldest first. */
	requisites?: Map<string, IDataObject[]>;
	/** Addresses by requisite id and address type. */
	addresses?: Map<number, Map<number, IDataObject>>;
	/**
	 * Records that will be updated, with every field (COMMENTS, ASSIGNED_BY_ID, custom ones), by id:
	 * read only for Dry Run (old → new values) and for comments in 'append' mode.
	 */
	current?: PerEntity<Map<number, IDataObject>>;
}

/** A record to look for by e-mail. */
export interface EmailQuery {
	originId: string;
	converted: ConvertedFields;
}

/** The next thing the planner needs to know; it fills the view field of the same name. */
export type ViewRead =
	| { read: 'linked'; ids: PerEntity<string[]> }
	| { read: 'persons'; companies: Array<{ itemIndex: number; lexofficeId: string }> }
	| { read: 'byEmail'; records: PerEntity<EmailQuery[]> }
	| { read: 'presets' }
	| { read: 'requisites'; owners: RequisiteInput[] }
	| { read: 'addresses'; requisiteIds: number[] }
	| { read: 'current'; ids: PerEntity<number[]> };

type ReadStep = { kind: 'read'; read: ViewRead };
export type PlanStep = ReadStep | { kind: 'plan'; items: PlanOutcome[] };

export const olderThanStored = (version: string, stored: string) =>
	`Bitrix24 already holds LexOffice version ${parseInt(stored, 10)} of this contact, newer than this input (version ${parseInt(version, 10)})`;

const readNext = (read: ViewRead): ReadStep => ({ kind: 'read', read });
const byId = (a: MatchCandidate, b: MatchCandidate) => a.id - b.id;

/**
 * The records the view holds, by id, for the multifield diff of updates: every linked record and
 * the contact persons of the system. The reader passes the same cache to the e-mail search, so a
 * record read already is not read again.
 */
export function recordCacheOf(view: Bitrix24View, systemCode: string): PerEntity<RecordCache> {
	const cache: PerEntity<RecordCache> = { company: new Map(), contact: new Map() };
	for (const entity of ['company', 'contact'] as const)
		for (const row of view.linked?.[entity] ?? []) cache[entity].set(Number(row.ID), row);
	for (const rows of view.persons?.values() ?? [])
		for (const row of ownPersons(rows, systemCode)) cache.contact.set(Number(row.ID), row);
	return cache;
}

const ownPersons = (rows: IDataObject[], systemCode: string) =>
	rows.filter((row) => String(row.ORIGINATOR_ID ?? '') === systemCode);

/** One record to decide on, and which contact (and which of its persons) it belongs to. */
interface Work {
	item: ConvertedItem;
	/** 0 for the contact's own record, n for its n-th contact person. */
	person: number;
	record: ConvertedRecord;
}

/** A record decided on; `storedVersion` is the ORIGIN_VERSION of the Bitrix24 record it is about ('' if none). */
interface Decided {
	record: ConvertedRecord;
	decision: UpsertDecision;
	storedVersion: string;
}

/** The decisions of every record of the chunk, or the read they still need. */
function decideRecords(items: ConvertedItem[], view: Bitrix24View, settings: SyncSettings) {
	if (!view.linked) {
		const idsOf = (kind: MappedContact['kind']) =>
			items.filter((item) => item.mapped.kind === kind).map((item) => item.mapped.lexofficeId);
		return readNext({ read: 'linked', ids: { company: idsOf('company'), contact: idsOf('person') } });
	}
	const cache = recordCacheOf(view, settings.systemCode);
	const found: PerEntity<Map<string, MatchCandidate[]>> = {
		company: originMatches(new Map([['origin', view.linked.company]]), settings.systemCode, new Map()),
		contact: originMatches(new Map([['origin', view.linked.contact]]), settings.systemCode, new Map()),
	};

	// Contact persons matter only for companies that will be written (their persons are rewritten with them).
	const current = (item: ConvertedItem) => {
		const [own] = [...(found.company.get(item.mapped.lexofficeId) ?? [])].sort(byId);
		return own !== undefined && own.originVersion === item.record.version;
	};
	const writing = items.filter((item) => item.mapped.kind === 'company' && !current(item));
	if (writing.length > 0 && !view.persons) {
		return readNext({
			read: 'persons',
			companies: writing.map((item) => ({ itemIndex: item.itemIndex, lexofficeId: item.mapped.lexofficeId })),
		});
	}
	// A company's contact persons are found by their ORIGIN_ID prefix, then told apart by e-mail and name.
	const personsOf = new Map<ConvertedItem, { records: ConvertedRecord[]; removed: number[] }>();
	for (const item of writing) {
		const rows = ownPersons(view.persons?.get(item.mapped.lexofficeId) ?? [], settings.systemCode);
		const records = item.persons.map((person) => ({ ...person, mapped: { ...person.mapped } }));
		const { removed } = assignContactPersons(
			item.mapped.lexofficeId,
			records.map((record) => record.mapped),
			rows,
		);
		for (const record of records) {
			const own = rows.filter((row) => String(row.ORIGIN_ID) === record.mapped.originId).map(candidateOf);
			if (own.length > 0) found.contact.set(record.mapped.originId, own);
		}
		personsOf.set(item, { records, removed });
	}
	const works: Work[] = items.flatMap((item) => [
		{ item, person: 0, record: item.record },
		...(personsOf.get(item)?.records ?? []).map((record, index) => ({ item, person: index + 1, record })),
	]);

	const listOf = (entity: Entity) => works.filter((work) => work.record.mapped.entity === entity);
	const unresolved = (entity: Entity) =>
		settings.matchByEmail ? listOf(entity).filter((work) => !found[entity].has(work.record.mapped.originId)) : [];
	const searches = { company: unresolved('company'), contact: unresolved('contact') };
	if (searches.company.length + searches.contact.length > 0 && !view.byEmail) {
		const queries = (list: Work[]) =>
			list.map(({ record }) => ({ originId: record.mapped.originId, converted: record.converted }));
		return readNext({
			read: 'byEmail',
			records: { company: queries(searches.company), contact: queries(searches.contact) },
		});
	}

	const decidedOf = new Map<Work, Decided>();
	for (const entity of ['company', 'contact'] as const) {
		const list = listOf(entity);
		const searched = new Set(searches[entity]);
		const byEmail = view.byEmail?.[entity];
		for (const row of [...(byEmail?.values() ?? [])].flat())
			if (!cache[entity].has(Number(row.ID))) cache[entity].set(Number(row.ID), row);
		const decided = decideUpserts(
			list.map((work) => ({
				originVersion: work.record.version,
				byOrigin: found[entity].get(work.record.mapped.originId) ?? [],
				bySecondary: searched.has(work)
					? [{ matcher: 'email', candidates: (byEmail?.get(work.record.mapped.originId) ?? []).map(candidateOf) }]
					: [],
			})),
		);
		list.forEach((work, index) => {
			const decision = decided[index];
			const own = found[entity].get(work.record.mapped.originId) ?? [];
			const storedVersion =
				decision.action === 'created'
					? ''
					: (own.find((candidate) => candidate.id === decision.id)?.originVersion ?? '');
			decidedOf.set(work, { record: work.record, decision, storedVersion });
		});
	}
	// Per contact, its own record's decision first, then its contact persons' in order.
	const decisions = new Map<ConvertedItem, Decided[]>(items.map((item) => [item, []]));
	for (const work of works) {
		const decided = decidedOf.get(work);
		if (decided) decisions.get(work.item)?.push(decided);
	}
	return {
		kind: 'decided' as const,
		cache,
		decisions,
		removedPersons: (item: ConvertedItem) => personsOf.get(item)?.removed ?? [],
	};
}

/** Where Bitrix24 should hold a contact's requisite, before knowing whether it holds one. */
function requisiteInputOf(
	item: ConvertedItem,
	decision: UpsertDecision,
	presetId: number,
	settings: SyncSettings,
): RequisiteInput {
	const { mapped } = item;
	return {
		itemIndex: item.itemIndex,
		ownerEntityTypeId: CRM_ENTITIES[mapped.record.entity].entityTypeId,
		ownerId: decision.action !== 'created' ? decision.id : 0,
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
}

/**
 * What an existing record keeps (`current` undefined: the record is created and gets everything):
 * its responsible user unless 'always', its comments as the comments policy says. E-mails and
 * phones are handled by the multifield diff's mode.
 */
function applyKeeps(
	fields: IDataObject,
	work: ConvertedRecord,
	current: IDataObject | undefined,
	keeps: Bitrix24Keeps,
) {
	if (current && keeps.responsibleUser === 'onCreate') delete fields.ASSIGNED_BY_ID;
	// Contact persons without comment lines carry no COMMENTS: the sync leaves them alone in every mode.
	if (!('COMMENTS' in work.mapped.fields)) return;
	const lexoffice = String(fields.COMMENTS ?? work.mapped.fields.COMMENTS ?? '');
	const comments = commentsToWrite(keeps.comments, lexoffice, current ? String(current.COMMENTS ?? '') : undefined);
	if (comments === undefined) delete fields.COMMENTS;
	else fields.COMMENTS = comments;
}

/** The write of one record (no ORIGIN_VERSION: that is stamped once everything else is written). */
function planRecord(
	work: ConvertedRecord,
	decision: UpsertDecision,
	key: string,
	known: Known,
	extra: IDataObject,
): { record: PlannedRecord; command?: BatchCommand; current?: IDataObject } {
	if (decision.action === 'unchanged') return { record: { ...work, decision } };
	const entity = CRM_ENTITIES[work.mapped.entity];
	const current = decision.action === 'created' ? undefined : currentRecord(known, work.mapped.entity, decision.id);
	// Appending to comments not read would replace them: the contact fails alone instead.
	if (
		decision.action !== 'created' &&
		known.keeps.comments === 'append' &&
		!known.current[work.mapped.entity].has(decision.id)
	)
		throw new Error(`Sync Contacts did not read the comments of ${work.mapped.entity} ${decision.id}`);
	const fields = withMultifieldWrites(
		work.converted,
		current,
		known.keeps.emailsAndPhones === 'replace' ? 'replace' : 'append',
	);
	// toBitrix24Fields leaves blanks out ("keep what Bitrix24 has"); here LexOffice is the source, so a blank clears.
	if (current) for (const [field, value] of Object.entries(work.mapped.fields)) if (value === '') fields[field] = '';
	applyKeeps(fields, work, current, known.keeps);
	Object.assign(fields, extra, { ORIGINATOR_ID: known.systemCode, ORIGIN_ID: work.mapped.originId });
	const command: BatchCommand =
		decision.action === 'created'
			? { key, method: `${entity.methodPrefix}.add`, params: { fields } }
			: { key, method: `${entity.methodPrefix}.update`, params: { id: decision.id, fields } };
	return { record: { ...work, decision, key }, command, current };
}

/** A record the planner read: its link and multifields, and every field when the view holds them. */
function currentRecord(known: Known, entity: Entity, id: number): IDataObject | undefined {
	const linked = known.cache[entity].get(id);
	const full = known.current[entity].get(id);
	return linked || full ? { ...linked, ...full } : undefined;
}

/** Ids of the records a plan would update: the contacts' own records and their contact persons. */
function updatedIds(changed: Changed[]): PerEntity<number[]> {
	const ids: PerEntity<number[]> = { company: [], contact: [] };
	for (const { item, decision, persons } of changed) {
		for (const [entity, chosen] of [
			[item.record.mapped.entity, decision],
			...persons.map((person) => [person.record.mapped.entity, person.decision] as const),
		] as const) {
			if (chosen.action === 'updated' || chosen.action === 'matched') ids[entity].push(chosen.id);
		}
	}
	return ids;
}

/** A record's id, or for one created in the same batch request the reference to its id (bitrix24-api.md §3.3). */
export const idOrReference = (record: PlannedRecord): number | string =>
	record.decision.action !== 'created' ? record.decision.id : `$result[${record.key ?? ''}]`;

/**
 * Decide and plan one chunk: the next read the plan needs, or one outcome per item in order —
 * skipped (Bitrix24 holds a newer version), unchanged, or the writes that make Bitrix24 hold it.
 */
export function planChunk(items: ConvertedItem[], view: Bitrix24View, settings: SyncSettings): PlanStep {
	const decided = decideRecords(items, view, settings);
	if (decided.kind === 'read') return decided;
	const { cache, decisions, removedPersons } = decided;

	const outcomes = items.map((item): PlanOutcome | Changed => {
		const [own, ...persons] = decisions.get(item) ?? [];
		if (!own) throw new Error(`Sync Contacts decided nothing for item ${item.itemIndex}`);
		const { decision, storedVersion } = own;
		const { itemIndex, mapped } = item;
		if (storedVersion && isOlderThanStored(item.record.version, storedVersion)) {
			return { step: 'skipped', itemIndex, mapped, reason: olderThanStored(item.record.version, storedVersion) };
		}
		if (decision.action === 'unchanged') return { step: 'unchanged', itemIndex, mapped, id: decision.id };
		return { step: 'changed', item, decision, storedVersion, persons };
	});
	const changed = outcomes.filter((outcome): outcome is Changed => outcome.step === 'changed');

	// Requisites and addresses, only for contacts that changed.
	if (changed.length > 0 && !view.presets) return readNext({ read: 'presets' });
	const requisites = new Map(
		changed.map(({ item, decision }) => {
			const presetId =
				(item.mapped.kind === 'company' ? settings.companyPresetId : settings.contactPresetId) ??
				view.presets?.get(item.mapped.kind);
			return [
				item,
				presetId === undefined ? undefined : { presetId, input: requisiteInputOf(item, decision, presetId, settings) },
			];
		}),
	);
	const owners = [...requisites.values()].flatMap((requisite) =>
		requisite && requisite.input.ownerId > 0 ? [requisite.input] : [],
	);
	if (owners.length > 0 && !view.requisites) return readNext({ read: 'requisites', owners });
	const currentOf = ({ input, presetId }: { input: RequisiteInput; presetId: number }) =>
		input.ownerId > 0
			? findManagedRequisite(
					view.requisites?.get(ownerKey(input.ownerEntityTypeId, input.ownerId)) ?? [],
					input,
					presetId,
				)
			: undefined;
	const requisiteIds = [...requisites.values()].flatMap((requisite) => {
		const current = requisite && currentOf(requisite);
		return current ? [Number(current.ID)] : [];
	});
	if (requisiteIds.length > 0 && !view.addresses) return readNext({ read: 'addresses', requisiteIds });
	// Every field of the records to update, only when old values matter: Dry Run, appended comments.
	const ids = updatedIds(changed);
	const needsCurrent = settings.dryRun || settings.keeps.comments === 'append';
	if (needsCurrent && ids.company.length + ids.contact.length > 0 && !view.current)
		return readNext({ read: 'current', ids });

	const known: Known = {
		cache,
		current: view.current ?? { company: new Map(), contact: new Map() },
		addresses: view.addresses ?? new Map(),
		systemCode: settings.systemCode,
		keeps: settings.keeps,
		dryRun: settings.dryRun,
	};
	const planned = outcomes.map((outcome): PlanOutcome => {
		if (outcome.step !== 'changed') return outcome;
		const { item } = outcome;
		const requisite = requisites.get(item);
		const failed = (message: string): PlanOutcome => ({
			step: 'failed',
			itemIndex: item.itemIndex,
			mapped: item.mapped,
			failure: { message },
		});
		if (!requisite)
			return failed(
				`LexOffice contact ${item.mapped.lexofficeId}: no requisite template for ${item.mapped.kind === 'company' ? 'companies' : 'persons'}`,
			);
		try {
			return planWrites(outcome, removedPersons(item), requisite, currentOf(requisite), known);
		} catch (error) {
			// One contact that cannot be planned fails alone.
			return failed((error as Error).message);
		}
	});
	return { kind: 'plan', items: planned };
}

/** A contact whose records are written: its own decision, then its contact persons'. */
interface Changed {
	step: 'changed';
	item: ConvertedItem;
	decision: UpsertDecision;
	storedVersion: string;
	persons: Decided[];
}

/** What planning a write needs to know of Bitrix24 beyond the contact's own decisions. */
interface Known {
	cache: PerEntity<RecordCache>;
	/** Records to update with every field, when read (see Bitrix24View.current). */
	current: PerEntity<Map<number, IDataObject>>;
	addresses: Map<number, Map<number, IDataObject>>;
	systemCode: string;
	keeps: Bitrix24Keeps;
	/** Dry Run: the write item carries its changes (old → new). */
	dryRun: boolean;
}

/** Every write of one changed contact: its record, its contact persons, its requisite and addresses. */
function planWrites(
	{ item, decision, storedVersion, persons }: Changed,
	removedPersons: number[],
	requisite: { input: RequisiteInput; presetId: number },
	currentRequisite: IDataObject | undefined,
	known: Known,
): WriteItem {
	const commands: BatchCommand[] = [];
	const changes: RecordChange[] = [];
	const main = planRecord(item.record, decision, `r${item.itemIndex}`, known, {});
	// Dry Run only: what each command would change (computed from the command and the record read).
	const noteChange = (change: () => RecordChange) => {
		if (known.dryRun) changes.push(change());
	};
	const mainCommand = main.command;
	if (mainCommand) {
		commands.push(mainCommand);
		noteChange(() =>
			versionChange(
				commandChange(mainCommand, item.record.mapped.entity, main.current),
				main.current,
				item.mapped.version,
			),
		);
	}
	const owner = idOrReference(main.record);
	const plannedPersons = persons.map((person, index) => {
		const planned = planRecord(person.record, person.decision, `r${item.itemIndex}p${index + 1}`, known, {
			COMPANY_ID: owner,
		});
		const command = planned.command;
		if (command) {
			commands.push(command);
			noteChange(() => commandChange(command, `contact person ${index + 1}`, planned.current));
		}
		return planned.record;
	});
	const requisitePlan = planRequisite(
		requisite.input,
		requisite.presetId,
		currentRequisite,
		currentRequisite && known.addresses.get(Number(currentRequisite.ID)),
		item.mapped.name || item.mapped.lexofficeId,
	);
	for (const command of requisitePlan.commands) {
		// A new owner's id is only known inside the batch request that creates it.
		const fields = command.params?.fields as IDataObject | undefined;
		if (command.method === 'crm.requisite.add' && fields && typeof owner === 'string') fields.ENTITY_ID = owner;
		commands.push(command);
		const typeId = Number(fields?.TYPE_ID);
		noteChange(() =>
			command.method.startsWith('crm.requisite.')
				? commandChange(command, 'requisite', currentRequisite)
				: commandChange(
						command,
						`address type ${typeId}`,
						currentRequisite && known.addresses.get(Number(currentRequisite.ID))?.get(typeId),
					),
		);
	}
	return {
		step: 'write',
		itemIndex: item.itemIndex,
		mapped: item.mapped,
		record: main.record,
		seenVersion: storedVersion,
		persons: plannedPersons,
		removedPersons,
		requisite: requisitePlan,
		commands,
		...(known.dryRun ? { changes } : {}),
	};
}

/**
 * Decide and plan with a reader that answers each read (Bitrix24 through the transport, or a model
 * of it in tests); the reads run in the order the plan needs them, each at most once.
 */
export async function planWith(
	items: ConvertedItem[],
	settings: SyncSettings,
	readView: (read: ViewRead, view: Bitrix24View) => Promise<Bitrix24View>,
): Promise<PlanOutcome[]> {
	let view: Bitrix24View = {};
	for (;;) {
		const step = planChunk(items, view, settings);
		if (step.kind === 'plan') return step.items;
		if (view[step.read.read] !== undefined) throw new Error(`Sync Contacts asked twice for ${step.read.read}`);
		view = { ...view, ...(await readView(step.read, view)) };
		if (view[step.read.read] === undefined) throw new Error(`Sync Contacts read no ${step.read.read}`);
	}
}
