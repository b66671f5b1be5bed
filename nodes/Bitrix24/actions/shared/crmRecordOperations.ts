/**
 * Get, Create, Update and Delete of contacts and companies through the legacy crm.contact.* /
 * crm.company.* methods (bitrix24-api.md §4.2): UPPER_CASE fields, custom UF_CRM_* fields and
 * multifields as `*.fields` describes them.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { bitrix24Call } from '../../transport';
import type { ItemOperation } from '../../../shared/operation';
import { appendMultifieldsOption, fieldsMapperProperty, forOperation, recordIdProperty } from './crmRecordDescription';
import type { CrmEntity } from '../../helpers/crmRecordEntity';
import {
	convertMappedValues,
	fieldDescriptions,
	recordIdOf,
	withMultifieldWrites,
	type MultifieldMode,
} from '../../helpers/crmRecordFields';
import { simplifyProperty, wantsSimplified } from '../../../shared/simplify';
import { SIMPLE_CRM_FIELDS, simplifyCrmRecord } from './crmRecordSimplify';

/** `*.get` answers every field: system, custom and multifields with their IDs (§4.2). */
async function getRecord(
	this: IExecuteFunctions,
	entity: CrmEntity,
	id: number,
	itemIndex: number,
): Promise<IDataObject> {
	const answer = await bitrix24Call.call(this, `${entity.methodPrefix}.get`, { id }, { itemIndex });
	return answer.result as IDataObject;
}

export function crmGet(entity: CrmEntity): ItemOperation {
	return {
		option: {
			name: 'Get',
			value: 'get',
			description: `Get a ${entity.resource} with its e-mails, phones and custom fields`,
			action: `Get a ${entity.resource}`,
		},
		description: forOperation(entity, 'get', [
			...recordIdProperty(entity),
			simplifyProperty(SIMPLE_CRM_FIELDS[entity.resource]),
		]),
		async execute(this: IExecuteFunctions, itemIndex: number) {
			const record = await getRecord.call(this, entity, recordIdOf.call(this, itemIndex, entity), itemIndex);
			return this.helpers.returnJsonArray(
				wantsSimplified.call(this, itemIndex) ? simplifyCrmRecord(entity, record) : record,
			);
		},
	};
}

export function crmCreate(entity: CrmEntity): ItemOperation {
	return {
		option: {
			name: 'Create',
			value: 'create',
			description: `Create a ${entity.resource}`,
			action: `Create a ${entity.resource}`,
		},
		description: forOperation(entity, 'create', [fieldsMapperProperty()]),
		async execute(this: IExecuteFunctions, itemIndex: number) {
			const converted = convertMappedValues.call(this, itemIndex, await fieldDescriptions.call(this, entity));
			const fields = withMultifieldWrites(converted, undefined, 'replace');
			const answer = await bitrix24Call.call(this, `${entity.methodPrefix}.add`, { fields }, { itemIndex });
			return this.helpers.returnJsonArray(await getRecord.call(this, entity, Number(answer.result), itemIndex));
		},
	};
}

export function crmUpdate(entity: CrmEntity): ItemOperation {
	const options: INodeProperties = {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [appendMultifieldsOption],
	};
	return {
		option: {
			name: 'Update',
			value: 'update',
			description: `Update a ${entity.resource}; e-mail and phone lists replace the current ones`,
			action: `Update a ${entity.resource}`,
		},
		description: forOperation(entity, 'update', [...recordIdProperty(entity), fieldsMapperProperty(), options]),
		async execute(this: IExecuteFunctions, itemIndex: number) {
			const id = recordIdOf.call(this, itemIndex, entity);
			const converted = convertMappedValues.call(this, itemIndex, await fieldDescriptions.call(this, entity));
			const { appendMultifields } = this.getNodeParameter('options', itemIndex, {}) as { appendMultifields?: boolean };
			const mode: MultifieldMode = appendMultifields ? 'append' : 'replace';
			// The current entries' IDs are needed to change or delete them instead of adding (§4.2).
			const current =
				Object.keys(converted.multifields).length > 0 ? await getRecord.call(this, entity, id, itemIndex) : undefined;
			const fields = withMultifieldWrites(converted, current, mode);
			await bitrix24Call.call(this, `${entity.methodPrefix}.update`, { id, fields }, { itemIndex });
			return this.helpers.returnJsonArray(await getRecord.call(this, entity, id, itemIndex));
		},
	};
}

export function crmDelete(entity: CrmEntity): ItemOperation {
	return {
		option: {
			name: 'Delete',
			value: 'delete',
			description: `Delete a ${entity.resource}`,
			action: `Delete a ${entity.resource}`,
		},
		description: forOperation(entity, 'delete', [...recordIdProperty(entity)]),
		async execute(this: IExecuteFunctions, itemIndex: number) {
			const id = recordIdOf.call(this, itemIndex, entity);
			await bitrix24Call.call(this, `${entity.methodPrefix}.delete`, { id }, { itemIndex });
			return this.helpers.returnJsonArray({ id, deleted: true });
		},
	};
}
