import { jsonParse, NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { bitrix24ScanAll, collectRows } from '../../transport';
import type { ItemOperation } from '../../../shared/operation';
import { fieldNameOptionsProperty, forOperation } from './crmRecordDescription';
import type { CrmEntity } from '../../helpers/crmRecordEntity';
import { returnAllOrLimit } from '../../../shared/descriptions';
import { simplifyProperty, wantsSimplified } from '../../../shared/simplify';
import { SIMPLE_CRM_FIELDS, simplifyCrmRecord } from './crmRecordSimplify';

/**
 * §4.2: `*` is every system field except multifields, `UF_*` adds custom fields, multifields only
 * when named. Without a choice the user gets what Get returns.
 */
const DEFAULT_SELECT = ['*', 'UF_*', 'EMAIL', 'PHONE', 'WEB', 'IM'];

function jsonFilterOf(this: IExecuteFunctions, itemIndex: number, raw: unknown): IDataObject {
	if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) return {};
	const parsed =
		typeof raw === 'string' ? jsonParse<unknown>(raw, { errorMessage: 'The JSON Filter is not valid JSON' }) : raw;
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw new NodeOperationError(this.getNode(), 'The JSON Filter must be a JSON object', {
			itemIndex,
			description: 'Write it like {">DATE_MODIFY": "2024-01-01", "TYPE_ID": "CLIENT"}',
		});
	}
	return parsed as IDataObject;
}

export function crmGetMany(entity: CrmEntity): ItemOperation {
	const plural = entity.resource === 'company' ? 'companies' : 'contacts';
	return {
		option: {
			name: 'Get Many',
			value: 'getMany',
			description: `Get many ${plural}, filtered`,
			action: `Get many ${plural}`,
		},
		description: forOperation(entity, 'getMany', [
			...returnAllOrLimit,
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Filter',
				default: {},
				description: 'Only records whose field equals the value (all conditions must hold)',
				options: [
					{
						displayName: 'Condition',
						name: 'conditions',
						values: [
							fieldNameOptionsProperty('Field Name or ID', 'field', 'The field to compare'),
							{ displayName: 'Value', name: 'value', type: 'string', default: '' },
						],
					},
				],
			},
			simplifyProperty(SIMPLE_CRM_FIELDS[entity.resource], '. Fields chosen in Options are returned as chosen.'),
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Field Names or IDs',
						name: 'select',
						type: 'multiOptions',
						typeOptions: { loadOptionsMethod: 'getCrmRecordFieldNames', loadOptionsDependsOn: ['resource'] },
						default: [],
						description:
							'Fields to return (default: all, with e-mails, phones and custom fields). Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
					{
						displayName: 'JSON Filter',
						name: 'jsonFilter',
						type: 'json',
						default: '{}',
						description:
							'A Bitrix24 filter object with prefix operators, e.g. {">DATE_MODIFY": "2024-01-01", "%LAST_NAME": "Müll"}. Combined with the filters above. Legacy lists do not support "logic" groups.',
					},
				],
			},
		]),
		async execute(this: IExecuteFunctions, itemIndex: number) {
			const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
			const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex) as number);
			const { conditions = [] } = this.getNodeParameter('filters', itemIndex, {}) as {
				conditions?: Array<{ field: string; value: string }>;
			};
			const options = this.getNodeParameter('options', itemIndex, {}) as { select?: string[]; jsonFilter?: unknown };
			const filter: IDataObject = { ...jsonFilterOf.call(this, itemIndex, options.jsonFilter) };
			for (const { field, value } of conditions) {
				if (!field) {
					throw new NodeOperationError(this.getNode(), 'A filter condition has no field', {
						itemIndex,
						description: 'Pick the field to compare in Filters, or remove the empty condition.',
					});
				}
				filter[field] = value;
			}
			// The fast scan pages by ID, so ID is always selected (§2 "Fast full scan").
			const chosen = Boolean(options.select?.length);
			const select = chosen ? [...new Set(['ID', ...options.select!])] : DEFAULT_SELECT;
			const rows = await collectRows(
				bitrix24ScanAll.call(this, `${entity.methodPrefix}.list`, { filter, select }, { itemIndex, limit }),
			);
			const simplify = !chosen && wantsSimplified.call(this, itemIndex);
			return this.helpers.returnJsonArray(simplify ? rows.map((row) => simplifyCrmRecord(entity, row)) : rows);
		},
	};
}
