import { startLexofficeSandbox, type LexofficeSandbox } from '../../../sandbox/lexoffice';
import { SIMPLE_CONTACT_FIELDS } from '../../../../nodes/Lexoffice/actions/contact/output';
import { SIMPLE_INVOICE_FIELDS } from '../../../../nodes/Lexoffice/actions/invoice/read';
import { byId, jsonOf, runOperation } from './helpers';

/** Simplify (node version 2, default on) on Contact Get / Get Many and Invoice Get; version 1 keeps full records. */
describe('LexOffice node: Simplify', () => {
	let sb: LexofficeSandbox;
	beforeAll(async () => {
		sb = await startLexofficeSandbox({ seed: { contacts: 12, invoices: 6, seed: 5 } });
	});
	afterAll(async () => await sb.close());

	const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
	const company = () =>
		sb.simulate.createContact({
			roles: { customer: {}, vendor: {} },
			company: { name: 'Bäckerei Simpel GmbH' },
			emailAddresses: { business: ['info@simpel.de'], private: ['chef@simpel.de'] },
			phoneNumbers: { office: ['030 555'] },
			addresses: { billing: [{ street: 'Hauptstr. 5', zip: '12345', city: 'Musterort', countryCode: 'DE' }] },
		});

	test('Contact Get: by default only the documented fields, flattened', async () => {
		const contact = plain(company());
		const [item] = await runOperation(sb, {
			resource: 'contact',
			operation: 'get',
			contactId: byId(contact.id as string),
		});
		expect(Object.keys(item.json)).toEqual([...SIMPLE_CONTACT_FIELDS]);
		const roles = contact.roles as { customer: { number: number }; vendor: { number: number } };
		expect(item.json).toEqual({
			id: contact.id,
			version: contact.version,
			name: 'Bäckerei Simpel GmbH',
			customerNumber: roles.customer.number,
			vendorNumber: roles.vendor.number,
			email: 'info@simpel.de',
			phone: '030 555',
			city: 'Musterort',
			archived: false,
		});
	});

	test('Contact Get: Simplify off and node version 1 return the full contact unchanged', async () => {
		const contact = plain(company());
		const off = await runOperation(sb, {
			resource: 'contact',
			operation: 'get',
			contactId: byId(contact.id as string),
			simplify: false,
		});
		const v1 = await runOperation(
			sb,
			{ resource: 'contact', operation: 'get', contactId: byId(contact.id as string) },
			{ typeVersion: 1 },
		);
		expect(off[0].json).toEqual(contact);
		expect(v1[0].json).toEqual(contact);
	});

	test('Contact Get Many: every item simplified (persons named "first last"); off gives full contacts', async () => {
		const all = [...sb.state.contacts.values()].map(plain);
		const simple = jsonOf(
			await runOperation(sb, { resource: 'contact', operation: 'getMany', returnAll: true, includeArchived: true }),
		);
		expect(simple).toHaveLength(all.length);
		expect(
			simple.every((contact) => JSON.stringify(Object.keys(contact)) === JSON.stringify(SIMPLE_CONTACT_FIELDS)),
		).toBe(true);
		const person = all.find((contact) => contact.person) as {
			id: string;
			person: { firstName?: string; lastName: string };
		};
		expect(person).toBeDefined();
		expect(simple.find((contact) => contact.id === person.id)?.name).toBe(
			[person.person.firstName, person.person.lastName].filter(Boolean).join(' '),
		);
		const full = jsonOf(
			await runOperation(sb, {
				resource: 'contact',
				operation: 'getMany',
				returnAll: true,
				includeArchived: true,
				simplify: false,
			}),
		);
		expect(full).toEqual(expect.arrayContaining(all));
		expect(full).toHaveLength(all.length);
	});

	test('Invoice Get: by default the documented fields; off and version 1 the full invoice', async () => {
		const invoice = plain([...sb.state.invoices.values()][0]);
		const [simple] = await runOperation(sb, {
			resource: 'invoice',
			operation: 'get',
			invoiceId: byId(invoice.id as string),
		});
		const address = invoice.address as { contactId?: string; name?: string };
		const totalPrice = invoice.totalPrice as { totalGrossAmount: number; currency: string };
		expect(Object.keys(simple.json)).toEqual([...SIMPLE_INVOICE_FIELDS]);
		expect(simple.json).toEqual({
			id: invoice.id,
			voucherNumber: invoice.voucherNumber ?? null,
			voucherStatus: invoice.voucherStatus,
			voucherDate: invoice.voucherDate ?? null,
			dueDate: invoice.dueDate ?? null,
			contactId: address.contactId ?? null,
			contactName: address.name ?? null,
			totalGrossAmount: totalPrice.totalGrossAmount,
			currency: totalPrice.currency,
			updatedDate: invoice.updatedDate,
		});
		const [off] = await runOperation(sb, {
			resource: 'invoice',
			operation: 'get',
			invoiceId: byId(invoice.id as string),
			simplify: false,
		});
		const [v1] = await runOperation(
			sb,
			{ resource: 'invoice', operation: 'get', invoiceId: byId(invoice.id as string) },
			{ typeVersion: 1 },
		);
		expect(off.json).toEqual(invoice);
		expect(v1.json).toEqual(invoice);
	});
});
