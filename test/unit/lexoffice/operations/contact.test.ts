import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { startLexofficeSandbox, type Contact, type LexofficeSandbox } from '../../../sandbox/lexoffice';
import { byId, byUrl, jsonOf, operationError, runOperation } from './helpers';

const SEEDED = 300;

/** Contact operations against the sandbox (lexoffice-api.md §3). */
describe('LexOffice node: Contact', () => {
	let sb: LexofficeSandbox;
	beforeAll(async () => {
		sb = await startLexofficeSandbox({ seed: { contacts: SEEDED, seed: 7 } });
	});
	afterAll(async () => await sb.close());
	beforeEach(() => sb.reset());

	const contacts = () => [...sb.state.contacts.values()];
	const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
	/** A contact LexOffice can update: one entry per list (§3.4). */
	const simpleCompany = (name: string, extra: Partial<Contact> = {}) =>
		sb.simulate.createContact({
			roles: { customer: {} },
			company: { name },
			addresses: { billing: [{ street: 'Hauptstr. 5', zip: '12345', city: 'Musterort', countryCode: 'DE' }] },
			emailAddresses: { business: ['info@example.de'] },
			phoneNumbers: { business: ['030 1234567'] },
			...extra,
		});

	describe('Get', () => {
		test('reads the contact named by ID or by its LexOffice link', async () => {
			const contact = contacts()[3];
			const [byIdOutput] = await runOperation(sb, {
				resource: 'contact',
				operation: 'get',
				contactId: byId(contact.id),
				simplify: false,
			});
			expect(byIdOutput.json).toEqual(plain(contact));
			const link = `https://app.lexware.de/permalink/contacts/view/${contact.id}`;
			const [byLink] = await runOperation(sb, { resource: 'contact', operation: 'get', contactId: byUrl(link) });
			expect(byLink.json.id).toBe(contact.id);
		});

		test('an ID that is no UUID is refused before any request', async () => {
			const error = await operationError(sb, { resource: 'contact', operation: 'get', contactId: byId('12345') });
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toContain('"Contact" must be a LexOffice ID');
			expect(sb.requests.count()).toBe(0);
		});
	});

	describe('Get Many', () => {
		test('Return All pages through every contact (250 per page) and leaves archived ones out', async () => {
			const output = await runOperation(sb, { resource: 'contact', operation: 'getMany', returnAll: true });
			const active = contacts().filter((contact) => !contact.archived);
			expect(active.length).toBeLessThan(SEEDED);
			expect(output).toHaveLength(active.length);
			expect(new Set(jsonOf(output).map((contact) => contact.id))).toEqual(
				new Set(active.map((contact) => contact.id)),
			);
			expect(
				sb.requests.filter({ pathIncludes: '/v1/contacts' }).map((request) => [request.query.page, request.query.size]),
			).toEqual([
				['0', '250'],
				['1', '250'],
			]);
		});

		test('Include Archived returns them too', async () => {
			const output = await runOperation(sb, {
				resource: 'contact',
				operation: 'getMany',
				returnAll: true,
				includeArchived: true,
			});
			expect(output).toHaveLength(SEEDED);
			expect(jsonOf(output).some((contact) => contact.archived === true)).toBe(true);
		});

		test('a Limit beyond the first page keeps paging until enough non-archived contacts are found', async () => {
			const output = await runOperation(sb, {
				resource: 'contact',
				operation: 'getMany',
				returnAll: false,
				limit: 260,
			});
			expect(output).toHaveLength(260);
			expect(jsonOf(output).every((contact) => contact.archived === false)).toBe(true);
			expect(sb.requests.count({ pathIncludes: '/v1/contacts' })).toBe(2);
		});

		test('a name with "&" finds the "GmbH & Co. KG" contacts (HTML-encoded, §3.2)', async () => {
			const expected = contacts()
				.filter((contact) => contact.company?.name.toLowerCase().includes('gmbh & co. kg'))
				.map((contact) => contact.id);
			expect(expected.length).toBeGreaterThan(0);
			const output = await runOperation(sb, {
				resource: 'contact',
				operation: 'getMany',
				returnAll: true,
				includeArchived: true,
				filters: { name: 'GmbH & Co. KG' },
			});
			expect(
				jsonOf(output)
					.map((contact) => contact.id)
					.sort(),
			).toEqual(expected.sort());
			expect(sb.requests.last()?.query.name).toBe('GmbH &amp; Co. KG');
		});

		test('role filters are passed on', async () => {
			const output = await runOperation(sb, {
				resource: 'contact',
				operation: 'getMany',
				returnAll: true,
				includeArchived: true,
				filters: { customer: false },
				simplify: false,
			});
			const vendorsOnly = contacts().filter((contact) => !contact.roles.customer);
			expect(output).toHaveLength(vendorsOnly.length);
			expect(jsonOf(output).every((contact) => !(contact.roles as { customer?: unknown }).customer)).toBe(true);
		});

		test('a name filter shorter than 3 characters is refused before any request', async () => {
			const error = await operationError(sb, { resource: 'contact', operation: 'getMany', filters: { name: 'ab' } });
			expect(error.message).toContain('"Name" must have at least 3 characters');
			expect(sb.requests.count()).toBe(0);
		});
	});

	describe('Create', () => {
		test('a company with addresses, emails, phones, contact person, note and XRechnung data', async () => {
			const [item] = await runOperation(sb, {
				resource: 'contact',
				operation: 'create',
				contactType: 'company',
				roles: ['customer', 'vendor'],
				companyName: 'Bike & Ride GmbH & Co. KG',
				additionalFields: {
					billingAddress: { address: { street: 'Musterstraße 42', zip: '79112', city: 'Freiburg', countryCode: 'de' } },
					shippingAddress: { address: { street: 'Lagerweg 1', zip: '79115', city: 'Freiburg', countryCode: 'DE' } },
					businessEmail: 'info@bike-ride.de',
					mobilePhone: '0170 1234567',
					contactPerson: {
						person: {
							salutation: 'Frau',
							firstName: 'Inge',
							lastName: 'Musterfrau',
							emailAddress: 'inge@bike-ride.de',
						},
					},
					note: 'Stammkunde',
					xRechnungBuyerReference: '04011000-1234512345-35',
					xRechnungVendorNumber: '70123456',
					vatRegistrationId: 'DE123456789',
				},
			});
			const stored = sb.state.contacts.get(String(item.json.id)) as Contact;
			expect(item.json).toEqual(plain(stored));
			expect(stored.roles.customer?.number).toEqual(expect.any(Number));
			expect(stored.roles.vendor?.number).toEqual(expect.any(Number));
			expect(stored.company).toEqual({
				name: 'Bike & Ride GmbH & Co. KG',
				vatRegistrationId: 'DE123456789',
				contactPersons: [
					{
						salutation: 'Frau',
						firstName: 'Inge',
						lastName: 'Musterfrau',
						primary: false,
						emailAddress: 'inge@bike-ride.de',
					},
				],
			});
			expect(stored.addresses).toEqual({
				billing: [{ street: 'Musterstraße 42', zip: '79112', city: 'Freiburg', countryCode: 'DE' }],
				shipping: [{ street: 'Lagerweg 1', zip: '79115', city: 'Freiburg', countryCode: 'DE' }],
			});
			expect(stored.emailAddresses).toEqual({ business: ['info@bike-ride.de'] });
			expect(stored.phoneNumbers).toEqual({ mobile: ['0170 1234567'] });
			expect(stored.xRechnung).toEqual({
				buyerReference: '04011000-1234512345-35',
				vendorNumberAtCustomer: '70123456',
			});
			expect(stored.note).toBe('Stammkunde');
			expect(sb.requests.filter().map((request) => `${request.method} ${request.status}`)).toEqual([
				'POST 201',
				'GET 200',
			]);
		});

		test('a person; without Return Full Contact the output is the action result', async () => {
			const [item] = await runOperation(sb, {
				resource: 'contact',
				operation: 'create',
				contactType: 'person',
				roles: ['customer'],
				firstName: 'Inge',
				lastName: 'Musterfrau',
				additionalFields: { salutation: 'Frau Dr.' },
				options: { returnFullContact: false },
			});
			expect(Object.keys(item.json).sort()).toEqual(['createdDate', 'id', 'resourceUri', 'updatedDate', 'version']);
			expect(sb.state.contacts.get(String(item.json.id))?.person).toEqual({
				salutation: 'Frau Dr.',
				firstName: 'Inge',
				lastName: 'Musterfrau',
			});
			expect(sb.requests.count()).toBe(1);
		});

		test.each([
			[
				'a note over 1000 characters',
				{ additionalFields: { note: 'x'.repeat(1001) } },
				'"Note" is 1001 characters long',
			],
			[
				'a salutation over 25 characters',
				{ contactType: 'person', lastName: 'Muster', additionalFields: { salutation: 'S'.repeat(26) } },
				'"Salutation" is 26 characters long',
			],
			[
				'only one XRechnung field',
				{ additionalFields: { xRechnungBuyerReference: '04011000-1234512345-35' } },
				'"XRechnung Vendor Number at Customer" is missing',
			],
			['no role', { roles: [] }, '"Roles" needs at least one role'],
			['no company name', { companyName: ' ' }, '"Company Name" is required'],
			[
				'an invalid email',
				{ additionalFields: { officeEmail: 'info(at)example.de' } },
				'"Office Email" is not an email address',
			],
			[
				'a country name instead of a code',
				{ additionalFields: { billingAddress: { address: { countryCode: 'Germany' } } } },
				'"Billing Address: Country Code" must be a two-letter country code',
			],
			[
				'a contact person without last name',
				{ additionalFields: { contactPerson: { person: { firstName: 'Inge' } } } },
				'"Contact Person: Last Name" is required',
			],
		])('%s is refused before any request', async (_case, parameters, message) => {
			const error = await operationError(sb, {
				resource: 'contact',
				operation: 'create',
				contactType: 'company',
				roles: ['customer'],
				companyName: 'Muster GmbH',
				...parameters,
			});
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toContain(message);
			expect(error.description).toBeTruthy();
			expect(sb.requests.count()).toBe(0);
		});
	});

	describe('Update', () => {
		const update = (id: string, updateFields: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
			resource: 'contact',
			operation: 'update',
			contactId: byId(id),
			updateFields,
			...extra,
		});
		const puts = () => sb.requests.filter({ method: 'PUT' }).map((request) => request.status);

		test('changes only the given fields and keeps the rest', async () => {
			const contact = simpleCompany('Muster GmbH');
			const before = structuredClone(contact);
			const [item] = await runOperation(
				sb,
				update(contact.id, { businessEmail: 'neu@example.de', note: 'Neue Notiz' }),
			);
			const after = sb.state.contacts.get(contact.id) as Contact;
			expect(after.emailAddresses).toEqual({ business: ['neu@example.de'] });
			expect(after.note).toBe('Neue Notiz');
			expect(after.company).toEqual(before.company);
			expect(after.addresses).toEqual(before.addresses);
			expect(after.phoneNumbers).toEqual(before.phoneNumbers);
			expect(after.roles).toEqual(before.roles);
			expect(after.version).toBe(before.version + 1);
			expect(item.json).toEqual(plain(after));
			expect(puts()).toEqual([200]);
		});

		test('a field added but left empty is removed; an address replaces the current one', async () => {
			const contact = simpleCompany('Muster GmbH', { note: 'alt' });
			await runOperation(
				sb,
				update(contact.id, {
					note: '',
					businessPhone: '',
					billingAddress: { address: { city: 'Berlin', countryCode: 'DE' } },
				}),
			);
			const after = sb.state.contacts.get(contact.id) as Contact;
			expect(after.note).toBeUndefined();
			expect(after.phoneNumbers?.business).toBeUndefined();
			expect(after.addresses?.billing).toEqual([{ city: 'Berlin', countryCode: 'DE' }]);
		});

		test('a 409 (changed meanwhile) is retried once on fresh data and ends with one successful PUT', async () => {
			const contact = simpleCompany('Muster GmbH');
			const staleRead = structuredClone(contact);
			// Someone changes the note after our GET and before our PUT: we read the old version.
			sb.simulate.changeContact(contact.id, { note: 'changed elsewhere' });
			sb.setFaults({
				failNext: [{ method: 'GET', pathIncludes: `/v1/contacts/${contact.id}`, status: 200, body: staleRead }],
			});

			await runOperation(sb, update(contact.id, { businessEmail: 'neu@example.de' }));

			expect(puts()).toEqual([409, 200]);
			const after = sb.state.contacts.get(contact.id) as Contact;
			expect(after.emailAddresses).toEqual({ business: ['neu@example.de'] });
			expect(after.note).toBe('changed elsewhere');
			expect(after.version).toBe(staleRead.version + 2);
		});

		test('a second conflict is reported, not retried again', async () => {
			const contact = simpleCompany('Muster GmbH');
			const staleRead = structuredClone(contact);
			sb.simulate.changeContact(contact.id, { note: 'changed elsewhere' });
			const stale = { method: 'GET', pathIncludes: `/v1/contacts/${contact.id}`, status: 200, body: staleRead };
			sb.setFaults({ failNext: [stale, { ...stale }] });

			const error = await operationError(sb, update(contact.id, { businessEmail: 'neu@example.de' }));
			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.httpCode).toBe('409');
			expect(puts()).toEqual([409, 409]);
		});

		test('a contact with several entries in a list is refused before any PUT, naming the lists', async () => {
			const contact = simpleCompany('Viele Adressen GmbH', {
				addresses: {
					billing: [
						{ street: 'A-Str. 1', zip: '10115', city: 'Berlin', countryCode: 'DE' },
						{ street: 'B-Str. 2', zip: '10115', city: 'Berlin', countryCode: 'DE' },
					],
				},
				phoneNumbers: { business: ['030 1', '030 2', '030 3'] },
			});
			const version = contact.version;
			const error = await operationError(sb, update(contact.id, { note: 'neu' }));
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toContain('addresses.billing (2 entries)');
			expect(error.message).toContain('phoneNumbers.business (3 entries)');
			expect(error.description).toContain('Nothing was changed');
			expect(sb.requests.count({ method: 'PUT' })).toBe(0);
			expect(sb.state.contacts.get(contact.id)?.version).toBe(version);
		});

		test('person fields on a company are refused before any PUT', async () => {
			const contact = simpleCompany('Muster GmbH');
			const error = await operationError(sb, update(contact.id, { firstName: 'Max' }));
			expect(error.message).toBe('The contact is a company, so "First Name" cannot be set');
			expect(sb.requests.count({ method: 'PUT' })).toBe(0);
		});

		test('bad input is refused before the contact is even read', async () => {
			const contact = simpleCompany('Muster GmbH');
			const error = await operationError(sb, update(contact.id, { note: 'x'.repeat(1001) }));
			expect(error.message).toContain('"Note" is 1001 characters long');
			expect(sb.requests.count()).toBe(0);
		});
	});

	describe('Find by Email', () => {
		const find = (email: string, options: Record<string, unknown> = {}) => ({
			resource: 'contact',
			operation: 'findByEmail',
			email,
			options,
		});

		test('finds the contact with exactly this address, taking "_" literally', async () => {
			const wanted = simpleCompany('Unterstrich GmbH', { emailAddresses: { business: ['max_muster@firma.de'] } });
			// With "_" as a wildcard (§3.2) these would match too.
			simpleCompany('Wildcard GmbH', { emailAddresses: { business: ['maxxmuster@firma.de'] } });
			simpleCompany('Teilstring GmbH', { emailAddresses: { business: ['chef.max_muster@firma.de'] } });
			const output = await runOperation(sb, find('MAX_MUSTER@firma.de'));
			expect(jsonOf(output).map((contact) => contact.id)).toEqual([wanted.id]);
			expect(sb.requests.last()?.query.email).toBe('MAX\\_MUSTER@firma.de');
		});

		test("matches contact persons' addresses; nothing found gives no item", async () => {
			const company = simpleCompany('Personen GmbH', {
				company: {
					name: 'Personen GmbH',
					contactPersons: [{ lastName: 'Muster', emailAddress: 'p.muster@personen.de' }],
				},
			});
			expect(jsonOf(await runOperation(sb, find('p.muster@personen.de'))).map((c) => c.id)).toEqual([company.id]);
			expect(await runOperation(sb, find('niemand@nirgends.de'))).toEqual([]);
		});

		test('several matches fail by default and list them; Return First / Return All on request', async () => {
			const first = simpleCompany('Doppelt A GmbH', { emailAddresses: { business: ['doppelt@example.de'] } });
			const second = simpleCompany('Doppelt B GmbH', { emailAddresses: { office: ['doppelt@example.de'] } });
			const error = await operationError(sb, find('doppelt@example.de'));
			expect(error.message).toContain('2 contacts have the email doppelt@example.de');
			expect(error.message).toContain(first.id);
			expect(error.message).toContain(second.id);
			expect(
				jsonOf(await runOperation(sb, find('doppelt@example.de', { severalMatches: 'first' }))).map((c) => c.id),
			).toEqual([first.id]);
			expect(await runOperation(sb, find('doppelt@example.de', { severalMatches: 'all' }))).toHaveLength(2);
		});

		test('archived contacts count unless turned off', async () => {
			const archived = simpleCompany('Archiv GmbH', { emailAddresses: { business: ['archiv@example.de'] } });
			sb.simulate.archiveContact(archived.id);
			expect(await runOperation(sb, find('archiv@example.de'))).toHaveLength(1);
			expect(await runOperation(sb, find('archiv@example.de', { includeArchived: false }))).toEqual([]);
		});

		test('an address that is not one is refused before any request', async () => {
			const error = await operationError(sb, find('nobody'));
			expect(error.message).toContain('"Email" is not an email address');
			expect(sb.requests.count()).toBe(0);
		});
	});

	describe('Find by Customer Number', () => {
		test('finds the customer, not a vendor that has the same number', async () => {
			const customer = contacts().find((contact) => contact.roles.customer?.number !== undefined) as Contact;
			const number = customer.roles.customer?.number as number;
			sb.simulate.createContact({ roles: { vendor: { number } }, company: { name: 'Lieferant mit gleicher Nummer' } });
			const output = await runOperation(sb, {
				resource: 'contact',
				operation: 'findByCustomerNumber',
				customerNumber: number,
			});
			expect(jsonOf(output).map((contact) => contact.id)).toEqual([customer.id]);
			expect(sb.requests.last()?.query).toMatchObject({ number: String(number), customer: 'true' });
		});

		test('an unknown number gives no item; a broken one is refused before any request', async () => {
			expect(
				await runOperation(sb, { resource: 'contact', operation: 'findByCustomerNumber', customerNumber: 99999 }),
			).toEqual([]);
			sb.requests.clear();
			const error = await operationError(sb, {
				resource: 'contact',
				operation: 'findByCustomerNumber',
				customerNumber: 12.5,
			});
			expect(error.message).toContain('"Customer Number" must be a whole number, not 12.5');
			expect(sb.requests.count()).toBe(0);
		});
	});
});
