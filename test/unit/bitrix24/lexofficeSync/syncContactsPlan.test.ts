/**
 * Sync Contacts' pure steps, table-tested without HTTP: parse, what the planner reads and in which
 * order, its decisions and commands for each situation a contact can be in (also after an earlier
 * run stopped halfway), and the write step's stamps and failures.
 */
import type { IDataObject } from 'n8n-workflow';

import { DEFAULT_KEEPS, type Bitrix24Keeps } from '../../../../nodes/shared/contract/bitrix24Keeps';

import type { CrmFieldDescriptions } from '../../../../nodes/Bitrix24/helpers/crmFieldSchema';
import type { BatchCommand, BatchCommandResult } from '../../../../nodes/Bitrix24/transport';
import {
	convertItem,
	parseContact,
	skipRepeated,
} from '../../../../nodes/Bitrix24/actions/lexofficeSync/syncContactsParse';
import {
	planChunk,
	planWith,
	type Bitrix24View,
	type ViewRead,
} from '../../../../nodes/Bitrix24/actions/lexofficeSync/syncContactsPlan';
import type {
	ConvertedItem,
	PlanOutcome,
	SyncSettings,
	WriteItem,
} from '../../../../nodes/Bitrix24/actions/lexofficeSync/syncContactsSteps';
import { stampCommands, withWriteResults } from '../../../../nodes/Bitrix24/actions/lexofficeSync/syncContactsWrite';
import { outcomeOf } from '../../../../nodes/Bitrix24/actions/lexofficeSync/syncContactsReport';

const SETTINGS: SyncSettings = {
	systemCode: 'lexoffice',
	mappingFingerprint: 'fp000001',
	dryRun: false,
	skipArchived: true,
	matchByEmail: true,
	billingAddressTypeId: 6,
	shippingAddressTypeId: 11,
	mapping: { responsibleUserId: 3, customerNumberField: '', vendorNumberField: '', countryNameLanguage: 'de' },
	keeps: DEFAULT_KEEPS,
};
const COMPANY_PRESET = 11;
const PERSON_PRESET = 12;

const text = { type: 'string' };
const multifield = { type: 'crm_multifield', isMultiple: true };
const DESCRIPTIONS: Record<'company' | 'contact', CrmFieldDescriptions> = {
	company: { TITLE: text, COMMENTS: text, EMAIL: multifield, PHONE: multifield, ASSIGNED_BY_ID: { type: 'user' } },
	contact: {
		NAME: text,
		LAST_NAME: text,
		COMMENTS: text,
		EMAIL: multifield,
		PHONE: multifield,
		ASSIGNED_BY_ID: { type: 'user' },
	},
};

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const version = (n: number) => `${n}/${SETTINGS.mappingFingerprint}`;
const billing = { billing: [{ street: 'Hauptstr. 1', zip: '10115', city: 'Berlin', countryCode: 'DE' }] };

const person = (n: number, extra: IDataObject = {}): IDataObject => ({
	id: id(n),
	version: 2,
	person: { firstName: 'Inge', lastName: `Muster${n}` },
	emailAddresses: { business: [`inge${n}@example.de`] },
	addresses: billing,
	archived: false,
	...extra,
});
const company = (n: number, persons: Array<[string, string, string?]> = [], extra: IDataObject = {}): IDataObject => ({
	id: id(n),
	version: 2,
	company: {
		name: `Firma ${n} GmbH`,
		contactPersons: persons.map(([firstName, lastName, emailAddress]) => ({
			firstName,
			lastName,
			...(emailAddress ? { emailAddress } : {}),
		})),
	},
	addresses: billing,
	archived: false,
	...extra,
});

function converted(...contacts: IDataObject[]): ConvertedItem[] {
	return contacts.map((raw, itemIndex) => {
		const parsed = parseContact(itemIndex, raw, SETTINGS, () => ({}));
		if (parsed.step !== 'parsed') throw new Error(`not parsed: ${JSON.stringify(parsed)}`);
		const item = convertItem(parsed, DESCRIPTIONS);
		if (item.step !== 'converted') throw new Error(item.failure.message);
		return item;
	});
}

