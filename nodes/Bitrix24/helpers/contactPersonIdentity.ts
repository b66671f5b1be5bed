/**
 * Which Bitrix24 contact is which LexOffice contact person. LexOffice gives contact persons no id
 * of their own (lexoffice-api.md §3), and matching by position overwrote the wrong Bitrix24
 * contact when persons were reordered. So a person is recognised by e-mail address first, then by
 * name; only a person recognised by neither is new and gets a fresh `<company id>:person:<n>`,
 * with an n no record of that company uses (a removed person's record is never taken over). Pure.
 */
import type { IDataObject } from 'n8n-workflow';

import { personOriginPrefix } from '../../shared/contract/links';
import type { MappedRecord } from '../../shared/contract/lexofficeToBitrix24';

export { personOriginPrefix };

const text = (value: unknown) => (value === undefined || value === null ? '' : String(value).trim());

function emailsOf(row: IDataObject): string[] {
	const list = Array.isArray(row.EMAIL) ? (row.EMAIL as IDataObject[]) : [];
	return list.map((entry) => text(entry?.VALUE).toLowerCase()).filter(Boolean);
}

const nameOf = (row: IDataObject) => `${text(row.NAME)} ${text(row.LAST_NAME)}`.trim().toLowerCase();

export interface PersonAssignment {
	/** The Bitrix24 contacts of this company's contact persons that no LexOffice person matches any more. */
	removed: number[];
}

/**
 * Sets each person's `originId` to the ORIGIN_ID of the Bitrix24 contact it is (by e-mail, then
 * name), or to a fresh one. `existing`: the company's contacts whose ORIGIN_ID has the prefix.
 */
export function assignContactPersons(
	companyId: string,
	persons: MappedRecord[],
	existing: IDataObject[],
): PersonAssignment {
	const prefix = personOriginPrefix(companyId);
	const rows = existing
		.filter((row) => text(row.ORIGIN_ID).startsWith(prefix))
		.sort((a, b) => Number(a.ID) - Number(b.ID));
	const claimed = new Set<string>();
	const assigned = new Set<MappedRecord>();
	const claim = (person: MappedRecord, row: IDataObject) => {
		claimed.add(text(row.ORIGIN_ID));
		assigned.add(person);
		person.originId = text(row.ORIGIN_ID);
	};
	const passes: Array<(person: MappedRecord, row: IDataObject) => boolean> = [
		(person, row) =>
			person.identity?.email !== '' &&
			person.identity?.email !== undefined &&
			emailsOf(row).includes(person.identity.email),
		(person, row) =>
			person.identity?.name !== '' && person.identity?.name !== undefined && nameOf(row) === person.identity.name,
	];
	for (const matches of passes) {
		for (const person of persons) {
			if (assigned.has(person)) continue;
			const row = rows.find((candidate) => !claimed.has(text(candidate.ORIGIN_ID)) && matches(person, candidate));
			if (row) claim(person, row);
		}
	}
	const used = new Set(rows.map((row) => Number(text(row.ORIGIN_ID).slice(prefix.length))).filter(Number.isInteger));
	let next = 1;
	for (const person of persons) {
		if (assigned.has(person)) continue;
		while (used.has(next)) next++;
		used.add(next);
		person.originId = `${prefix}${next}`;
	}
	return { removed: rows.filter((row) => !claimed.has(text(row.ORIGIN_ID))).map((row) => Number(row.ID)) };
}
