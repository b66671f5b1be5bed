/** Upsert's parameters: the node-wide settings and what each input item contributes. */
import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { LINK_FIELDS, SYSTEM_CODE } from '../../../shared/contract/links';
import type { ConvertedFields } from '../../helpers/crmFieldValues';
import { appendMultifieldsOption, fieldNameOptionsProperty, fieldsMapperProperty } from './crmRecordDescription';
import type { CrmEntity } from '../../helpers/crmRecordEntity';
import type { MultifieldMode } from '../../helpers/crmRecordFields';

export type MatchBy = 'email' | 'field' | 'requisiteField';

export interface Matcher {
	by: MatchBy;
	/** The entity field (by field) or requisite field (by requisiteField) compared. */
	field: string;
	/** How the output names it: email, field:UF_CRM_…, requisite:RQ_VAT_ID. */
	label: string;
}

export interface UpsertSettings {
	systemCode: string;
	dryRun: boolean;
	mode: MultifieldMode;
	matchers: Matcher[];
}

export interface UpsertItem {
	itemIndex: number;
	originId: string;
	originVersion: string;
	/** The raw Value of each matching rule for this item, in rule order. */
	matchValues: string[];
	converted?: ConvertedFields;
	error?: Error;
}

/** ORIGINATOR_ID/ORIGIN_ID/ORIGIN_VERSION: the record's link to the external system (§4.2, §4.4). */
export const IDENTITY_FIELDS = LINK_FIELDS;

export function upsertProperties(entity: CrmEntity): INodeProperties[] {
	return [
		{
			displayName: 'System Code',
			name: 'systemCode',
			type: 'string',
			required: true,
			default: SYSTEM_CODE,
			description:
				'Names the system the records come from; stored as ORIGINATOR_ID. Records of other systems are never taken for this one.',
		},
		{
			displayName: 'External ID',
			name: 'originId',
			type: 'string',
			required: true,
			default: '={{ $json.id }}',
			description: `The ${entity.resource}'s ID in the external system; stored as ORIGIN_ID and used to find the record again`,
		},
		{
			displayName: 'External Version',
			name: 'originVersion',
			type: 'string',
			default: '={{ $json.version }}',
			description:
				'The version of the external record; stored as ORIGIN_VERSION. A record whose stored version equals it is left unchanged (no write). Leave empty to always update.',
		},
		fieldsMapperProperty(),
		{
			displayName: 'Match Existing Records By',
			name: 'matching',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true, sortable: true },
			placeholder: 'Add Matching Rule',
			default: {},
			description:
				'Ways to find a record that exists in Bitrix24 but has no external ID yet, tried in this order after the external ID. The first rule that finds one adopts it (and stores the external ID); with several hits the lowest ID wins.',
			options: [
				{
					displayName: 'Rule',
					name: 'rules',
					values: [
						{
							displayName: 'Match By',
							name: 'by',
							type: 'options',
							default: 'email',
							options: [
								{
									name: 'Email',
									value: 'email',
									description: 'Any e-mail address of the item (crm.duplicate.findbycomm)',
								},
								{
									name: 'Field Value',
									value: 'field',
									description: `A field of the ${entity.resource}, e.g. a customer number`,
								},
								{
									name: 'Requisite Field',
									value: 'requisiteField',
									description: `A field of the ${entity.resource}'s requisites, e.g. the VAT ID`,
								},
							],
						},
						{
							...fieldNameOptionsProperty('Field Name or ID', 'field', 'The field to compare'),
							displayOptions: { show: { by: ['field'] } },
						},
						{
							displayName: 'Requisite Field',
							name: 'requisiteField',
							type: 'string',
							default: 'RQ_VAT_ID',
							description: 'The requisite field to compare, e.g. RQ_VAT_ID or RQ_INN',
							displayOptions: { show: { by: ['requisiteField'] } },
						},
						{
							displayName: 'Value',
							name: 'value',
							type: 'string',
							default: '',
							description: 'The value to look for. For Email, leave empty to use the EMAIL values mapped above.',
						},
					],
				},
			],
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				appendMultifieldsOption,
				{
					displayName: 'Dry Run',
					name: 'dryRun',
					type: 'boolean',
					default: false,
					description: 'Whether to only report what would happen (created, updated, …) without writing anything',
				},
			],
		},
	];
}

interface RuleParameter {
	by?: MatchBy;
	field?: string;
	requisiteField?: string;
	value?: unknown;
}

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Node-wide settings, checked before anything is read or written. */
export function readSettings(this: IExecuteFunctions): UpsertSettings {
	const node = this.getNode();
	const systemCode = String(this.getNodeParameter('systemCode', 0, '') ?? '').trim();
	if (!systemCode) {
		throw new NodeOperationError(node, 'System Code is empty', {
			description:
				"Enter a short code for the source system, e.g. lexoffice. It tells this system's records apart from others.",
		});
	}
	const options = this.getNodeParameter('options', 0, {}) as { dryRun?: boolean; appendMultifields?: boolean };
	const rules = this.getNodeParameter('matching.rules', 0, []) as RuleParameter[];
	const matchers = rules.map((rule, index): Matcher => {
		const by = rule.by ?? 'email';
		if (by === 'email') return { by, field: 'EMAIL', label: 'email' };
		const field = String((by === 'field' ? rule.field : rule.requisiteField) ?? '').trim();
		if (!FIELD_NAME.test(field)) {
			throw new NodeOperationError(node, `Matching rule ${index + 1} has no valid field`, {
				description:
					by === 'field' ? 'Pick the field to compare in the rule.' : 'Enter the requisite field name, e.g. RQ_VAT_ID.',
			});
		}
		return { by, field, label: by === 'field' ? `field:${field}` : `requisite:${field}` };
	});
	return {
		systemCode,
		dryRun: Boolean(options.dryRun),
		mode: options.appendMultifields ? 'append' : 'replace',
		matchers,
	};
}

const text = (value: unknown) => (value === undefined || value === null ? '' : String(value).trim());

/** One item's identity and rule values; a missing external ID is this item's error. */
export function readItem(this: IExecuteFunctions, itemIndex: number, settings: UpsertSettings): UpsertItem {
	const originId = text(this.getNodeParameter('originId', itemIndex, ''));
	const originVersion = text(this.getNodeParameter('originVersion', itemIndex, ''));
	const rules = settings.matchers.length
		? (this.getNodeParameter('matching.rules', itemIndex, []) as RuleParameter[])
		: [];
	const item: UpsertItem = { itemIndex, originId, originVersion, matchValues: rules.map((rule) => text(rule.value)) };
	if (!originId) {
		item.error = new NodeOperationError(this.getNode(), 'External ID is empty for this item', {
			itemIndex,
			description:
				'The External ID expression gave no value. Point it at the field holding the external ID, e.g. {{ $json.id }}.',
		});
	}
	return item;
}