/** A Bitrix24 record as the lookups return it. */
const row = (ID: number, ORIGIN_ID: string, ORIGIN_VERSION: string, extra: IDataObject = {}): IDataObject => ({
	ID,
	ORIGINATOR_ID: ORIGIN_ID ? 'lexoffice' : '',
	ORIGIN_ID,
	ORIGIN_VERSION,
	...extra,
});
const email = (ID: number, VALUE: string) => ({ EMAIL: [{ ID: String(ID), VALUE, VALUE_TYPE: 'WORK' }] });

/** Everything read, nothing found unless given: the planner plans at once. */
const complete = (view: Bitrix24View): Bitrix24View => ({
	linked: { company: [], contact: [] },
	persons: new Map(),
	byEmail: { company: new Map(), contact: new Map() },
	presets: new Map([
		['company', COMPANY_PRESET],
		['person', PERSON_PRESET],
	]),
	requisites: new Map(),
	addresses: new Map(),
	...view,
});

function plan(items: ConvertedItem[], view: Bitrix24View = {}, settings = SETTINGS): PlanOutcome[] {
	const step = planChunk(items, complete(view), settings);
	if (step.kind !== 'plan') throw new Error(`the planner still asks for ${step.read.read}`);
	return step.items;
}
const written = (outcome: PlanOutcome): WriteItem => {
	if (outcome.step !== 'write') throw new Error(`expected a write, got ${JSON.stringify(outcome)}`);
	return outcome;
};
const brief = (commands: BatchCommand[]) =>
	commands.map((command) => [command.key, command.method, command.params?.id ?? null].join(' ').trim());
const fieldsOf = (command: BatchCommand | undefined) => (command?.params?.fields ?? {}) as IDataObject;

describe('Sync Contacts planner: what it reads, and in which order', () => {
	/** A chunk with a new person, a changed company with a contact person, and a current person. */
	const items = converted(
		person(1),
		company(2, [
			['Anna', 'Alt', 'anna@firma.example'],
			['Neu', 'Person', 'neu@firma.example'],
		]),
		person(3),
	);
	const everything = complete({
		linked: { company: [row(500, id(2), version(1))], contact: [row(600, id(3), version(2))] },
		persons: new Map([
			[
				id(2),
				[row(601, `${id(2)}:person:1`, '', { NAME: 'Anna', LAST_NAME: 'Alt', ...email(1, 'anna@firma.example') })],
			],
		]),
		requisites: new Map([
			['4:500', [{ ID: 700, ENTITY_TYPE_ID: 4, ENTITY_ID: 500, PRESET_ID: COMPANY_PRESET, XML_ID: id(2) }]],
		]),
		addresses: new Map([[700, new Map()]]),
	});
	const recorded = async (view: Bitrix24View, settings = SETTINGS) => {
		const reads: ViewRead[] = [];
		const outcomes = await planWith(items, settings, async (read) => {
			reads.push(read);
			return { [read.read]: view[read.read] };
		});
		return { reads, outcomes };
	};

	it('reads records by link, then contact persons of companies written, e-mail matches of records not found, templates, requisites of records that exist, their addresses', async () => {
		const { reads, outcomes } = await recorded(everything);
		expect(reads.map((read) => read.read)).toEqual([
			'linked',
			'persons',
			'byEmail',
			'presets',
			'requisites',
			'addresses',
		]);
		expect(reads[0]).toEqual({ read: 'linked', ids: { company: [id(2)], contact: [id(1), id(3)] } });
		expect(reads[1]).toEqual({ read: 'persons', companies: [{ itemIndex: 1, lexofficeId: id(2) }] });
		const byEmail = reads[2] as Extract<ViewRead, { read: 'byEmail' }>;
		// The new person and the company's new contact person; Anna was found by her e-mail among the company's persons.
		expect(byEmail.records.contact.map((record) => record.originId)).toEqual([id(1), `${id(2)}:person:2`]);
		expect(byEmail.records.company).toEqual([]);
		expect(reads[4]).toMatchObject({
			read: 'requisites',
			owners: [{ ownerEntityTypeId: 4, ownerId: 500, externalKey: id(2) }],
		});
		expect(reads[5]).toEqual({ read: 'addresses', requisiteIds: [700] });
		expect(outcomes.map((outcome) => outcome.step)).toEqual(['write', 'write', 'unchanged']);
	});

	it('reads nothing but the links when every contact is current', async () => {
		const current = complete({
			linked: {
				company: [row(500, id(2), version(2))],
				contact: [row(599, id(1), version(2)), row(600, id(3), version(2))],
			},
		});
		const { reads, outcomes } = await recorded(current);
		expect(reads.map((read) => read.read)).toEqual(['linked']);
		expect(outcomes).toMatchObject([
			{ step: 'unchanged', id: 599 },
			{ step: 'unchanged', id: 500 },
			{ step: 'unchanged', id: 600 },
		]);
	});

	it('searches no e-mail with Match Existing Records by Email off', async () => {
		const { reads } = await recorded(everything, { ...SETTINGS, matchByEmail: false });
		expect(reads.map((read) => read.read)).not.toContain('byEmail');
	});
});

