/**
 * Field lists of contacts and companies, live from crm.contact.fields / crm.company.fields
 * (bitrix24-api.md §4.2, §4.4): the mapping form of Create/Update/Upsert and field dropdowns.
 */
import {
	NodeOperationError,
	type ILoadOptionsFunctions,
	type INodePropertyOptions,
	type ResourceMapperFields,
} from 'n8n-workflow';

import { CRM_ENTITIES, crmEntityOf, type CrmEntity } from '../helpers/crmRecordEntity';
import { fieldDescriptions } from '../helpers/crmRecordFields';
import { LINK_FIELDS } from '../../shared/contract/links';
import { fieldLabel, toResourceMapperFields, type CrmFieldDescriptions } from '../helpers/crmFieldSchema';
import { bitrix24Batch } from '../transport';

function entityOfNode(this: ILoadOptionsFunctions): CrmEntity {
	const entity = crmEntityOf(this.getNodeParameter('resource', 'contact'));
	if (entity) return entity;
	throw new NodeOperationError(this.getNode(), 'These fields exist for the Contact and Company resources only');
}

/**
 * The values of each crm_status directory the fields use (HONORIFIC, CONTACT_TYPE, SOURCE …), in
 * one batch request (§11). A directory that cannot be read leaves its field a text field.
 */
async function statusOptions(
	this: ILoadOptionsFunctions,
	descriptions: CrmFieldDescriptions,
): Promise<Record<string, INodePropertyOptions[]>> {
	const directories = [
		...new Set(
			Object.values(descriptions)
				.filter((description) => description.type === 'crm_status' && description.statusType)
				.map((description) => description.statusType as string),
		),
	];
	if (directories.length === 0) return {};
	const answers = await bitrix24Batch.call(
		this,
		directories.map((entityId, index) => ({
			key: `status${index}`,
			method: 'crm.status.entity.items',
			params: { entityId },
		})),
	);
	const options: Record<string, INodePropertyOptions[]> = {};
	directories.forEach((directory, index) => {
		const answer = answers[`status${index}`];
		if (!answer.ok || !Array.isArray(answer.result)) return;
		options[directory] = (answer.result as Array<{ NAME?: unknown; STATUS_ID?: unknown }>)
			.filter((entry) => entry.STATUS_ID !== undefined && entry.STATUS_ID !== null)
			.map((entry) => ({ name: String(entry.NAME ?? entry.STATUS_ID), value: String(entry.STATUS_ID) }));
	});
	return options;
}

async function mapperFields(
	this: ILoadOptionsFunctions,
	entity: CrmEntity,
	options: { enforceRequired: boolean; managedFields: readonly string[] },
): Promise<ResourceMapperFields> {
	const descriptions = await fieldDescriptions.call(this, entity);
	const fields = toResourceMapperFields(descriptions, {
		...options,
		statusOptions: await statusOptions.call(this, descriptions),
	});
	return {
		fields,
		emptyFieldsNotice: `Bitrix24 returned no ${entity.resource} fields. Check the credential's CRM permission.`,
	};
}

export async function getCrmRecordFields(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const operation = this.getNodeParameter('operation', 'create') as string;
	return await mapperFields.call(this, entityOfNode.call(this), {
		enforceRequired: operation !== 'update',
		managedFields: operation === 'upsert' ? LINK_FIELDS : [],
	});
}

/** Sync Contacts' extra fields: nothing is required (the built-in mapping fills the record). */
const SYNC_MANAGED_FIELDS = [...LINK_FIELDS, 'COMPANY_ID'];

export async function getSyncCompanyFields(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	return await mapperFields.call(this, CRM_ENTITIES.company, {
		enforceRequired: false,
		managedFields: SYNC_MANAGED_FIELDS,
	});
}

export async function getSyncContactFields(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	return await mapperFields.call(this, CRM_ENTITIES.contact, {
		enforceRequired: false,
		managedFields: SYNC_MANAGED_FIELDS,
	});
}

export async function getCrmRecordFieldNames(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const descriptions = await fieldDescriptions.call(this, entityOfNode.call(this));
	return Object.entries(descriptions)
		.map(([id, description]) => ({ name: fieldLabel(id, description), value: id }))
		.sort((a, b) => a.name.localeCompare(b.name));
}

export const crmLoadOptions = { getCrmRecordFieldNames };
export const crmResourceMapping = { getCrmRecordFields, getSyncCompanyFields, getSyncContactFields };
