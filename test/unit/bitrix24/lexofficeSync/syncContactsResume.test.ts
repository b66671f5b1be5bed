/**
 * Sync Contacts is resumable by construction (ARCHITECTURE.md "Sync Contacts: typed steps"), checked
 * on seeded random inputs against an in-memory model of Bitrix24 (syncContactsModel.ts, no HTTP):
 * contacts new, changed, unchanged and older than Bitrix24's, persons and companies, contact persons
 * added, removed, reordered and renamed, requisites and addresses added, changed and dropped, records
 * adopted by e-mail. For every prefix of a plan — its writes, then its ORIGIN_VERSION stamps —
 * executed and interrupted (up to three times in a row, each time planning again from what Bitrix24
 * then holds), a final full run ends in exactly the state one uninterrupted run ends in, with no
 * record twice (per ORIGIN_ID, requisite XML_ID, address type of a requisite), and a plan made after
 * it writes nothing.
 */
import type { IDataObject } from 'n8n-workflow';

import { DEFAULT_KEEPS } from '../../../../nodes/shared/contract/bitrix24Keeps';

import { crmSnapshot, startBitrix24Sandbox, type Bitrix24Sandbox } from '../../../sandbox/bitrix24';
import { seededRandom, seededUuid, type Random } from '../../../sandbox/common/prng';
import { convertItem, parseContact } from '../../../../nodes/Bitrix24/actions/lexofficeSync/syncContactsParse';
import { planWith } from '../../../../nodes/Bitrix24/actions/lexofficeSync/syncContactsPlan';
import {
	isWrite,
	type ConvertedItem,
	type PlanOutcome,
	type SyncSettings,
} from '../../../../nodes/Bitrix24/actions/lexofficeSync/syncContactsSteps';
import { stampCommands } from '../../../../nodes/Bitrix24/actions/lexofficeSync/syncContactsWrite';
import { Bitrix24Model } from './syncContactsModel';

const SETTINGS: SyncSettings = {
	systemCode: 'lexoffice',
	mappingFingerprint: 'model001',
	dryRun: false,
	skipArchived: true,
	matchByEmail: true,
	billingAddressTypeId: 6,
	shippingAddressTypeId: 11,
	mapping: { responsibleUserId: 3, customerNumberField: '', vendorNumberField: '', countryNameLanguage: 'de' },
	keeps: DEFAULT_KEEPS,
};

const FIRST_NAMES = ['Anna', 'Jörg', 'Leyla', 'Max'];
const LAST_NAMES = ['Müller', 'Schmidt', 'Öztürk'];
const STREETS = ['Hauptstr. 1', 'Lindenallee 7', 'Am Markt 3'];

interface Scenario {
	/** What an earlier run synced (absent: a contact Bitrix24 has not seen). */
	before: IDataObject[];
	/** The input of the run under test. */
	after: IDataObject[];
	/** E-mail addresses of Bitrix24 contacts and companies without LexOffice link (to be adopted). */
	unlinked: Array<{ entity: 'company' | 'contact'; email: string }>;
}

const address = (random: Random) => ({
	street: random.pick(STREETS),
	zip: String(random.int(10000, 99999)),
	city: 'Berlin',
	countryCode: random.chance(0.2) ? 'ES_CN' : 'DE',
});

function contactPerson(random: Random, index: number, contact: number): IDataObject {
	return {
		firstName: random.pick(FIRST_NAMES),
		lastName: random.pick(LAST_NAMES),
		// Some persons have no e-mail and are recognised by name alone; names repeat on purpose.
		...(random.chance(0.6) ? { emailAddress: `p${contact}-${index}@firma.example` } : {}),
	};
}

/** A LexOffice contact of either kind with random lists, addresses and contact persons. */
function lexofficeContact(random: Random, index: number): IDataObject {
	const emails = Array.from({ length: random.int(0, 2) }, (_, n) => `c${index}-${n}@example.de`);
	const contact: IDataObject = {
		id: seededUuid(random),
		version: random.int(1, 4),
		roles: { customer: { number: 10000 + index } },
		emailAddresses: { business: emails },
		phoneNumbers: random.chance(0.5) ? { mobile: [`+49 170 ${random.int(1000000, 9999999)}`] } : {},
		addresses: {
			billing: random.chance(0.8) ? [address(random)] : [],
			shipping: random.chance(0.4) ? [address(random)] : [],
		},
		archived: false,
	};
	if (random.chance(0.5)) {
		contact.company = {
			name: `Firma ${index} GmbH`,
			taxNumber: random.chance(0.5) ? `12/${index}/0000` : null,
			contactPersons: Array.from({ length: random.int(0, 4) }, (_, n) => contactPerson(random, n, index)),
		};
	} else {
		contact.person = { firstName: random.pick(FIRST_NAMES), lastName: random.pick(LAST_NAMES) };
	}
	return contact;
}