describe('Sync Contacts planner: decisions and commands', () => {
	it('a new person: the record, then its requisite and billing address linked by $result, no ORIGIN_VERSION', () => {
		const write = written(plan(converted(person(1)))[0]);
		expect(brief(write.commands)).toEqual(['r0 crm.contact.add', 'rq0 crm.requisite.add', 'rq0a6 crm.address.add']);
		expect(fieldsOf(write.commands[0])).toMatchObject({
			NAME: 'Inge',
			LAST_NAME: 'Muster1',
			ORIGINATOR_ID: 'lexoffice',
			ORIGIN_ID: id(1),
			ASSIGNED_BY_ID: 3,
		});
		expect(fieldsOf(write.commands[1])).toMatchObject({
			ENTITY_TYPE_ID: 3,
			ENTITY_ID: '$result[r0]',
			PRESET_ID: PERSON_PRESET,
			XML_ID: id(1),
		});
		expect(fieldsOf(write.commands[2])).toMatchObject({
			TYPE_ID: 6,
			ENTITY_TYPE_ID: 8,
			ENTITY_ID: '$result[rq0]',
			ADDRESS_1: 'Hauptstr. 1',
		});
		expect(JSON.stringify(write.commands)).not.toContain('ORIGIN_VERSION');
		expect(write.record.decision).toEqual({ action: 'created' });
	});

	it.each([
		['Bitrix24 holds this version: unchanged, no write', version(2), { step: 'unchanged', id: 501 }],
		[
			'Bitrix24 holds a newer version: skipped, named',
			version(3),
			{
				step: 'skipped',
				reason: expect.stringContaining('holds LexOffice version 3 of this contact, newer than this input (version 2)'),
			},
		],
		[
			'Bitrix24 holds an older version: updated by id',
			version(1),
			{
				step: 'write',
				record: expect.objectContaining({ decision: { action: 'updated', id: 501, duplicatesFound: [] } }),
			},
		],
		[
			'Bitrix24 holds the record without version (stopped before its stamp): updated, not created again',
			'',
			{
				step: 'write',
				record: expect.objectContaining({ decision: expect.objectContaining({ action: 'updated', id: 501 }) }),
			},
		],
	])('%s', (_name, stored, expected) => {
		const [outcome] = plan(converted(person(1)), {
			linked: { company: [], contact: [row(501, id(1), stored, email(9, 'inge1@example.de'))] },
		});
		expect(outcome).toMatchObject(expected);
	});

	it('after an earlier run wrote everything but the stamp: one update, the requisite and address found again by XML_ID and type', () => {
		const first = written(plan(converted(person(1)))[0]);
		const requisite = { ...fieldsOf(first.commands[1]), ID: 700, ENTITY_ID: 501 };
		const address = { ...fieldsOf(first.commands[2]), ENTITY_ID: 700 };
		const again = written(
			plan(converted(person(1)), {
				linked: {
					company: [],
					contact: [row(501, id(1), '', { NAME: 'Inge', LAST_NAME: 'Muster1', ...email(9, 'inge1@example.de') })],
				},
				requisites: new Map([['3:501', [requisite]]]),
				addresses: new Map([[700, new Map([[6, address]])]]),
			})[0],
		);
		expect(brief(again.commands)).toEqual(['r0 crm.contact.update 501']);
		// The e-mail Bitrix24 holds is the one LexOffice has: not sent again.
		expect(fieldsOf(again.commands[0]).EMAIL).toBeUndefined();
		expect(again.requisite).toMatchObject({ action: 'unchanged', requisiteId: 700 });
	});

	it('two records with the same link: the oldest is updated, the other reported, never written', () => {
		const [outcome] = plan(converted(person(1)), {
			linked: { company: [], contact: [row(520, id(1), version(1)), row(510, id(1), version(1))] },
		});
		expect(written(outcome).record.decision).toEqual({ action: 'updated', id: 510, duplicatesFound: [520] });
	});

	it('a record without link holding the e-mail is adopted; one linked to another contact is not', () => {
		const items = converted(person(1), person(2));
		const [adopted, created] = plan(items, {
			byEmail: {
				company: new Map(),
				contact: new Map([
					[id(1), [row(530, '', '', email(1, 'inge1@example.de'))]],
					[id(2), [row(531, id(99), version(1), email(2, 'inge2@example.de'))]],
				]),
			},
		});
		expect(written(adopted).record.decision).toEqual({
			action: 'matched',
			id: 530,
			matchedBy: 'email',
			duplicatesFound: [],
		});
		expect(brief(written(adopted).commands)[0]).toBe('r0 crm.contact.update 530');
		expect(written(created).record.decision).toEqual({ action: 'created' });
	});

	it('a new company: its contact persons are created in the same request, linked to it by $result', () => {
		const write = written(
			plan(
				converted(
					company(1, [
						['Anna', 'Alt', 'anna@firma.example'],
						['Max', 'Ohne'],
					]),
				),
			)[0],
		);
		expect(brief(write.commands)).toEqual([
			'r0 crm.company.add',
			'r0p1 crm.contact.add',
			'r0p2 crm.contact.add',
			'rq0 crm.requisite.add',
			'rq0a6 crm.address.add',
		]);
		expect(
			write.commands.slice(1, 3).map((command) => [fieldsOf(command).ORIGIN_ID, fieldsOf(command).COMPANY_ID]),
		).toEqual([
			[`${id(1)}:person:1`, '$result[r0]'],
			[`${id(1)}:person:2`, '$result[r0]'],
		]);
	});

	it('contact persons reordered, one removed, one added: each keeps its Bitrix24 contact (e-mail, then name), the new one gets an unused number', () => {
		const lexoffice = company(1, [
			['Max', 'Ohne'],
			['Neu', 'Person'],
			['Anna', 'Alt', 'anna@firma.example'],
		]);
		const persons = [
			row(601, `${id(1)}:person:1`, '', { NAME: 'Anna', LAST_NAME: 'Alt', ...email(1, 'anna@firma.example') }),
			row(602, `${id(1)}:person:2`, '', { NAME: 'Max', LAST_NAME: 'Ohne' }),
			row(603, `${id(1)}:person:3`, '', { NAME: 'Weg', LAST_NAME: 'Gegangen' }),
		];
		const write = written(
			plan(converted(lexoffice), {
				linked: { company: [row(500, id(1), version(1))], contact: [] },
				persons: new Map([[id(1), persons]]),
			})[0],
		);
		expect(
			write.persons.map((record) => [
				record.mapped.originId,
				record.decision.action === 'created' ? 'new' : record.decision.id,
			]),
		).toEqual([
			[`${id(1)}:person:2`, 602],
			[`${id(1)}:person:4`, 'new'],
			[`${id(1)}:person:1`, 601],
		]);
		expect(write.removedPersons).toEqual([603]);
		expect(brief(write.commands).slice(0, 4)).toEqual([
			'r0 crm.company.update 500',
			'r0p1 crm.contact.update 602',
			'r0p2 crm.contact.add',
			'r0p3 crm.contact.update 601',
		]);
		expect(fieldsOf(write.commands[2]).COMPANY_ID).toBe(500);
	});

	it('a contact without requisite template fails alone; the others are planned', () => {
		const outcomes = plan(converted(company(1), person(2)), { presets: new Map([['person', PERSON_PRESET]]) });
		expect(outcomes.map((outcome) => outcome.step)).toEqual(['failed', 'write']);
		expect(outcomes[0]).toMatchObject({
			failure: { message: `LexOffice contact ${id(1)}: no requisite template for companies` },
		});
	});
});

