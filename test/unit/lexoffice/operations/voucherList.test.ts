import { NodeOperationError } from 'n8n-workflow';

import { startLexofficeSandbox, type LexofficeSandbox } from '../../../sandbox/lexoffice';
import { jsonOf, operationError, runOperation } from './helpers';

/** A window this small makes the sandbox refuse what LexOffice refuses beyond 10,000 results (§5). */
const WINDOW = 40;
const INVOICES = 150;

/** Voucher List → Get Many against the sandbox (lexoffice-api.md §5). */
describe('LexOffice node: Voucher List', () => {
	let sb: LexofficeSandbox;
	beforeAll(async () => {
		sb = await startLexofficeSandbox({ searchWindow: WINDOW, seed: { contacts: 25, invoices: INVOICES, seed: 11 } });
	});
	afterAll(async () => await sb.close());
	beforeEach(() => sb.reset());

	const invoices = () => [...sb.state.invoices.values()];
	const list = (extra: Record<string, unknown> = {}) => ({
		resource: 'voucherList',
		operation: 'getMany',
		voucherType: ['invoice'],
		voucherStatus: ['any'],
		returnAll: true,
		...extra,
	});
	const isDescending = (values: string[]) =>
		values.every((value, i) => i === 0 || Date.parse(values[i - 1]) >= Date.parse(value));

	test('Return All gets every voucher although they exceed the search window, in the chosen order', async () => {
		const output = await runOperation(sb, list());
		expect(output).toHaveLength(INVOICES);
		expect(new Set(jsonOf(output).map((voucher) => voucher.id))).toEqual(
			new Set(invoices().map((invoice) => invoice.id)),
		);
		// LexOffice's default order (voucher date, newest first) holds across the pieces of the split search.
		expect(isDescending(jsonOf(output).map((voucher) => String(voucher.voucherDate)))).toBe(true);
		const searches = sb.requests.filter({ pathIncludes: '/v1/voucherlist' });
		expect(searches.some((request) => request.query.voucherDateFrom && request.query.voucherDateTo)).toBe(true);
		// Every request stayed inside the window; none was refused.
		expect(searches.every((request) => request.status === 200)).toBe(true);
	});

	test('ascending by voucher number, across the split as well', async () => {
		const output = await runOperation(sb, list({ options: { sortBy: 'voucherNumber', sortDirection: 'ASC' } }));
		const numbers = jsonOf(output).map((voucher) => Number(String(voucher.voucherNumber).replace('RE', '')));
		expect(numbers).toHaveLength(INVOICES);
		expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
	});

	test('a Limit within the window takes one search', async () => {
		const output = await runOperation(sb, list({ returnAll: false, limit: 10 }));
		expect(output).toHaveLength(10);
		expect(sb.requests.count({ pathIncludes: '/v1/voucherlist' })).toBe(1);
	});

	test('filters: status, contact and a voucher date range as Berlin days', async () => {
		const paid = invoices().filter((invoice) => invoice.voucherStatus === 'paid' && invoice.address.contactId);
		const contactId = paid[0].address.contactId as string;
		const days = invoices()
			.map((invoice) => invoice.voucherDate.slice(0, 10))
			.sort();
		const from = paid[0].voucherDate.slice(0, 10);
		const to = days[days.length - 2];
		const expected = invoices().filter(
			(invoice) =>
				invoice.voucherStatus === 'paid' &&
				invoice.address.contactId === contactId &&
				invoice.voucherDate.slice(0, 10) >= from &&
				invoice.voucherDate.slice(0, 10) <= to,
		);
		expect(expected.length).toBeGreaterThan(0);
		expect(expected.length).toBeLessThan(paid.length);
		const output = await runOperation(
			sb,
			list({
				voucherStatus: ['paid'],
				filters: { contactId, voucherDateFrom: `${from}T00:00:00`, voucherDateTo: to },
			}),
		);
		expect(
			jsonOf(output)
				.map((voucher) => voucher.id)
				.sort(),
		).toEqual(expected.map((invoice) => invoice.id).sort());
		expect(sb.requests.filter({ pathIncludes: '/v1/voucherlist' })[0].query).toMatchObject({
			voucherType: 'invoice',
			voucherStatus: 'paid',
			contactId,
			voucherDateFrom: from,
			voucherDateTo: to,
		});
	});

	test('an instant with an offset becomes its day in Berlin', async () => {
		await runOperation(sb, list({ returnAll: false, limit: 1, filters: { updatedDateFrom: '2025-02-28T23:30:00Z' } }));
		expect(sb.requests.last()?.query.updatedDateFrom).toBe('2025-03-01');
	});

	test('overdue alone lists the open invoices past their due date', async () => {
		const output = await runOperation(sb, list({ voucherStatus: ['overdue'] }));
		expect(output.length).toBeGreaterThan(0);
		expect(jsonOf(output).every((voucher) => voucher.voucherStatus === 'overdue')).toBe(true);
	});

	test.each([
		['"Any" with other types', { voucherType: ['any', 'invoice'] }, '"Voucher Types": "Any" must be chosen alone'],
		[
			'"Overdue" with other statuses',
			{ voucherStatus: ['overdue', 'open'] },
			'"Voucher Statuses": "Overdue" must be chosen alone',
		],
		['no status', { voucherStatus: [] }, '"Voucher Statuses" is empty'],
		[
			'a range that ends before it starts',
			{ filters: { createdDateFrom: '2025-03-02', createdDateTo: '2025-03-01' } },
			'"Created From" (2025-03-02) is after "Created To" (2025-03-01)',
		],
		['a contact ID that is no UUID', { filters: { contactId: '10001' } }, '"Contact ID" must be a LexOffice ID'],
		['an unreadable date', { filters: { updatedDateTo: 'last week' } }, '"Updated To" is not a valid date'],
	])('%s is refused before any request', async (_case, change, message) => {
		const error = await operationError(sb, list(change));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toContain(message);
		expect(sb.requests.count()).toBe(0);
	});
});
