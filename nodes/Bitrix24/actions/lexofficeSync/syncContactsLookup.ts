/**
 * Sync Contacts' lookup step: answers the planner's reads (syncContactsPlan.ts) from Bitrix24, each
 * in as few batch requests as possible (bitrix24-api.md §3.3). Thin: which records to read is the
 * planner's decision, how to read them is the shared lookups'.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { personOriginPrefix } from '../../helpers/contactPersonIdentity';
import type { MappedContact } from '../../../shared/contract/lexofficeToBitrix24';
import {
	DEFAULT_PRESET_CHOICES,
	presetLookupCommand,
	presetsOf,
	resolvePresetId,
	type RequisitePreset,
} from '../../helpers/requisitePresets';
import { addressesOf, requisiteLookupCommands, requisitesByOwner } from '../shared/requisiteLookup';
import { CRM_ENTITIES } from '../../helpers/crmRecordEntity';
import { portalSetupRead } from '../../helpers/portalReads';
import {
	chunk,
	rowsFrom,
	runLookups,
	scanCommand,
	VALUES_PER_LIST,
	type LookupCommand,
} from '../../helpers/crmRecordLookup';
import { originLookupCommands, originMatches, RECORD_SELECT, secondaryMatches } from '../shared/crmRecordMatching';
import type { MatchCandidate } from '../../helpers/upsertMatching';
import type { UpsertItem, UpsertSettings } from '../shared/crmRecordUpsertInput';
import {
	recordCacheOf,
	type Bitrix24View,
	type EmailQuery,
	type Entity,
	type PerEntity,
	type ViewRead,
} from './syncContactsPlan';
import type { SyncSettings } from './syncContactsSteps';

/** The reads of records by LexOffice id, per entity (company keys prefixed, as both go in one round). */
export function linkedLookupCommands(systemCode: string, ids: PerEntity<string[]>): PerEntity<LookupCommand[]> {
	return {
		company: originLookupCommands(CRM_ENTITIES.company, systemCode, ids.company).map((command) => ({
			...command,
			key: `company_${command.key}`,
		})),
		contact: originLookupCommands(CRM_ENTITIES.contact, systemCode, ids.contact),
	};
}

/** The records of these LexOffice ids by ORIGINATOR_ID + ORIGIN_ID, per entity and ORIGIN_ID (one round of reads). */
export async function linkedRecords(
	this: IExecuteFunctions,
	systemCode: string,
	ids: PerEntity<string[]>,
): Promise<PerEntity<Map<string, MatchCandidate[]>>> {
	const commands = linkedLookupCommands(systemCode, ids);
	const rows = rowsPerEntity(await runLookups.call(this, [...commands.company, ...commands.contact]), commands);
	return {
		company: originMatches(new Map([['origin', rows.company]]), systemCode, new Map()),
		contact: originMatches(new Map([['origin', rows.contact]]), systemCode, new Map()),
	};
}

/** Every field of the records to update (`*` leaves out custom fields and multifields, §4.2). */
export function currentLookupCommands(ids: PerEntity<number[]>): PerEntity<LookupCommand[]> {
	const commands = (entity: Entity) =>
		chunk(ids[entity], VALUES_PER_LIST).map((part, index) =>
			scanCommand(`current_${entity}${index}`, `${CRM_ENTITIES[entity].methodPrefix}.list`, { '@ID': part }, [
				'*',
				'UF_*',
				'EMAIL',
				'PHONE',
			]),
		);
	return { company: commands('company'), contact: commands('contact') };
}

/** The rows each entity's commands found, in command order. */
export const rowsPerEntity = (
	results: Map<string, unknown>,
	commands: PerEntity<LookupCommand[]>,
): PerEntity<IDataObject[]> => ({
	company: commands.company.flatMap((command) => rowsFrom(results, command.key)),
	contact: commands.contact.flatMap((command) => rowsFrom(results, command.key)),
});

/** The reads of the contacts of these companies' contact persons, found by their ORIGIN_ID prefix. */
export function personLookupCommands(
	systemCode: string,
	companies: Array<{ itemIndex: number; lexofficeId: string }>,
): LookupCommand[] {
	return companies.map(({ itemIndex, lexofficeId }) =>
		scanCommand(
			`persons${itemIndex}`,
			'crm.contact.list',
			{ ORIGINATOR_ID: systemCode, '=%ORIGIN_ID': `${personOriginPrefix(lexofficeId)}%` },
			[...RECORD_SELECT, 'NAME', 'LAST_NAME'],
		),
	);
}

