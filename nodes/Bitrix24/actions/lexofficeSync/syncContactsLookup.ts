/**
 * Sync Contacts' lookup step: answers the planner's reads (syncContactsPlan.ts) from Bitrix24, each
 * in as few batch requests as possible (bitrix24-api.md §3.3). Thin: which records to read is the
 * planner's decision, how to read them is the shared lookups'.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { personOriginPrefix } from '../../helpers/contactPersonIdentity';
import { DEFAULT_PRESET_CHOICES, presetLookupCommand, presetsOf, resolvePresetId } from '../requisite/presets';
import { addressesOf, requisiteLookupCommands, requisitesByOwner } from '../requisite/upsertLookup';
import { CRM_ENTITIES } from '../shared/crmRecordEntity';
import { rowsFrom, runLookups, scanCommand } from '../shared/crmRecordLookup';
import { originLookupCommands, RECORD_SELECT, secondaryMatches } from '../shared/crmRecordMatching';
import type { UpsertItem, UpsertSettings } from '../shared/crmRecordUpsertInput';
import { recordCacheOf, type Bitrix24View, type EmailQuery, type Entity, type PerEntity, type ViewRead } from './syncContactsPlan';
import type { MappedContact } from '../../helpers/lexofficeContactMapping';
import type { SyncSettings } from './syncContactsSteps';

/** Records by LexOffice id: companies and contacts in one round. */
async function readLinked(context: IExecuteFunctions, systemCode: string, ids: PerEntity<string[]>): Promise<PerEntity<IDataObject[]>> {
	const companyCommands = originLookupCommands(CRM_ENTITIES.company, systemCode, ids.company).map((command) => ({ ...command, key: `company_${command.key}` }));
	const contactCommands = originLookupCommands(CRM_ENTITIES.contact, systemCode, ids.contact);
	const results = await runLookups(context, [...companyCommands, ...contactCommands]);
	const rowsOf = (commands: Array<{ key: string }>) => commands.flatMap((command) => rowsFrom(results, command.key));
	return { company: rowsOf(companyCommands), contact: rowsOf(contactCommands) };
}

/** The contacts of these companies' contact persons, found by their ORIGIN_ID prefix. */
async function readPersons(
	context: IExecuteFunctions,
	systemCode: string,
	companies: Array<{ itemIndex: number; lexofficeId: string }>,
): Promise<Map<string, IDataObject[]>> {
	const key = (itemIndex: number) => `persons${itemIndex}`;
	const commands = companies.map(({ itemIndex, lexofficeId }) =>
		scanCommand(key(itemIndex), 'crm.contact.list', { ORIGINATOR_ID: systemCode, '=%ORIGIN_ID': `${personOriginPrefix(lexofficeId)}%` }, [...RECORD_SELECT, 'NAME', 'LAST_NAME']),
	);
	const results = commands.length ? await runLookups(context, commands) : new Map<string, unknown>();
	return new Map(companies.map(({ itemIndex, lexofficeId }) => [lexofficeId, rowsFrom(results, key(itemIndex))]));
}

/** Records holding one of each record's e-mail addresses (crm.duplicate.findbycomm, bitrix24-api.md §4.5). */
async function readByEmail(
	context: IExecuteFunctions,
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
		const matches = await secondaryMatches(context, CRM_ENTITIES[entity], upsertSettings, items, cache[entity]);
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

const presetsByExecution = new WeakMap<object, Promise<Map<MappedContact['kind'], number>>>();

/** The default templates' ids (by XML_ID), read once per execution and only when needed. */
async function defaultPresets(context: IExecuteFunctions, settings: SyncSettings): Promise<Map<MappedContact['kind'], number>> {
	if (settings.companyPresetId !== undefined && settings.contactPresetId !== undefined) return new Map();
	let pending = presetsByExecution.get(context);
	if (!pending) {
		pending = runLookups(context, [presetLookupCommand('presets')]).then((results) => {
			const presets = presetsOf(rowsFrom(results, 'presets'));
			const ids = new Map<MappedContact['kind'], number>();
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

/** Answers one read of the planner from Bitrix24. */
export async function readFromBitrix24(context: IExecuteFunctions, settings: SyncSettings, read: ViewRead, view: Bitrix24View): Promise<Bitrix24View> {
	switch (read.read) {
		case 'linked':
			return { linked: await readLinked(context, settings.systemCode, read.ids) };
		case 'persons':
			return { persons: await readPersons(context, settings.systemCode, read.companies) };
		case 'byEmail':
			return { byEmail: await readByEmail(context, settings, read.records, view) };
		case 'presets':
			return { presets: await defaultPresets(context, settings) };
		case 'requisites': {
			const commands = requisiteLookupCommands(read.owners);
			return { requisites: requisitesByOwner(commands.length ? await runLookups(context, commands) : new Map(), commands) };
		}
		case 'addresses':
			return { addresses: await addressesOf(context, read.requisiteIds) };
	}
}
