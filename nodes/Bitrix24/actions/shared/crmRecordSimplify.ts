/** Get and Get Many of contacts and companies with Simplify (nodes/shared/simplify.ts). */
import type { IDataObject } from 'n8n-workflow';

import { pickFields } from '../../../shared/simplify';
import type { CrmEntity } from '../../helpers/crmRecordEntity';

/** bitrix24-api.md §4.2 field names; EMAIL and PHONE become the first entry's value. */
export const SIMPLE_CRM_FIELDS: Record<CrmEntity['resource'], readonly string[]> = {
	contact: [
		'ID',
		'NAME',
		'LAST_NAME',
		'COMPANY_ID',
		'EMAIL',
		'PHONE',
		'ASSIGNED_BY_ID',
		'ORIGINATOR_ID',
		'ORIGIN_ID',
		'DATE_MODIFY',
	],
	company: [
		'ID',
		'TITLE',
		'COMPANY_TYPE',
		'EMAIL',
		'PHONE',
		'ASSIGNED_BY_ID',
		'ORIGINATOR_ID',
		'ORIGIN_ID',
		'DATE_MODIFY',
	],
};

function firstValue(multifield: unknown): IDataObject[string] {
	return Array.isArray(multifield) && multifield.length > 0 ? ((multifield[0] as IDataObject).VALUE ?? null) : null;
}

export function simplifyCrmRecord(entity: CrmEntity, record: IDataObject): IDataObject {
	return pickFields(
		{ ...record, EMAIL: firstValue(record.EMAIL), PHONE: firstValue(record.PHONE) },
		SIMPLE_CRM_FIELDS[entity.resource],
	);
}