describe('Sync Contacts write step: stamps and failures', () => {
	const [created, updated] = plan(converted(person(1), person(2)), {
		linked: { company: [], contact: [row(502, id(2), version(1))] },
	}).map(written);
	const ok = (result: unknown): BatchCommandResult => ({ ok: true, result });
	const allOk = (item: WriteItem, id = 900) =>
		Object.fromEntries(item.commands.map((command) => [command.key, ok(command.key === item.record.key ? id : 1)]));

	it('stamps ORIGIN_VERSION only on contacts all of whose writes succeeded, with the id a create returned', () => {
		const results = {
			...allOk(created, 901),
			...allOk(updated),
			rq1: { ok: false as const, error: 'ERROR', description: 'refused' },
		};
		expect(stampCommands([created, updated], results)).toEqual([
			{ key: 'v0', method: 'crm.contact.update', params: { id: 901, fields: { ORIGIN_VERSION: version(2) } } },
		]);
	});

	it.each([
		[
			'the first write Bitrix24 refused',
			{ rq0: { ok: false, error: 'ERROR', description: 'E-Mail ist ungültig' } },
			{
				message: `LexOffice contact ${id(1)}: crm.requisite.add: E-Mail ist ungültig`,
				uncertain: false,
				description: expect.stringContaining('e-mail'),
			},
		],
		[
			'a write whose answer was lost',
			{ r0: { ok: false, error: 'HTTP_504', description: 'Gateway Timeout', uncertain: true } },
			{ message: `LexOffice contact ${id(1)}: crm.contact.add: Gateway Timeout`, uncertain: true },
		],
		[
			'a write that did not run',
			{ r0: undefined },
			{ message: `LexOffice contact ${id(1)}: crm.contact.add: not executed`, uncertain: false },
		],
		[
			'the stamp',
			{ v0: { ok: false, error: 'ERROR', description: 'refused' } },
			{ message: `LexOffice contact ${id(1)}: storing ORIGIN_VERSION: refused` },
		],
	] as Array<[string, Record<string, BatchCommandResult | undefined>, IDataObject]>)(
		'fails the contact on %s',
		(_name, override, failure) => {
			const results = Object.fromEntries(
				Object.entries({ ...allOk(created), ...override }).filter(
					(entry): entry is [string, BatchCommandResult] => entry[1] !== undefined,
				),
			);
			expect(withWriteResults(created, results).failure).toMatchObject(failure);
		},
	);

	it('leaves a contact whose writes and stamp succeeded as it is', () => {
		expect(withWriteResults(created, { ...allOk(created), v0: ok(true) })).toBe(created);
	});
});