/** The rows per company LexOffice id. */
export const personRows = (
	results: Map<string, unknown>,
	companies: Array<{ itemIndex: number; lexofficeId: string }>,
): Map<string, IDataObject[]> =>
	new Map(companies.map(({ itemIndex, lexofficeId }) => [lexofficeId, rowsFrom(results, `persons${itemIndex}`)]));

/** Records holding one of each record's e-mail addresses (crm.duplicate.findbycomm, bitrix24-api.md §4.5). */
async function readByEmail(
	this: IExecuteFunctions,
	settings: SyncSettings,
	records: PerEntity<EmailQuery[]>,
	view: Bitrix24View,
): Promise<PerEntity<Map<string, IDataObject[]>>> {
	const cache = recordCacheOf(view, settings.systemCode);
	const upsertSettings: UpsertSettings = {
		systemCode: settings.systemCode,
		dryRun: settings.dryRun,
		mode: 'replace',
		matchers: [{ by: 'email', field: 'EMAIL', label: 'email' }],
	};
	const found: PerEntity<Map<string, IDataObject[]>> = { company: new Map(), contact: new Map() };
	for (const entity of ['company', 'contact'] as const satisfies Entity[]) {
		const items: UpsertItem[] = records[entity].map((record, index) => ({
			itemIndex: index,
			originId: record.originId,
			originVersion: '',
			matchValues: [''],
			converted: record.converted,
		}));
		const matches = await secondaryMatches.call(this, CRM_ENTITIES[entity], upsertSettings, items, cache[entity]);
		records[entity].forEach((record, index) => {
			const candidates = (matches[index] ?? []).flatMap((match) => match.candidates);
			found[entity].set(
				record.originId,
				candidates.flatMap((candidate) => {
					const row = cache[entity].get(candidate.id);
					return row ? [row] : [];
				}),
			);
		});
	}
	return found;
}

/** The portal's requisite templates, read once per execution and credential. */
const requisitePresets = portalSetupRead(
	() => 'requisite presets',
	async function (this: IExecuteFunctions): Promise<RequisitePreset[]> {
		return presetsOf(rowsFrom(await runLookups.call(this, [presetLookupCommand('presets')]), 'presets'));
	},
);

/**
 * The default templates' ids (by XML_ID), only when needed. The portal's templates are read once
 * per execution and credential; the choice is made per run, from this node's settings.
 */
async function defaultPresets(
	this: IExecuteFunctions,
	settings: SyncSettings,
): Promise<Map<MappedContact['kind'], number>> {
	if (settings.companyPresetId !== undefined && settings.contactPresetId !== undefined) return new Map();
	const presets = await requisitePresets.call(this);
	const ids = new Map<MappedContact['kind'], number>();
	if (settings.companyPresetId === undefined) {
		ids.set('company', resolvePresetId(this.getNode(), DEFAULT_PRESET_CHOICES.legalEntity, 4, presets, 0));
	}
	if (settings.contactPresetId === undefined) {
		ids.set('person', resolvePresetId(this.getNode(), DEFAULT_PRESET_CHOICES.person, 3, presets, 0));
	}
	return ids;
}

/** Answers one read of the planner from Bitrix24. */
export async function readFromBitrix24(
	this: IExecuteFunctions,
	settings: SyncSettings,
	read: ViewRead,
	view: Bitrix24View,
): Promise<Bitrix24View> {
	switch (read.read) {
		case 'linked': {
			const commands = linkedLookupCommands(settings.systemCode, read.ids);
			return {
				linked: rowsPerEntity(await runLookups.call(this, [...commands.company, ...commands.contact]), commands),
			};
		}
		case 'persons': {
			const commands = personLookupCommands(settings.systemCode, read.companies);
			return {
				persons: personRows(commands.length ? await runLookups.call(this, commands) : new Map(), read.companies),
			};
		}
		case 'byEmail':
			return { byEmail: await readByEmail.call(this, settings, read.records, view) };
		case 'presets':
			return { presets: await defaultPresets.call(this, settings) };
		case 'requisites': {
			const commands = requisiteLookupCommands(read.owners);
			return {
				requisites: requisitesByOwner(commands.length ? await runLookups.call(this, commands) : new Map(), commands),
			};
		}
		case 'addresses':
			return { addresses: await addressesOf.call(this, read.requisiteIds) };
		case 'current': {
			const commands = currentLookupCommands(read.ids);
			const results = await runLookups.call(this, [...commands.company, ...commands.contact]);
			const rows = rowsPerEntity(results, commands);
			return {
				current: {
					company: new Map(rows.company.map((row) => [Number(row.ID), row])),
					contact: new Map(rows.contact.map((row) => [Number(row.ID), row])),
				},
			};
		}
	}
}
