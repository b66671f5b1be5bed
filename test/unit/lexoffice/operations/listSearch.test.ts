import { Lexoffice } from '../../../../nodes/Lexoffice/Lexoffice.node';
import { createLoadOptionsContext } from '../../../helpers/n8nContext';
import { startLexofficeSandbox, type LexofficeSandbox } from '../../../sandbox/lexoffice';
import { sandboxCredentials } from '../helpers';

/** The "From List" mode of the contact and invoice pickers. */
describe('LexOffice node: list search', () => {
	let sb: LexofficeSandbox;
	beforeAll(async () => {
		sb = await startLexofficeSandbox({ seed: { contacts: 150, invoices: 30, seed: 9 } });
	});
	afterAll(async () => await sb.close());
	beforeEach(() => sb.requests.clear());

	const node = new Lexoffice();
	const context = () =>
		createLoadOptionsContext(node, {
			parameters: { resource: 'invoice', operation: 'get' },
			credentials: { lexofficeApi: { ...sandboxCredentials(sb).lexofficeApi, appUrl: 'https://app.example.de' } },
		});

	test('contacts: pages of 100 with a token for the next one, each with its LexOffice link', async () => {
		const first = await node.methods.listSearch.searchContacts.call(context());
		expect(first.results).toHaveLength(100);
		expect(first.paginationToken).toBe('1');
		const second = await node.methods.listSearch.searchContacts.call(context(), '', first.paginationToken);
		expect(second.results).toHaveLength(50);
		expect(second.paginationToken).toBeUndefined();
		const ids = new Set([...first.results, ...second.results].map((result) => result.value));
		expect(ids).toEqual(new Set(sb.state.contacts.keys()));
		const [result] = first.results;
		expect(result.url).toBe(`https://app.example.de/permalink/contacts/view/${String(result.value)}`);
	});

	test('contacts: a search of 3 or more characters filters by name ("&" included), shorter ones list all', async () => {
		const found = await node.methods.listSearch.searchContacts.call(context(), 'GmbH & Co');
		const expected = [...sb.state.contacts.values()].filter((contact) => contact.company?.name.includes('GmbH & Co'));
		expect(expected.length).toBeGreaterThan(0);
		expect(found.results.map((result) => result.value).sort()).toEqual(expected.map((contact) => contact.id).sort());
		expect(found.results.every((result) => result.name.includes('GmbH & Co'))).toBe(true);
		await node.methods.listSearch.searchContacts.call(context(), 'Gm');
		expect(sb.requests.last()?.query.name).toBeUndefined();
	});

	test('invoices: newest first, searchable by voucher number', async () => {
		const newest = await node.methods.listSearch.searchInvoices.call(context());
		expect(newest.results).toHaveLength(30);
		const target = [...sb.state.invoices.values()][4];
		const found = await node.methods.listSearch.searchInvoices.call(context(), target.voucherNumber);
		expect(found.results.map((result) => result.value)).toEqual([target.id]);
		expect(found.results[0].name).toContain(target.voucherNumber);
		expect(found.results[0].url).toBe(`https://app.example.de/permalink/invoices/view/${target.id}`);
	});
});