describe('Sync Contacts parse step', () => {
	it.each([
		[
			'a version that is no number',
			{ ...person(1), version: 'drei' },
			`LexOffice contact ${id(1)} is not a LexOffice contact as expected: version: Expected number, received string`,
		],
		[
			'a person without name',
			person(1, { person: { firstName: ' ', lastName: '' } }),
			`LexOffice contact ${id(1)}: person.firstName and person.lastName are empty`,
		],
		[
			'a country name where the code belongs',
			person(1, { addresses: { billing: [{ street: 'A 1', zip: '1', city: 'B', countryCode: 'Deutschland' }] } }),
			`LexOffice contact ${id(1)}: addresses.billing[0].countryCode "Deutschland" is not a country code`,
		],
	])('fails %s, naming the id and the field', (_name, raw, message) => {
		const parsed = parseContact(0, raw, SETTINGS, () => ({}));
		expect(parsed).toMatchObject({ step: 'failed', given: { id: id(1) }, failure: { message } });
	});

	it('skips archived contacts, and the older of two inputs for one contact', () => {
		const outcomes = skipRepeated(
			[
				person(1, { version: 3 }),
				person(1, { version: 2 }),
				person(2, { archived: true }),
				person(3),
				person(3, { version: 5 }),
			].map((raw, index) => parseContact(index, raw, SETTINGS, () => ({}))),
		);
		expect(outcomes.map((outcome) => [outcome.step, outcome.step === 'skipped' ? outcome.reason : ''])).toEqual([
			['parsed', ''],
			['skipped', 'a newer version of this contact is in the same input'],
			['skipped', 'archived in LexOffice'],
			['skipped', 'a newer version of this contact is in the same input'],
			['parsed', ''],
		]);
	});
});

