/** Deterministic German seed data (test/sandbox/seed) and how the LexOffice sandbox takes it. */
import { listsWithSeveralEntries } from '../../sandbox/lexoffice/contacts';
import { startLexofficeSandbox } from '../../sandbox/lexoffice';
import { generateLexofficeContacts, generateLexofficeInvoices } from '../../sandbox/seed';

describe('generateLexofficeContacts', () => {
	const contacts = generateLexofficeContacts(300, 42);

	it('is deterministic per seed', () => {
		expect(generateLexofficeContacts(300, 42)).toEqual(contacts);
		expect(generateLexofficeContacts(300, 43)).not.toEqual(contacts);
		expect(new Set(contacts.map((c) => c.id)).size).toBe(300);
	});

	it('mixes persons and companies with realistic German details', () => {
		const persons = contacts.filter((c) => c.person).length;
		expect(persons / contacts.length).toBeGreaterThan(0.5);
		expect(persons / contacts.length).toBeLessThan(0.7);
		expect(contacts.every((c) => Boolean(c.person) !== Boolean(c.company))).toBe(true);
		const text = JSON.stringify(contacts);
		for (const sample of ['ü', 'ö', 'ä', 'ß', 'GmbH & Co. KG']) expect(text).toContain(sample);
		const companies = contacts.filter((c) => c.company);
		const personCounts = new Set(companies.map((c) => c.company!.contactPersons!.length));
		expect([...personCounts].sort()).toEqual([0, 1, 2, 3]);
		expect(companies.some((c) => c.company!.vatRegistrationId?.match(/^DE\d{9}$/))).toBe(true);
		expect(contacts.some((c) => c.addresses?.shipping?.length)).toBe(true);
		expect(contacts.some((c) => c.archived)).toBe(true);
		expect(contacts.some((c) => c.note)).toBe(true);
		expect(contacts.some((c) => c.roles.customer && c.roles.vendor)).toBe(true);
		expect(contacts.some((c) => c.roles.vendor && !c.roles.customer)).toBe(true);
		const multi = contacts.filter((c) => listsWithSeveralEntries(c as any).length > 0);
		expect(multi.length).toBeGreaterThan(10);
		expect(multi.length).toBeLessThan(contacts.length / 2);
		const numbers = contacts.flatMap((c) => [c.roles.customer?.number, c.roles.vendor?.number]).filter(Boolean);
		expect(new Set(numbers).size).toBe(numbers.length);
	});
});

describe('generateLexofficeInvoices', () => {
	it('is deterministic and covers the statuses', () => {
		const contacts = generateLexofficeContacts(20, 1);
		const invoices = generateLexofficeInvoices(contacts, 80, 1, '2025-06-30');
		expect(generateLexofficeInvoices(contacts, 80, 1, '2025-06-30')).toEqual(invoices);
		expect(new Set(invoices.map((i) => i.status))).toEqual(
			new Set(['draft', 'open', 'overdue', 'paid', 'partiallyPaid', 'voided']),
		);
		const customerIds = new Set(contacts.filter((c) => c.roles.customer).map((c) => c.id));
		for (const { body } of invoices) {
			const contactId = (body.address as { contactId?: string }).contactId;
			if (contactId) expect(customerIds.has(contactId)).toBe(true);
		}
	});
});

describe('seeded sandbox', () => {
	it('holds API-valid data: single-entry contacts PUT back, multi-entry ones are refused', async () => {
		const sb = await startLexofficeSandbox({ seed: { contacts: 40, invoices: 30, seed: 9 } });
		try {
			const headers = { Authorization: `Bearer ${sb.apiKey}`, 'Content-Type': 'application/json' };
			for (const contact of sb.state.contacts.values()) {
				const current = (await (await fetch(`${sb.url}/v1/contacts/${contact.id}`, { headers })).json()) as Record<
					string,
					unknown
				>;
				const put = await fetch(`${sb.url}/v1/contacts/${contact.id}`, {
					method: 'PUT',
					headers,
					body: JSON.stringify(current),
				});
				const expected = listsWithSeveralEntries(current).length > 0 ? 406 : 200;
				expect([contact.id, put.status]).toEqual([contact.id, expected]);
			}
			const statuses = new Set([...sb.state.invoices.values()].map((i) => i.voucherStatus));
			expect(statuses).toEqual(new Set(['draft', 'open', 'paid', 'voided']));
			const overdue = await fetch(`${sb.url}/v1/voucherlist?voucherType=invoice&voucherStatus=overdue`, { headers });
			expect(((await overdue.json()) as any).totalElements).toBeGreaterThan(0);
		} finally {
			await sb.close();
		}
	});
});
