/**
 * An in-memory model of Bitrix24 for Sync Contacts' planner: the Bitrix24 sandbox's portal (its
 * state and REST method implementations) called in-process, without HTTP. Batch commands run the
 * way the sandbox's `batch` runs them (encoded as the transport encodes them, `$result[…]`
 * resolved, one after another); the planner's reads are answered with the node's own lookup
 * commands where they are pure, and with the same queries otherwise.
 */
import type { IDataObject } from 'n8n-workflow';

import { executeCall, parseCommand, resolveReferences } from '../../../sandbox/bitrix24/dispatch';
import { B24Error } from '../../../sandbox/bitrix24/errors';
import { ALL_SCOPES, type Portal } from '../../../sandbox/bitrix24/portal';
import { PRESET_XML_IDS } from '../../../sandbox/bitrix24/seedData';
import type { AuthContext } from '../../../sandbox/bitrix24/context';
import { PAGE_SIZE, type BatchCommand, type BatchCommandResult } from '../../../../nodes/Bitrix24/transport';
import { encodeBatchCommand } from '../../../../nodes/Bitrix24/transport/batch';
import type { CrmFieldDescriptions } from '../../../../nodes/Bitrix24/helpers/crmFieldSchema';
import { addressListParams } from '../../../../nodes/Bitrix24/helpers/addressValues';
import { requisiteLookupCommands, requisitesByOwner } from '../../../../nodes/Bitrix24/actions/shared/requisiteLookup';
import { CRM_ENTITIES } from '../../../../nodes/Bitrix24/helpers/crmRecordEntity';
import { asFieldDescriptions } from '../../../../nodes/Bitrix24/helpers/crmRecordFields';
import type { LookupCommand } from '../../../../nodes/Bitrix24/helpers/crmRecordLookup';
import { RECORD_SELECT } from '../../../../nodes/Bitrix24/actions/shared/crmRecordMatching';
import {
	currentLookupCommands,
	linkedLookupCommands,
	personLookupCommands,
	personRows,
	rowsPerEntity,
} from '../../../../nodes/Bitrix24/actions/lexofficeSync/syncContactsLookup';
import type { Bitrix24View, ViewRead } from '../../../../nodes/Bitrix24/actions/lexofficeSync/syncContactsPlan';
import type { SyncSettings } from '../../../../nodes/Bitrix24/actions/lexofficeSync/syncContactsSteps';

export class Bitrix24Model {
	private readonly auth: AuthContext;

	constructor(readonly portal: Portal) {
		const user = portal.user(1);
		if (!user) throw new Error('the sandbox has no user 1');
		this.auth = { kind: 'webhook', user, consumer: 'model', scopes: ALL_SCOPES };
	}

	async call(method: string, params: Record<string, unknown>): Promise<unknown> {
		const { outcome } = await executeCall(this.portal, method, params, this.auth, false);
		return outcome.result;
	}

	/** Runs commands as one `batch` with halt=false does, in order; `results` carries `$result` values across calls. */
	async run(
		commands: BatchCommand[],
		results: Record<string, BatchCommandResult> = {},
	): Promise<Record<string, BatchCommandResult>> {
		const values = Object.fromEntries(
			Object.entries(results).flatMap(([key, result]) => (result.ok ? [[key, result.result]] : [])),
		);
		for (const command of commands) {
			const { method, params } = parseCommand(encodeBatchCommand(command));
			try {
				const { outcome } = await executeCall(
					this.portal,
					method,
					resolveReferences(params, values) as Record<string, unknown>,
					this.auth,
					true,
				);
				values[command.key] = outcome.result;
				results[command.key] = { ok: true, result: outcome.result };
			} catch (error) {
				if (!(error instanceof B24Error)) throw error;
				results[command.key] = { ok: false, error: error.code, description: error.description };
			}
		}
		return results;
	}

	/** runLookups without HTTP: every command, list commands followed to their last page. */
	async lookups(commands: LookupCommand[]): Promise<Map<string, unknown>> {
		const results = new Map<string, unknown>();
		for (const command of commands) {
			const params = command.params ?? {};
			if (!command.scan) {
				results.set(command.key, await this.call(command.method, params));
				continue;
			}
			const rows: IDataObject[] = [];
			for (let last = 0; ; ) {
				const filter = { ...(params.filter as IDataObject), ...(last ? { '>ID': last } : {}) };
				const page = (await this.call(command.method, { ...params, filter })) as IDataObject[];
				rows.push(...page);
				if (page.length < PAGE_SIZE) break;
				last = Number(page[page.length - 1].ID);
			}
			results.set(command.key, rows);
		}
		return results;
	}

	async descriptions(): Promise<Record<'company' | 'contact', CrmFieldDescriptions>> {
		return {
			company: asFieldDescriptions(await this.call('crm.company.fields', {})),
			contact: asFieldDescriptions(await this.call('crm.contact.fields', {})),
		};
	}

	/** Answers the planner's reads as syncContactsLookup.ts does, from the model's state. */
	async read(read: ViewRead, settings: SyncSettings): Promise<Bitrix24View> {
		switch (read.read) {
			case 'linked': {
				const commands = linkedLookupCommands(settings.systemCode, read.ids);
				return { linked: rowsPerEntity(await this.lookups([...commands.company, ...commands.contact]), commands) };
			}
			case 'persons':
				return {
					persons: personRows(
						await this.lookups(personLookupCommands(settings.systemCode, read.companies)),
						read.companies,
					),
				};
			case 'byEmail': {
				const byEmail: NonNullable<Bitrix24View['byEmail']> = { company: new Map(), contact: new Map() };
				for (const entity of ['company', 'contact'] as const) {
					for (const query of read.records[entity]) {
						const values = (query.converted.multifields.EMAIL ?? []).map((entry) => entry.VALUE);
						const found = values.length
							? ((await this.call('crm.duplicate.findbycomm', {
									type: 'EMAIL',
									values,
									entity_type: CRM_ENTITIES[entity].typeName,
								})) as Record<string, number[]>)
							: {};
						const ids = Array.isArray(found) ? [] : (found[CRM_ENTITIES[entity].typeName] ?? []);
						const rows = ids.length
							? ((await this.call(`crm.${entity}.list`, {
									filter: { '@ID': ids },
									select: RECORD_SELECT,
								})) as IDataObject[])
							: [];
						byEmail[entity].set(query.originId, rows);
					}
				}
				return { byEmail };
			}
			case 'presets': {
				const idOf = (xmlId: string) => Number(this.portal.state.presets.find((preset) => preset.XML_ID === xmlId)?.ID);
				return {
					presets: new Map([
						['company', idOf(PRESET_XML_IDS.legalEntity)],
						['person', idOf(PRESET_XML_IDS.person)],
					]),
				};
			}
			case 'requisites': {
				const commands = requisiteLookupCommands(read.owners);
				return { requisites: requisitesByOwner(await this.lookups(commands), commands) };
			}
			case 'current': {
				const commands = currentLookupCommands(read.ids);
				const rows = rowsPerEntity(await this.lookups([...commands.company, ...commands.contact]), commands);
				const byId = (list: IDataObject[]) => new Map(list.map((row) => [Number(row.ID), row]));
				return { current: { company: byId(rows.company), contact: byId(rows.contact) } };
			}
			case 'addresses': {
				const addresses = new Map<number, Map<number, IDataObject>>();
				for (const id of read.requisiteIds) {
					const rows = (await this.call('crm.address.list', addressListParams([id]))) as IDataObject[];
					addresses.set(id, new Map(rows.map((row) => [Number(row.TYPE_ID), row])));
				}
				return { addresses };
			}
		}
	}
}