describe('Sync Contacts planner: what an existing Bitrix24 record keeps (Options)', () => {
	const keeps = (override: Partial<Bitrix24Keeps>, dryRun = false): SyncSettings => ({
		...SETTINGS,
		dryRun,
		keeps: { ...DEFAULT_KEEPS, ...override },
	});
	/** LexOffice: Inge with one e-mail, one phone and a note. */
	const lexoffice = () =>
		converted(person(1, { phoneNumbers: { business: ['+49 (30) 1234'] }, note: 'Zahlt pünktlich', version: 2 }));
	/** Bitrix24: the same contact, older version, edited by the sales team. */
	const existing = {
		NAME: 'Inge',
		LAST_NAME: 'Muster1',
		ASSIGNED_BY_ID: '7',
		COMMENTS: 'Kunde seit 2009',
		EMAIL: [{ ID: '9', VALUE: 'alt@example.de', VALUE_TYPE: 'WORK' }],
		PHONE: [
			{ ID: '10', VALUE: '+49 30 1234', VALUE_TYPE: 'WORK' },
			{ ID: '11', VALUE: '+49 171 999', VALUE_TYPE: 'MOBILE' },
		],
	};
	const linked = { linked: { company: [], contact: [row(501, id(1), version(1), existing)] } };
	const withCurrent = {
		...linked,
		current: { company: new Map(), contact: new Map([[501, row(501, id(1), version(1), existing)]]) },
	};
	const update = (settings: SyncSettings, view: Bitrix24View = linked) => {
		const write = written(plan(lexoffice(), view, settings)[0]);
		expect(brief(write.commands)[0]).toBe('r0 crm.contact.update 501');
		return fieldsOf(write.commands[0]);
	};

	it.each([
		['onCreate', undefined, 3],
		['always', 3, 3],
	] as const)('Set Responsible User %s: an update sends %s, a create %s', (responsibleUser, onUpdate, onCreate) => {
		expect(update(keeps({ responsibleUser })).ASSIGNED_BY_ID).toBe(onUpdate);
		expect(fieldsOf(written(plan(lexoffice(), {}, keeps({ responsibleUser }))[0]).commands[0]).ASSIGNED_BY_ID).toBe(
			onCreate,
		);
	});

	it.each([
		[
			'addMissing',
			// Only what Bitrix24 lacks is added; the phone it holds in another format is the same number.
			[{ VALUE: 'inge1@example.de', VALUE_TYPE: 'WORK' }],
			undefined,
		],
		[
			'replace',
			// Bitrix24 ends up with exactly LexOffice's: the left-over entry takes the new address, the extra phone is deleted.
			[{ ID: '9', VALUE: 'inge1@example.de', VALUE_TYPE: 'WORK' }],
			[
				{ ID: '10', VALUE: '+49 (30) 1234', VALUE_TYPE: 'WORK' },
				{ ID: '11', DELETE: 'Y' },
			],
		],
	] as const)('E-Mails and Phones %s: EMAIL %j, PHONE %j', (emailsAndPhones, emails, phones) => {
		const fields = update(keeps({ emailsAndPhones }));
		expect(fields.EMAIL).toEqual(emails);
		expect(fields.PHONE).toEqual(phones);
	});

	it('E-Mails and Phones addMissing: an address Bitrix24 holds in other letters is not added again', () => {
		const upper = { ...existing, EMAIL: [{ ID: '9', VALUE: 'INGE1@Example.DE', VALUE_TYPE: 'HOME' }] };
		const fields = update(keeps({}), { linked: { company: [], contact: [row(501, id(1), version(1), upper)] } });
		expect(fields.EMAIL).toBeUndefined();
		expect(fields.PHONE).toBeUndefined();
	});

	it.each([
		['keep', undefined],
		['overwrite', 'Zahlt pünktlich'],
		['append', 'Kunde seit 2009\n\n--- LexOffice ---\nZahlt pünktlich\n--- /LexOffice ---'],
	] as const)('Comments %s: an update sends %j', (comments, expected) => {
		expect(update(keeps({ comments }), withCurrent).COMMENTS).toBe(expected);
	});

	it('Comments append: a record appended to before gets no second block', () => {
		const appended = {
			...existing,
			COMMENTS: 'Kunde seit 2009\n\n--- LexOffice ---\nZahlt pünktlich\n--- /LexOffice ---',
		};
		const view = {
			...linked,
			current: { company: new Map(), contact: new Map([[501, row(501, id(1), version(1), appended)]]) },
		};
		expect(update(keeps({ comments: 'append' }), view).COMMENTS).toBeUndefined();
	});

	it('a record adopted by e-mail keeps its responsible user, e-mails, phones and comments under the defaults', () => {
		const adoptedRow = row(530, '', '', {
			...existing,
			EMAIL: [{ ID: '9', VALUE: 'inge1@example.de', VALUE_TYPE: 'WORK' }],
		});
		const write = written(
			plan(lexoffice(), { byEmail: { company: new Map(), contact: new Map([[id(1), [adoptedRow]]]) } }, keeps({}))[0],
		);
		expect(write.record.decision).toMatchObject({ action: 'matched', id: 530 });
		const fields = fieldsOf(write.commands[0]);
		expect(fields).toMatchObject({ ORIGINATOR_ID: 'lexoffice', ORIGIN_ID: id(1), NAME: 'Inge' });
		for (const kept of ['ASSIGNED_BY_ID', 'EMAIL', 'PHONE', 'COMMENTS']) expect(fields).not.toHaveProperty(kept);
	});

	it('reads every field of the records to update only for Dry Run and appended comments', async () => {
		const readsWith = async (settings: SyncSettings) => {
			const reads: ViewRead[] = [];
			await planWith(lexoffice(), settings, async (read) => {
				reads.push(read);
				return { [read.read]: complete(withCurrent)[read.read] };
			});
			return reads;
		};
		expect((await readsWith(keeps({}))).map((read) => read.read)).not.toContain('current');
		expect(
			(await readsWith(keeps({ comments: 'overwrite', emailsAndPhones: 'replace' }))).map((read) => read.read),
		).not.toContain('current');
		for (const settings of [keeps({ comments: 'append' }), keeps({}, true)]) {
			expect((await readsWith(settings)).at(-1)).toEqual({ read: 'current', ids: { company: [], contact: [501] } });
		}
	});

	it('Comments append without the comments read fails the contact alone, rather than losing Bitrix24 text', () => {
		// The read answered without this record (deleted meanwhile): its comments are unknown.
		const [outcome] = plan(
			lexoffice(),
			{ ...linked, current: { company: new Map(), contact: new Map() } },
			keeps({ comments: 'append' }),
		);
		expect(outcome).toMatchObject({
			step: 'failed',
			failure: { message: expect.stringContaining('did not read the comments') },
		});
	});
});

