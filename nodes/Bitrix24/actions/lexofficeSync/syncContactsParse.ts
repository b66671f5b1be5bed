/**
 * Sync Contacts, first steps: an input item becomes a mapped LexOffice contact (parse), later
 * inputs for the same contact win (skipRepeated), and its values take the portal's field formats
 * (convert). A problem of one item makes that item `failed`, naming its id, the field and the fix.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { CrmFieldDescriptions } from '../../helpers/crmFieldSchema';
import { FieldValueError, toBitrix24Fields } from '../../helpers/crmFieldValues';
import {
	lexofficeContactSchema,
	mapLexofficeContact,
	MappingError,
	type MappedContact,
	type MappedRecord,
} from '../../../shared/contract/lexofficeToBitrix24';
import { originVersion } from '../../../shared/contract/links';
import { IDENTITY_FIELDS } from '../shared/crmRecordUpsertInput';
import type {
	ConvertedItem,
	ConvertedRecord,
	FailedItem,
	GivenIdentity,
	ItemFailure,
	ParsedItem,
	ParseOutcome,
	SkippedItem,
	SyncSettings,
} from './syncContactsSteps';

const INPUT_HINT =
	'Map the LexOffice contact object, e.g. {{ $json }} after LexOffice → Get Many, or {{ $json.resource }} after the LexOffice Trigger.';

/** Any error as an item's failure: its message and, where it has one, its description (n8n's errors do). */
function failureOf(error: unknown): ItemFailure {
	const { message, description } = error as { message?: unknown; description?: unknown };
	return { message: String(message), ...(typeof description === 'string' && description ? { description } : {}) };
}

type Read<T> = { ok: true; value: T } | { ok: false; failure: ItemFailure };
const refused = (failure: ItemFailure): Read<never> => ({ ok: false, failure });

/** The LexOffice contact as given: an object, or JSON text. */
function contactParameter(this: IExecuteFunctions, itemIndex: number): Read<unknown> {
	const raw = this.getNodeParameter('contact', itemIndex) as unknown;
	if (typeof raw !== 'string') return { ok: true, value: raw };
	try {
		return { ok: true, value: JSON.parse(raw) as unknown };
	} catch {
		return refused({ message: '"LexOffice Contact" is not valid JSON', description: INPUT_HINT });
	}
}

/** A LexOffice contact as the Bitrix24 records it becomes (pure), or the failure naming its id, the field and the fix. */
export function mapContact(raw: unknown, settings: SyncSettings): Read<MappedContact> {
	const rawId = typeof raw === 'object' && raw !== null ? (raw as IDataObject).id : undefined;
	const who = typeof rawId === 'string' && rawId ? `LexOffice contact ${rawId}` : '"LexOffice Contact"';
	const parsed = lexofficeContactSchema.safeParse(raw);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		const path = issue.path.join('.') || '(the contact)';
		return refused({
			message: `${who} is not a LexOffice contact as expected: ${path}: ${issue.message}`,
			description: `${INPUT_HINT} If it is one, correct ${path} in LexOffice.`,
		});
	}
	try {
		return { ok: true, value: mapLexofficeContact(parsed.data, settings.mapping) };
	} catch (error) {
		const fix = error instanceof MappingError ? error.fix : undefined;
		return refused({
			message: `LexOffice contact ${parsed.data.id}: ${(error as Error).message}`,
			...(fix ? { description: fix } : {}),
		});
	}
}

/** The item's values of "Extra Company Fields" / "Extra Contact Fields"; they win over the built-in mapping. */
function extraFields(this: IExecuteFunctions, itemIndex: number, kind: MappedContact['kind']): IDataObject {
	const values = this.getNodeParameter(
		`${kind === 'company' ? 'companyFields' : 'contactFields'}.value`,
		itemIndex,
		{},
	) as IDataObject | null;
	const extra: IDataObject = {};
	for (const [field, value] of Object.entries(values ?? {})) {
		if (value !== undefined && value !== null && !IDENTITY_FIELDS.includes(field as (typeof IDENTITY_FIELDS)[number]))
			extra[field] = value;
	}
	return extra;
}

/** What an unreadable item still says about itself, so its failure is named and counted where it belongs. */
function givenIdentity(raw: unknown): GivenIdentity | undefined {
	if (typeof raw !== 'object' || raw === null) return undefined;
	const { id, company, person } = raw as IDataObject;
	return {
		id: typeof id === 'string' && id ? id : undefined,
		entity: company ? 'company' : person ? 'contact' : undefined,
	};
}

