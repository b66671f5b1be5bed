/**
 * LexOffice Sync → Sync Contacts against the Bitrix24 sandbox: what a run writes, field by field,
 * that a rerun writes nothing, that a change is one update, that a run stopped before its version
 * stamps is completed by the next, dry run, duplicate control by e-mail, and bad input.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../../sandbox/bitrix24';
import { PRESET_XML_IDS } from '../../../sandbox/bitrix24/seedData';
import { generateLexofficeContacts, type SeedContact } from '../../../sandbox/seed';
import { Bitrix24 } from '../../../../nodes/Bitrix24/Bitrix24.node';
import { createLoadOptionsContext } from '../../../helpers/n8nContext';
import { credentialsFor, restCalls, webhookCredentials } from '../helpers';
import { addRecord, runBitrix24, writeRequests } from '../crm/helpers';
import { forgetSettled } from '../../../../nodes/Bitrix24/actions/lexofficeSync/contactVersions';

const asItems = (contacts: SeedContact[]): INodeExecutionData[] =>
	contacts.map((contact) => ({ json: structuredClone(contact) as unknown as IDataObject }));
/** ORIGIN_VERSION: the LexOffice version, then the fingerprint of the node's mapping settings. */
const versionStamp = (version: number | undefined) =>
	expect.stringMatching(new RegExp(`^${String(version)}/[0-9a-f]{8}$`));
const countBy = (rows: IDataObject[], key: string) =>
	rows.reduce<Record<string, number>>(
		(counts, row) => ({ ...counts, [String(row[key])]: (counts[String(row[key])] ?? 0) + 1 }),
		{},
	);