describe('Sync Contacts Dry Run: per record the fields it would change, old → new', () => {
	const dryRun = (override: Partial<Bitrix24Keeps> = {}): SyncSettings => ({
		...SETTINGS,
		dryRun: true,
		keeps: { ...DEFAULT_KEEPS, ...override },
	});
	const stored = {
		NAME: 'Ingeborg',
		LAST_NAME: 'Muster1',
		ASSIGNED_BY_ID: '7',
		COMMENTS: 'Kunde seit 2009',
		EMAIL: [{ ID: '9', VALUE: 'alt@example.de', VALUE_TYPE: 'WORK' }],
	};
	const view = (fields: IDataObject = stored): Bitrix24View => ({
		linked: { company: [], contact: [row(501, id(1), version(1), fields)] },
		current: { company: new Map(), contact: new Map([[501, row(501, id(1), version(1), fields)]]) },
		requisites: new Map([
			[
				'3:501',
				[
					{
						ID: 700,
						ENTITY_TYPE_ID: 3,
						ENTITY_ID: 501,
						PRESET_ID: PERSON_PRESET,
						XML_ID: id(1),
						RQ_FIRST_NAME: 'Inge',
						RQ_LAST_NAME: 'Muster1',
					},
				],
			],
		]),
		addresses: new Map([
			[
				700,
				new Map([
					[
						6,
						{
							ID: 800,
							TYPE_ID: 6,
							ENTITY_TYPE_ID: 8,
							ENTITY_ID: 700,
							ADDRESS_1: 'Alte Str. 9',
							POSTAL_CODE: '10115',
							CITY: 'Berlin',
							COUNTRY_CODE: 'DE',
						},
					],
				]),
			],
		]),
	});

	it('an update under the defaults: the name, the e-mail added, the address, the version; nothing about what Bitrix24 keeps', () => {
		const write = written(plan(converted(person(1)), view(), dryRun())[0]);
		expect(write.changes).toEqual([
			{
				record: 'contact',
				id: 501,
				action: 'update',
				fields: {
					NAME: { old: 'Ingeborg', new: 'Inge' },
					EMAIL: {
						old: ['alt@example.de (WORK)'],
						new: ['alt@example.de (WORK)', 'inge1@example.de (WORK)'],
						added: ['inge1@example.de (WORK)'],
						removed: [],
					},
					ORIGIN_VERSION: { old: version(1), new: version(2) },
				},
			},
			{
				record: 'address type 6',
				id: 800,
				action: 'update',
				fields: expect.objectContaining({ ADDRESS_1: { old: 'Alte Str. 9', new: 'Hauptstr. 1' } }),
			},
		]);
	});

	it('with E-Mails and Phones replace, Comments overwrite, Set Responsible User always: what would be removed and replaced', () => {
		const write = written(
			plan(
				converted(person(1)),
				view(),
				dryRun({ emailsAndPhones: 'replace', comments: 'overwrite', responsibleUser: 'always' }),
			)[0],
		);
		expect(write.changes?.[0].fields).toMatchObject({
			ASSIGNED_BY_ID: { old: '7', new: 3 },
			COMMENTS: { old: 'Kunde seit 2009', new: '' },
			EMAIL: {
				old: ['alt@example.de (WORK)'],
				new: ['inge1@example.de (WORK)'],
				added: ['inge1@example.de (WORK)'],
				removed: ['alt@example.de (WORK)'],
			},
		});
	});

	it('a contact that would be created: every record with old none', () => {
		const write = written(plan(converted(company(1, [['Anna', 'Alt', 'anna@firma.example']])), {}, dryRun())[0]);
		expect(write.changes?.map((change) => [change.record, change.id, change.action])).toEqual([
			['company', null, 'create'],
			['contact person 1', null, 'create'],
			['requisite', null, 'create'],
			['address type 6', null, 'create'],
		]);
		expect(write.changes?.[0].fields).toMatchObject({
			TITLE: { old: null, new: 'Firma 1 GmbH' },
			ASSIGNED_BY_ID: { old: null, new: 3 },
			ORIGIN_VERSION: { old: null, new: version(2) },
		});
		expect(write.changes?.[1].fields).toMatchObject({
			LAST_NAME: { old: null, new: 'Alt' },
			EMAIL: { old: null, new: ['anna@firma.example (WORK)'], added: ['anna@firma.example (WORK)'], removed: [] },
			COMPANY_ID: { old: null, new: '(the record created with it)' },
		});
	});

	it('no changes listed outside Dry Run', () => {
		expect(written(plan(converted(person(1)), view(), { ...SETTINGS, dryRun: false })[0]).changes).toBeUndefined();
	});

	it('the output item: wouldChange and the changes; a contact Bitrix24 holds already says it would not change', () => {
		const [write, unchanged] = plan(
			converted(person(1), person(2)),
			{
				...view(),
				linked: { company: [], contact: [row(501, id(1), version(1), stored), row(502, id(2), version(2))] },
			},
			dryRun(),
		);
		expect(outcomeOf(write, {}, dryRun())).toMatchObject({
			dryRun: true,
			action: 'updated',
			wouldChange: true,
			changes: [expect.objectContaining({ record: 'contact', id: 501 }), expect.anything()],
		});
		expect(outcomeOf(unchanged, {}, dryRun())).toMatchObject({
			dryRun: true,
			action: 'unchanged',
			wouldChange: false,
			changes: [],
		});
	});
});
