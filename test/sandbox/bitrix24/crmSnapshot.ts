/**
 * Bitrix24's CRM content keyed by the records' external identity (ORIGIN_ID, requisite XML_ID),
 * without the ids and timestamps that differ between runs: two imports of the same data give equal
 * snapshots, and a lost, duplicated or half-written record shows up as a difference.
 */
import type { Bitrix24State } from './state';

type Row = Record<string, unknown>;

export const sortedEntries = (list: unknown) =>
	((list as Array<{ VALUE: string; VALUE_TYPE: string }> | undefined) ?? [])
		.map((entry) => `${entry.VALUE_TYPE} ${entry.VALUE}`)
		.sort();

export function crmSnapshot(state: Pick<Bitrix24State, 'companies' | 'contacts' | 'requisites' | 'addresses'>) {
	const originOf = new Map<string, unknown>([
		...state.companies.map((row): [string, unknown] => [`4:${row.ID}`, row.ORIGIN_ID]),
		...state.contacts.map((row): [string, unknown] => [`3:${row.ID}`, row.ORIGIN_ID]),
	]);
	const record = (row: Row) => ({
		origin: row.ORIGIN_ID,
		version: row.ORIGIN_VERSION ?? null,
		title: row.TITLE ?? null,
		name: [row.NAME, row.LAST_NAME].join(' '),
		comments: row.COMMENTS ?? null,
		assignedTo: row.ASSIGNED_BY_ID ?? null,
		company: row.COMPANY_ID ? originOf.get(`4:${String(row.COMPANY_ID)}`) : null,
		emails: sortedEntries(row.EMAIL),
		phones: sortedEntries(row.PHONE),
	});
	const requisiteKey = new Map(state.requisites.map((row) => [row.ID, row.XML_ID]));
	const byOrigin = (a: { origin: unknown }, b: { origin: unknown }) => String(a.origin).localeCompare(String(b.origin));
	return {
		companies: state.companies.map(record).sort(byOrigin),
		contacts: state.contacts.map(record).sort(byOrigin),
		requisites: state.requisites
			.map((row) => ({
				key: row.XML_ID,
				owner: originOf.get(`${String(row.ENTITY_TYPE_ID)}:${String(row.ENTITY_ID)}`),
				preset: row.PRESET_ID,
				fields: Object.fromEntries(Object.entries(row).filter(([field]) => field.startsWith('RQ_'))),
			}))
			.sort((a, b) => String(a.key).localeCompare(String(b.key))),
		addresses: state.addresses
			.map(
				(row) =>
					`${String(requisiteKey.get(row.ENTITY_ID))} ${row.TYPE_ID} ${row.ADDRESS_1} ${row.POSTAL_CODE} ${row.CITY} ${row.COUNTRY}`,
			)
			.sort(),
	};
}

export type CrmSnapshot = ReturnType<typeof crmSnapshot>;

/** How two snapshots differ, in a few words per section (empty when equal), for a bench's table. */
export function snapshotDifferences(actual: CrmSnapshot, expected: CrmSnapshot): string[] {
	return (Object.keys(expected) as Array<keyof CrmSnapshot>).flatMap((section) => {
		const a = actual[section].map((entry) => JSON.stringify(entry));
		const e = expected[section].map((entry) => JSON.stringify(entry));
		const missing = e.filter((entry) => !a.includes(entry)).length;
		const extra = a.filter((entry) => !e.includes(entry)).length;
		return missing || extra || a.length !== e.length
			? [`${section}: ${a.length} vs ${e.length} expected, ${missing} missing or different, ${extra} extra`]
			: [];
	});
}