/** The same contact after an edit in LexOffice (one version later). */
function edited(random: Random, contact: IDataObject, index: number): IDataObject {
	const next = structuredClone(contact);
	next.version = Number(contact.version) + 1;
	const company = next.company as IDataObject | undefined;
	const edits: Array<() => void> = [
		() => (next.addresses = { billing: [address(random)] }),
		() => (next.emailAddresses = { business: [`c${index}-new@example.de`] }),
		() => (next.phoneNumbers = {}),
		() => {
			if (company) company.name = `Firma ${index} AG`;
			else (next.person as IDataObject).lastName = 'Neumann';
		},
		() => {
			if (!company) return;
			const persons = [...((company.contactPersons as IDataObject[]) ?? [])];
			persons.reverse();
			if (persons.length > 1 && random.chance(0.5)) persons.splice(random.int(0, persons.length - 1), 1);
			if (random.chance(0.5)) persons.splice(random.int(0, persons.length), 0, contactPerson(random, 9, index));
			if (persons.length > 0 && random.chance(0.3))
				persons[0] = { ...persons[0], emailAddress: `renamed${index}@firma.example` };
			company.contactPersons = persons;
		},
	];
	for (const edit of edits) if (random.chance(0.5)) edit();
	return next;
}

function scenario(seed: number): Scenario {
	const random = seededRandom(seed);
	const before: IDataObject[] = [];
	const after: IDataObject[] = [];
	const unlinked: Scenario['unlinked'] = [];
	for (let index = 0; index < random.int(3, 8); index++) {
		const contact = lexofficeContact(random, index);
		const state = random.pick(['new', 'new', 'changed', 'changed', 'unchanged', 'older'] as const);
		if (state === 'new') {
			const email = (contact.emailAddresses as { business: string[] }).business[0];
			if (email && random.chance(0.5)) unlinked.push({ entity: contact.company ? 'company' : 'contact', email });
			after.push(contact);
		} else if (state === 'unchanged') {
			before.push(contact);
			after.push(structuredClone(contact));
		} else if (state === 'changed') {
			before.push(contact);
			after.push(edited(random, contact, index));
		} else {
			// Bitrix24 holds a newer version than the input: the input is skipped.
			before.push(edited(random, contact, index));
			after.push(contact);
		}
	}
	return { before, after, unlinked };
}

const ALL_SEEDS = Array.from({ length: 30 }, (_, index) => index + 1);

