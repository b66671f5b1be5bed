import type { IDataObject } from 'n8n-workflow';

import { lexofficeContactOf, type Bitrix24RecordType } from '../../shared/contract/bitrix24ToLexoffice';
import type { MappingError } from '../../shared/contract/mappingError';
import { SALUTATION_MAX, newContactBody, type ContactChanges } from './contacts';
import type { InputCheck } from './input';

export { detectRecordType, recordEmails, type Bitrix24RecordType } from '../../shared/contract/bitrix24ToLexoffice';

export interface Bitrix24RecordBody {
	kind: 'person' | 'company';
	body: IDataObject;
	/** What LexOffice could not take, e.g. `EMAIL "b@x.de" (WORK): no free e-mail kind`. */
	leftOut: string[];
}

/**
 * The LexOffice create body for a Bitrix24 record (the mapping is nodes/shared/contract/
 * bitrix24ToLexoffice.ts). Throws a NodeOperationError naming the Bitrix24 field when LexOffice
 * would refuse the contact, e.g. a company without TITLE.
 */
export function contactFromBitrix24(
	check: InputCheck,
	record: IDataObject,
	type: Bitrix24RecordType,
	{ salutation }: { salutation?: string } = {},
): Bitrix24RecordBody {
	let mapped;
	try {
		mapped = lexofficeContactOf(record, type);
	} catch (error) {
		// The mapping throws nothing else: every refusal names its Bitrix24 field.
		const { message, fix } = error as MappingError;
		return check.fail(message, fix);
	}
	const changes: ContactChanges = { ...mapped.draft };
	if (type !== 'company') {
		const checkedSalutation = check.text(salutation, 'Salutation', { max: SALUTATION_MAX });
		if (checkedSalutation) changes.salutation = checkedSalutation;
	}
	return { kind: mapped.kind, body: newContactBody(check, mapped.kind, changes), leftOut: mapped.leftOut };
}
