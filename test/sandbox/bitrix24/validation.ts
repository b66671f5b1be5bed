/**
 * What Bitrix24 refuses in a record's values, so that the sync's messy-data handling is tested
 * against a portal that says no (docs/data-quality.md).
 *
 * ASSUMPTION: docs/reference/bitrix24-api.md documents neither field lengths nor e-mail checks.
 * The lengths are the column sizes of Bitrix24's CRM tables (b_crm_contact, b_crm_company,
 * b_crm_addr, b_crm_requisite, b_crm_field_multi); the sandbox refuses a longer value (a real portal
 * may cut it instead). The e-mail rule follows Bitrix24's check_email(): one @, no blanks or
 * brackets, a dot in the domain.
 */
import { crmError } from './errors';
import type { MultifieldChange } from './multifields';

export const TEXT_LIMITS = {
	CONTACT: { NAME: 50, LAST_NAME: 50, SECOND_NAME: 50 },
	COMPANY: { TITLE: 255 },
	REQUISITE: { RQ_FIRST_NAME: 50, RQ_LAST_NAME: 50, RQ_COMPANY_NAME: 255, RQ_INN: 15, RQ_VAT_ID: 20 },
	ADDRESS: { ADDRESS_1: 1024, ADDRESS_2: 1024, CITY: 128, POSTAL_CODE: 16, REGION: 128, PROVINCE: 128, COUNTRY: 128 },
} as const;

const MULTIFIELD_MAX = 250;
const EMAIL = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:".]{2,}$/;

/** Refuses a text longer than its column (characters, as MySQL utf8mb4 counts them). */
export function checkLengths(limits: Readonly<Record<string, number>>, fields: Record<string, unknown>): void {
	for (const [field, limit] of Object.entries(limits)) {
		const value = fields[field];
		if (typeof value === 'string' && [...value].length > limit) {
			throw crmError(`The field "${field}" is too long: at most ${limit} characters are allowed.`);
		}
	}
}

/** Refuses an EMAIL value that is no e-mail address, and any multifield value over its column. */
export function checkMultifields(changes: MultifieldChange[]): void {
	for (const change of changes) {
		if (change.remove || change.value === undefined) continue;
		if ([...change.value].length > MULTIFIELD_MAX)
			throw crmError(`The ${change.type ?? 'multifield'} value is too long: at most ${MULTIFIELD_MAX} characters.`);
		if (change.type === 'EMAIL' && !EMAIL.test(change.value.trim()))
			throw crmError(`E-mail address "${change.value}" is incorrect.`);
	}
}