/** The suite for one set of settings, over some of the seeds. */
const convergesToOneRun = (SETTINGS: SyncSettings, SEEDS: number[]) => () => {
	jest.setTimeout(300_000);
	let sb: Bitrix24Sandbox;
	let model: Bitrix24Model;
	beforeAll(async () => {
		sb = await startBitrix24Sandbox({ limits: 'off' });
		model = new Bitrix24Model(sb.portal);
	});
	afterAll(async () => await sb.close());

	const convert = async (contacts: IDataObject[]): Promise<ConvertedItem[]> => {
		const descriptions = await model.descriptions();
		return contacts.map((raw, itemIndex) => {
			const parsed = parseContact(itemIndex, structuredClone(raw), SETTINGS, () => ({}));
			if (parsed.step !== 'parsed')
				throw new Error(`scenario contact ${itemIndex} is not syncable: ${JSON.stringify(parsed)}`);
			const converted = convertItem(parsed, descriptions);
			if (converted.step !== 'converted')
				throw new Error(`scenario contact ${itemIndex}: ${converted.failure.message}`);
			return converted;
		});
	};
	const plan = async (contacts: IDataObject[]): Promise<PlanOutcome[]> =>
		await planWith(await convert(contacts), SETTINGS, async (read) => await model.read(read, SETTINGS));

	/** Plans from what the model holds, then runs the writes and the stamps, stopping after `limit` commands. */
	const syncUpTo = async (contacts: IDataObject[], limit = Infinity): Promise<number> => {
		const items = (await plan(contacts)).filter(isWrite);
		const failed = items.filter((item) => item.failure);
		if (failed.length > 0)
			throw new Error(`planning failed: ${failed.map((item) => item.failure?.message).join('; ')}`);
		const writes = items.flatMap((item) => item.commands);
		const results = await model.run(writes.slice(0, limit));
		if (limit < writes.length) return writes.length + items.length;
		const stamps = stampCommands(items, results);
		await model.run(stamps.slice(0, limit - writes.length), results);
		return writes.length + stamps.length;
	};

	const setUp = async ({ before, unlinked }: Scenario) => {
		sb.reset();
		await syncUpTo(before);
		for (const { entity, email } of unlinked)
			await model.call(`crm.${entity}.add`, {
				fields: { TITLE: 'Altbestand', NAME: 'Alt', EMAIL: [{ VALUE: email, VALUE_TYPE: 'WORK' }] },
			});
	};

	/** Every record at most once by its idempotency key. */
	const duplicates = () => {
		const { companies, contacts, requisites, addresses } = sb.state;
		const repeated = (keys: string[]) => keys.filter((key, index) => keys.indexOf(key) !== index);
		const origins = (rows: Array<Record<string, unknown>>) =>
			rows.filter((row) => row.ORIGINATOR_ID === 'lexoffice').map((row) => String(row.ORIGIN_ID));
		return {
			companies: repeated(origins(companies)),
			contacts: repeated(origins(contacts)),
			requisites: repeated(requisites.filter((row) => row.XML_ID).map((row) => String(row.XML_ID))),
			addresses: repeated(
				addresses.map((row) => `${String(row.ENTITY_TYPE_ID)}:${String(row.ENTITY_ID)}:${String(row.TYPE_ID)}`),
			),
		};
	};
	const noDuplicates = { companies: [], contacts: [], requisites: [], addresses: [] };

	it.each(SEEDS)(
		'seed %i: every prefix of the plan, interrupted up to three times, ends where one full run ends',
		async (seed) => {
			const input = scenario(seed);
			await setUp(input);
			const planLength = await syncUpTo(input.after);
			const reference = structuredClone(crmSnapshot(sb.state));
			expect(duplicates()).toEqual(noDuplicates);
			expect((await plan(input.after)).filter(isWrite)).toEqual([]);

			const random = seededRandom(seed * 7919);
			for (let prefix = 0; prefix <= planLength; prefix++) {
				await setUp(input);
				// Interrupted after `prefix` commands, then (sometimes) again in the runs that resume it.
				let limit = prefix;
				for (let interruption = random.int(0, 2); interruption >= 0; interruption--) {
					const length = await syncUpTo(input.after, limit);
					limit = random.int(0, length);
				}
				await syncUpTo(input.after);
				expect({ seed, prefix, state: crmSnapshot(sb.state) }).toEqual({ seed, prefix, state: reference });
				expect(duplicates()).toEqual(noDuplicates);
				expect((await plan(input.after)).filter(isWrite)).toEqual([]);
			}
		},
	);

	it('the scenarios cover what they claim', () => {
		const all = ALL_SEEDS.map(scenario);
		const ids = (contacts: IDataObject[]) => new Set(contacts.map((contact) => String(contact.id)));
		const counts = { new: 0, changed: 0, unchanged: 0, older: 0, companiesWithPersons: 0, adoptable: 0, shipping: 0 };
		for (const { before, after, unlinked } of all) {
			const earlier = new Map(before.map((contact) => [String(contact.id), contact]));
			for (const contact of after) {
				const old = earlier.get(String(contact.id));
				if (!old) counts.new++;
				else if (old.version === contact.version) counts.unchanged++;
				else if (Number(old.version) < Number(contact.version)) counts.changed++;
				else counts.older++;
				if (((contact.company as IDataObject | undefined)?.contactPersons as unknown[] | undefined)?.length)
					counts.companiesWithPersons++;
				if ((contact.addresses as { shipping?: unknown[] }).shipping?.length) counts.shipping++;
			}
			counts.adoptable += unlinked.length;
			expect(ids(after).size).toBe(after.length);
		}
		for (const [what, count] of Object.entries(counts)) expect([what, count >= 5]).toEqual([what, true]);
	});
};

describe(
	'Sync Contacts: any prefix of a plan, then planning again, converges to one full run',
	convergesToOneRun(SETTINGS, ALL_SEEDS),
);
// Deletes of e-mails and phones, comments read and appended to: resumable as well (fewer seeds, same scenarios).
describe(
	'Sync Contacts with E-Mails and Phones Replace, Comments Append, Set Responsible User On Create and Update: any prefix converges to one full run',
	convergesToOneRun(
		{ ...SETTINGS, keeps: { responsibleUser: 'always', emailsAndPhones: 'replace', comments: 'append' } },
		ALL_SEEDS.slice(0, 6),
	),
);