describe('LexOffice Sync → Sync Contacts', () => {
	let sb: Bitrix24Sandbox;
	const contacts = generateLexofficeContacts(80, 7);
	const live = contacts.filter((contact) => !contact.archived);

	beforeAll(async () => (sb = await startBitrix24Sandbox({ limits: 'off' })));
	afterAll(async () => await sb.close());
	beforeEach(() => {
		sb.reset();
		sb.setLimits('off');
		// A reset sandbox is another Bitrix24 than the one this process saw the contacts in.
		forgetSettled();
	});

	const sync = async (rows: SeedContact[], extra: INodeParameters = {}, continueOnFail = false) => {
		sb.requests.clear();
		return await runBitrix24(sb, {
			parameters: {
				resource: 'lexofficeSync',
				operation: 'syncContacts',
				contact: '={{ $json }}',
				responsibleUserId: '3',
				...extra,
			},
			items: asItems(rows),
			continueOnFail,
		});
	};
	const presetId = (xmlId: string) => sb.state.presets.find((preset) => preset.XML_ID === xmlId)?.ID;
	const byOrigin = (list: Array<Record<string, unknown>>, originId: string) =>
		list.filter((record) => record.ORIGIN_ID === originId);

	it('creates one record per contact, field by field as the mapping says', async () => {
		const { json } = await sync(contacts);
		const companies = live.filter((contact) => contact.company);
		const persons = live.filter((contact) => contact.person);
		const contactPersons = companies.flatMap((contact) => contact.company?.contactPersons ?? []);
		expect(countBy(json, 'action')).toEqual({ created: live.length, skipped: contacts.length - live.length });
		expect(sb.state.companies).toHaveLength(companies.length);
		expect(sb.state.contacts).toHaveLength(persons.length + contactPersons.length);

		// A company with contact persons, VAT id and a shipping address covers every company rule.
		const sample = companies.find(
			(c) => (c.company?.contactPersons?.length ?? 0) > 1 && c.company?.vatRegistrationId && c.addresses?.shipping,
		) as SeedContact;
		expect(sample).toBeDefined();
		const [company] = byOrigin(sb.state.companies, sample.id);
		expect(company).toMatchObject({
			TITLE: sample.company?.name,
			ORIGINATOR_ID: 'lexoffice',
			ORIGIN_VERSION: versionStamp(sample.version),
			ASSIGNED_BY_ID: 3,
		});
		const emails = (company.EMAIL as Array<{ VALUE: string; VALUE_TYPE: string }>).map(
			(entry) => `${entry.VALUE_TYPE} ${entry.VALUE}`,
		);
		expect(emails).toEqual(
			expect.arrayContaining((sample.emailAddresses?.business ?? []).map((email) => `WORK ${email}`)),
		);
		expect(String(company.COMMENTS)).toContain(`LexOffice Kundennummer: ${sample.roles?.customer?.number}`);
		const requisite = sb.state.requisites.find((row) => row.ENTITY_TYPE_ID === 4 && row.ENTITY_ID === company.ID);
		expect(requisite).toMatchObject({
			XML_ID: sample.id,
			PRESET_ID: presetId(PRESET_XML_IDS.legalEntity),
			RQ_VAT_ID: sample.company?.vatRegistrationId,
		});
		const addresses = sb.state.addresses.filter((address) => address.ENTITY_ID === requisite?.ID);
		expect(addresses.map((address) => [address.TYPE_ID, address.ADDRESS_1, address.POSTAL_CODE]).sort()).toEqual(
			[
				[6, sample.addresses?.billing?.[0].street, sample.addresses?.billing?.[0].zip],
				[11, sample.addresses?.shipping?.[0].street, sample.addresses?.shipping?.[0].zip],
			].sort(),
		);
		const linked = sb.state.contacts.filter((contact) => String(contact.ORIGIN_ID).startsWith(`${sample.id}:person:`));
		expect(linked.map((contact) => [contact.LAST_NAME, contact.COMPANY_ID])).toEqual(
			(sample.company?.contactPersons ?? []).map((person) => [person.lastName, company.ID]),
		);

		// A person: names, phones by kind, the person template.
		const person = persons.find((c) => c.phoneNumbers?.mobile && c.emailAddresses?.private) as SeedContact;
		const [record] = byOrigin(sb.state.contacts, person.id);
		expect(record).toMatchObject({ NAME: person.person?.firstName, LAST_NAME: person.person?.lastName });
		expect((record.PHONE as Array<{ VALUE_TYPE: string }>).map((entry) => entry.VALUE_TYPE)).toContain('MOBILE');
		expect(sb.state.requisites.find((row) => row.ENTITY_TYPE_ID === 3 && row.ENTITY_ID === record.ID)).toMatchObject({
			PRESET_ID: presetId(PRESET_XML_IDS.person),
			RQ_LAST_NAME: person.person?.lastName,
		});
	});

	it('writes nothing on a rerun, and one update for a changed contact', async () => {
		await sync(contacts);
		const again = await sync(contacts);
		expect(countBy(again.json, 'action')).toEqual({ unchanged: live.length, skipped: contacts.length - live.length });
		expect(writeRequests(sb)).toHaveLength(0);

		const changed = structuredClone(live.find((contact) => contact.company) as SeedContact);
		changed.version += 1;
		changed.addresses = { billing: [{ street: 'Neue Straße 1', zip: '10115', city: 'Berlin', countryCode: 'DE' }] };
		const third = await sync([changed]);
		expect(third.json[0]).toMatchObject({ action: 'updated', requisite: 'updated' });
		const [company] = byOrigin(sb.state.companies, changed.id);
		expect(company.ORIGIN_VERSION).toEqual(versionStamp(changed.version));
		const requisite = sb.state.requisites.find((row) => row.ENTITY_TYPE_ID === 4 && row.ENTITY_ID === company.ID);
		expect(
			sb.state.addresses.filter((address) => address.ENTITY_ID === requisite?.ID).map((a) => [a.TYPE_ID, a.ADDRESS_1]),
		).toEqual([[6, 'Neue Straße 1']]);
		expect(byOrigin(sb.state.companies, changed.id)).toHaveLength(1);
	});

	it('completes a run whose version stamps never arrived, without creating anything twice', async () => {
		await sync(live.slice(0, 20));
		// As if the run had stopped after its writes: the stamps are what marks a contact done.
		for (const record of [...sb.state.companies, ...sb.state.contacts]) delete record.ORIGIN_VERSION;
		// …in another n8n process, or later than a minute: nothing remembered from the run above.
		forgetSettled();
		const counts = () => [
			sb.state.companies.length,
			sb.state.contacts.length,
			sb.state.requisites.length,
			sb.state.addresses.length,
		];
		const before = counts();
		const rerun = await sync(live.slice(0, 20));
		expect(countBy(rerun.json, 'action')).toEqual({ updated: 20 });
		expect(counts()).toEqual(before);
		expect(countBy((await sync(live.slice(0, 20))).json, 'action')).toEqual({ unchanged: 20 });
	});

	it('fills extra fields from expressions, and rewrites every contact once the mapping settings change', async () => {
		const persons = live.filter((contact) => contact.person && contact.roles?.customer?.number).slice(0, 5);
		const extra = { mappingMode: 'defineBelow', value: { UF_CRM_KUNDENNUMMER: '={{ $json.roles.customer.number }}' } };
		const first = await sync(persons, { contactFields: extra });
		expect(countBy(first.json, 'action')).toEqual({ created: 5 });
		for (const person of persons) {
			expect(byOrigin(sb.state.contacts, person.id)[0]).toMatchObject({
				UF_CRM_KUNDENNUMMER: String(person.roles?.customer?.number),
			});
		}
		expect(countBy((await sync(persons, { contactFields: extra })).json, 'action')).toEqual({ unchanged: 5 });

		// Another template: same LexOffice versions, yet every contact is brought to the new mapping.
		const otherTemplate = String(sb.state.presets.find((preset) => preset.XML_ID === '')?.ID);
		const changed = await sync(persons, { contactFields: extra, contactPresetId: otherTemplate });
		expect(countBy(changed.json, 'action')).toEqual({ updated: 5 });
		expect(
			sb.state.requisites
				.filter((row) => row.ENTITY_TYPE_ID === 3)
				.every((row) => String(row.PRESET_ID) === otherTemplate),
		).toBe(true);
		expect(
			countBy((await sync(persons, { contactFields: extra, contactPresetId: otherTemplate })).json, 'action'),
		).toEqual({ unchanged: 5 });
		// Dry Run is not part of the mapping: switching it changes nothing.
		expect(
			countBy(
				(await sync(persons, { contactFields: extra, contactPresetId: otherTemplate, options: { dryRun: true } })).json,
				'action',
			),
		).toEqual({ unchanged: 5 });
	});

	it('dry run reports what would happen and writes nothing', async () => {
		const { json } = await sync(live.slice(0, 10), { options: { dryRun: true } });
		expect(countBy(json, 'action')).toEqual({ created: 10 });
		expect(json.every((row) => row.dryRun === true)).toBe(true);
		expect(writeRequests(sb)).toHaveLength(0);
		expect(sb.state.companies).toHaveLength(0);
	});

	it('adopts a Bitrix24 contact with the same e-mail instead of creating a duplicate', async () => {
		const person = live.find((contact) => contact.person && contact.emailAddresses?.private) as SeedContact;
		const existing = await addRecord(sb, 'crm.contact.add', {
			NAME: 'Alt',
			EMAIL: [{ VALUE: person.emailAddresses?.private?.[0], VALUE_TYPE: 'WORK' }],
		});
		const { json } = await sync([person]);
		expect(json[0]).toMatchObject({ action: 'updated', id: existing, matchedBy: 'email' });
		expect(sb.state.contacts).toHaveLength(1);
		expect(sb.state.contacts[0]).toMatchObject({ ORIGIN_ID: person.id, NAME: person.person?.firstName });
	});

	it('stops on settings that cannot work, or with Continue On Fail reports them on every item, writing nothing', async () => {
		const sameTypes = { billingAddressTypeId: '6', shippingAddressTypeId: '6' };
		await expect(sync(live.slice(0, 2), sameTypes)).rejects.toThrow(
			'Billing Address Type and Shipping Address Type are the same',
		);
		const { json } = await sync(live.slice(0, 2), sameTypes, true);
		expect(json.map((row) => row.error)).toEqual([
			'Billing Address Type and Shipping Address Type are the same',
			'Billing Address Type and Shipping Address Type are the same',
		]);
		expect(restCalls(sb)).toHaveLength(0);
	});

	describe('bursts of events for one contact (issue #15)', () => {
		// Executions of one n8n process started by events run concurrently; these run the node like them.
		const one = (contact: SeedContact) =>
			runBitrix24(sb, {
				parameters: {
					resource: 'lexofficeSync',
					operation: 'syncContacts',
					contact: '={{ $json }}',
					responsibleUserId: '3',
				},
				items: asItems([contact]),
				mode: 'webhook',
			});
		const version = (contact: SeedContact, number: number, lastName: string) => {
			const copy = structuredClone(contact);
			copy.version = number;
			if (copy.person) copy.person.lastName = lastName;
			return copy;
		};
		const person = () => structuredClone(live.find((contact) => contact.person) as SeedContact);

		it('ends with one record holding the newest version, whatever order executions for the same contact run in', async () => {
			// Slow answers widen the window between one execution's lookup and its write.
			sb.setFaults({ latencyMs: 20 });
			const base = person();
			const burst = [
				version(base, 3, 'Neuer'),
				version(base, 1, 'Alt'),
				version(base, 2, 'Mittel'),
				version(base, 3, 'Neuer'),
				version(base, 1, 'Alt'),
			];
			const outcomes = (await Promise.all(burst.map(one))).map((run) => run.json[0]);
			sb.setFaults({});
			const records = byOrigin(sb.state.contacts, base.id);
			expect(records).toHaveLength(1);
			expect(records[0]).toMatchObject({ LAST_NAME: 'Neuer', ORIGIN_VERSION: versionStamp(3) });
			expect(sb.state.requisites.filter((row) => row.XML_ID === base.id)).toHaveLength(1);
			expect(outcomes.filter((outcome) => outcome.action === 'created')).toHaveLength(1);
		});

		it('still asks Bitrix24 in a manual or scheduled run, which re-creates records deleted right after an event', async () => {
			const base = person();
			await one(base);
			sb.reset(); // everything deleted in Bitrix24 within the minute the process remembers
			const { json } = await sync([base]);
			expect(json[0]).toMatchObject({ action: 'created' });
			expect(byOrigin(sb.state.contacts, base.id)).toHaveLength(1);
		});

		it('never lets an older snapshot overwrite a newer one, also in a later process', async () => {
			const base = person();
			await one(version(base, 5, 'Neu'));
			forgetSettled(); // as in another n8n process: the lookup has to tell
			sb.requests.clear();
			const late = await one(version(base, 4, 'Veraltet'));
			expect(late.json[0]).toMatchObject({
				action: 'skipped',
				reason: expect.stringContaining('newer than this input'),
			});
			expect(byOrigin(sb.state.contacts, base.id)[0]).toMatchObject({
				LAST_NAME: 'Neu',
				ORIGIN_VERSION: versionStamp(5),
			});
			expect(writeRequests(sb)).toHaveLength(0);
		});

		it('costs the Bitrix24 requests of one event for a burst of ten, and no writes for events that repeat Bitrix24', async () => {
			const counted = async (contacts: SeedContact[]) => {
				sb.requests.clear();
				await Promise.all(contacts.map(one));
				return restCalls(sb).length;
			};
			const [first, second] = live.filter((contact) => contact.person);
			const single = await counted([first]);
			const burst = await counted(Array.from({ length: 10 }, () => structuredClone(second)));
			expect(byOrigin(sb.state.contacts, second.id)).toHaveLength(1);
			expect(burst).toBe(single);

			const repeats = await counted(Array.from({ length: 10 }, () => structuredClone(second)));
			expect(repeats).toBe(0);
			forgetSettled(); // later or elsewhere: one lookup, still no write
			sb.requests.clear();
			expect((await one(structuredClone(second))).json[0]).toMatchObject({ action: 'unchanged' });
			expect(writeRequests(sb)).toHaveLength(0);
		});
	});

	it('fails an item that is not a LexOffice contact alone, naming its id and the field, and syncs the others', async () => {
		const broken = { ...structuredClone(live[0]), version: 'drei' } as unknown as SeedContact;
		const { json } = await sync([live[1], broken]);
		expect(json.map((row) => row.action)).toEqual(['created', 'failed']);
		expect(json[1]).toMatchObject({
			lexofficeId: live[0].id,
			error: `LexOffice contact ${live[0].id} is not a LexOffice contact as expected: version: Expected number, received string`,
		});
		expect(byOrigin(sb.state.companies, live[0].id).concat(byOrigin(sb.state.contacts, live[0].id))).toHaveLength(0);
	});
});

describe('Sync Contacts → Extra Company/Contact Fields mapping forms', () => {
	it.each([
		['getSyncCompanyFields', 'TITLE', 'UF_CRM_LEXOFFICE_ID'],
		['getSyncContactFields', 'LAST_NAME', 'UF_CRM_KUNDENNUMMER'],
	] as const)(
		"%s lists the portal's fields, custom ones included, none required, the link fields read-only",
		async (method, standard, custom) => {
			const sb = await startBitrix24Sandbox({ limits: 'off' });
			try {
				const node = new Bitrix24();
				const context = createLoadOptionsContext(node, {
					parameters: { resource: 'lexofficeSync', operation: 'syncContacts' },
					credentials: credentialsFor('webhook', webhookCredentials(sb)),
				});
				const { fields } = await node.methods.resourceMapping[method].call(context);
				const ids = fields.map((field) => field.id);
				expect(ids).toEqual(expect.arrayContaining([standard, custom, 'ORIGIN_ID']));
				expect(fields.filter((field) => field.required)).toEqual([]);
				expect(fields.find((field) => field.id === 'ORIGIN_ID')?.readOnly).toBe(true);
			} finally {
				await sb.close();
			}
		},
	);
});