/**
 * Parse (pure): a LexOffice contact as given, with its extra fields and the mapping hash in its
 * version. `extraFor` gives the item's "Extra Company/Contact Fields" for the contact's kind.
 */
export function parseContact(
	itemIndex: number,
	raw: unknown,
	settings: SyncSettings,
	extraFor: (kind: MappedContact['kind']) => IDataObject,
): ParseOutcome {
	const mapped = mapContact(raw, settings);
	if (!mapped.ok) return { step: 'failed', itemIndex, given: givenIdentity(raw), failure: mapped.failure };
	Object.assign(mapped.value.record.fields, extraFor(mapped.value.kind));
	const versioned = { ...mapped.value, version: originVersion(mapped.value.version, settings.mappingFingerprint) };
	if (settings.skipArchived && versioned.archived)
		return { step: 'skipped', itemIndex, mapped: versioned, reason: 'archived in LexOffice' };
	return { step: 'parsed', itemIndex, mapped: versioned };
}

/** Parse the input item's parameters. */
export function parseItem(this: IExecuteFunctions, itemIndex: number, settings: SyncSettings): ParseOutcome {
	let raw: unknown;
	try {
		const given = contactParameter.call(this, itemIndex);
		if (!given.ok) return { step: 'failed', itemIndex, failure: given.failure };
		raw = given.value;
		return parseContact(itemIndex, raw, settings, (kind) => extraFields.call(this, itemIndex, kind));
	} catch (error) {
		// An expression in the item's parameters that n8n could not evaluate.
		return { step: 'failed', itemIndex, given: givenIdentity(raw), failure: failureOf(error) };
	}
}

const lexofficeVersion = (item: ParsedItem) => parseInt(item.mapped.version, 10);
const repeated = (item: ParsedItem): SkippedItem => ({
	...item,
	step: 'skipped',
	reason: 'a newer version of this contact is in the same input',
});

/** The later of two inputs for the same LexOffice contact wins; the other is reported as skipped. */
export function skipRepeated(items: ParseOutcome[]): ParseOutcome[] {
	const result = [...items];
	const latest = new Map<string, { position: number; item: ParsedItem }>();
	items.forEach((item, position) => {
		if (item.step !== 'parsed' || !item.mapped.lexofficeId) return;
		const previous = latest.get(item.mapped.lexofficeId);
		if (previous && lexofficeVersion(previous.item) > lexofficeVersion(item)) {
			result[position] = repeated(item);
			return;
		}
		if (previous) result[previous.position] = repeated(previous.item);
		latest.set(item.mapped.lexofficeId, { position, item });
	});
	return result;
}

function convertRecord(
	record: MappedRecord,
	version: string,
	descriptions: CrmFieldDescriptions,
): Read<ConvertedRecord> {
	try {
		return {
			ok: true,
			value: { mapped: record, version, converted: toBitrix24Fields(descriptions, record.fields as IDataObject) },
		};
	} catch (error) {
		if (!(error instanceof FieldValueError)) return refused(failureOf(error));
		return refused({
			message: error.message,
			description: `Check the fields named in Sync Contacts (Customer or Vendor Number Field, Extra Company or Contact Fields; reload their field list if the portal changed): the Bitrix24 ${record.entity} has no field ${error.field}.`,
		});
	}
}

/** Convert: the contact's records in the formats of the portal's live field list; the first value that fails fails the item. */
export function convertItem(
	item: ParsedItem,
	descriptions: Record<MappedRecord['entity'], CrmFieldDescriptions>,
): ConvertedItem | FailedItem {
	const { mapped } = item;
	const records: ConvertedRecord[] = [];
	// Contact persons are always rewritten with their company, so they carry no version of their own.
	for (const [record, version] of [
		[mapped.record, mapped.version],
		...mapped.contactPersons.map((person) => [person, ''] as const),
	] as const) {
		const converted = convertRecord(record, version, descriptions[record.entity]);
		if (!converted.ok) return { ...item, step: 'failed', failure: converted.failure };
		records.push(converted.value);
	}
	const [record, ...persons] = records;
	return { ...item, step: 'converted', record, persons };
}
