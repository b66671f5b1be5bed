/**
 * The states one input item of Sync Contacts passes through, one type per step (ARCHITECTURE.md
 * "Sync Contacts"): parse → recall → convert → plan → write → report. Each step takes items in
 * one state and returns them in the next, or in a final one (failed, skipped, settled,
 * unchanged); what a state carries is what the steps before it established, so no step has to
 * assume the order it runs in.
 */
import type { ConvertedFields } from '../../helpers/crmFieldValues';
import type { Bitrix24Keeps } from '../../../shared/contract/bitrix24Keeps';
import type { ContactMappingSettings, MappedContact, MappedRecord } from '../../../shared/contract/lexofficeToBitrix24';
import type { UpsertDecision } from '../../helpers/upsertMatching';
import type { BatchCommand } from '../../transport';
import type { RequisitePlan } from '../shared/requisitePlan';
import type { RecordChange } from './syncContactsDiff';

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
	/** What a Bitrix24 record that exists keeps: responsible user, e-mails and phones, comments. */
	keeps: Bitrix24Keeps;
}

/** Why one item failed: its output's `error` and `errorDescription` (the LexOffice id, the field, the fix). */
export interface ItemFailure {
	message: string;
	description?: string;
	/** A write whose answer was lost: settleUncertainWrites reads this contact back and plans again. */
	uncertain?: boolean;
}

/** What an item that could not be read as a contact still says about itself. */
export interface GivenIdentity {
	id?: string;
	entity?: MappedRecord['entity'];
}

export interface FailedItem {
	step: 'failed';
	itemIndex: number;
	/** Absent when the item could not be read as a contact at all. */
	mapped?: MappedContact;
	given?: GivenIdentity;
	failure: ItemFailure;
}

export interface SkippedItem {
	step: 'skipped';
	itemIndex: number;
	mapped: MappedContact;
	reason: string;
}

/** Read and mapped; `mapped.version` is ORIGIN_VERSION's text `<LexOffice version>/<mapping hash>`. */
export interface ParsedItem {
	step: 'parsed';
	itemIndex: number;
	mapped: MappedContact;
}

/** Bitrix24 holds this version already, as this process saw moments ago: nothing to ask or write. */
export interface SettledItem {
	step: 'settled';
	itemIndex: number;
	mapped: MappedContact;
	id: number;
}

export interface ConvertedRecord {
	mapped: MappedRecord;
	/** The version a main record is compared with; '' for contact persons (always rewritten with their company). */
	version: string;
	converted: ConvertedFields;
}

/** Values in the portal's field formats (its live field list), ready to be decided on. */
export interface ConvertedItem {
	step: 'converted';
	itemIndex: number;
	mapped: MappedContact;
	record: ConvertedRecord;
	persons: ConvertedRecord[];
}

/** Bitrix24 holds this version (by ORIGIN_VERSION): no write. */
export interface UnchangedItem {
	step: 'unchanged';
	itemIndex: number;
	mapped: MappedContact;
	id: number;
}

export interface PlannedRecord extends ConvertedRecord {
	decision: UpsertDecision;
	/** Batch key of its write (the new id for a created record); absent when nothing is written. */
	key?: string;
}

/**
 * Everything of one LexOffice contact that is written, in order; ORIGIN_VERSION follows in a
 * second request only when all of it succeeded (syncContactsWrite.ts). After the write step,
 * `failure` names the first write Bitrix24 refused or that did not run.
 */
export interface WriteItem {
	step: 'write';
	itemIndex: number;
	mapped: MappedContact;
	record: PlannedRecord;
	/** ORIGIN_VERSION of the main record when it was looked up ('' for a record added now or without one). */
	seenVersion: string;
	persons: PlannedRecord[];
	/** Bitrix24 contacts of contact persons no longer in LexOffice (left as they are). */
	removedPersons: number[];
	requisite?: RequisitePlan;
	commands: BatchCommand[];
	/** Dry Run only: per record a command writes, the fields and their old → new values. */
	changes?: RecordChange[];
	failure?: ItemFailure;
}

export type ParseOutcome = FailedItem | SkippedItem | ParsedItem;
export type PlanOutcome = FailedItem | SkippedItem | UnchangedItem | WriteItem;
/** What the report step turns into output items. */
export type FinalItem = FailedItem | SkippedItem | SettledItem | UnchangedItem | WriteItem;

/**
 * Replaces the items a step took (those `took` selects, in order) by what the step made of them,
 * leaving every other item where it is.
 */
export function replaceTaken<T, S extends T, U>(
	items: T[],
	took: (item: T) => item is S,
	made: U[],
): Array<Exclude<T, S> | U> {
	let next = 0;
	const replaced = items.map((item) => (took(item) ? made[next++] : (item as Exclude<T, S>)));
	if (next !== made.length) throw new Error(`A Sync Contacts step returned ${made.length} items for ${next}`);
	return replaced;
}

export const isParsed = (item: { step: string }): item is ParsedItem => item.step === 'parsed';
export const isConverted = (item: { step: string }): item is ConvertedItem => item.step === 'converted';
export const isWrite = (item: { step: string }): item is WriteItem => item.step === 'write';
