import { NodeApiError } from 'n8n-workflow';

import {
	encodeSearchValue,
	lexofficeGetAll,
	lexofficePages,
	lexofficeRequest,
	lexofficeSearchAll,
	formatLexofficeDate,
} from '../../../nodes/Lexoffice/transport';
import { startLexofficeSandbox, type LexofficeSandbox } from '../../sandbox/lexoffice';
import { executeContext, newCompanyContact } from './helpers';

const CONTACTS = 600;
const INVOICES = 120;
const WINDOW = 25;

describe('paging, search window and search encoding (sandbox)', () => {
	let sb: LexofficeSandbox;
	beforeAll(async () => {
		sb = await startLexofficeSandbox({
			seed: { contacts: CONTACTS, invoices: INVOICES, seed: 3 },
			searchWindow: WINDOW,
		});
	});
	afterAll(async () => await sb.close());
	beforeEach(() => sb.requests.clear());

	describe('Spring pages (§9)', () => {
		test('lexofficeGetAll walks every page at size 250 and stops at `last`', async () => {
			const contacts = await lexofficeGetAll.call(executeContext(sb), '/v1/contacts');
			expect(contacts).toHaveLength(CONTACTS);
			expect(new Set(contacts.map((c) => c.id)).size).toBe(CONTACTS);
			const calls = sb.requests.filter({ pathIncludes: '/v1/contacts' });
			expect(calls.map((call) => [call.query.page, call.query.size])).toEqual([
				['0', '250'],
				['1', '250'],
				['2', '250'],
			]);
		});

		test('a limit stops early and asks for no more than needed', async () => {
			const contacts = await lexofficeGetAll.call(
				executeContext(sb),
				'/v1/contacts',
				{ customer: true },
				{ limit: 30 },
			);
			expect(contacts).toHaveLength(30);
			expect(contacts.every((contact) => (contact.roles as { customer?: unknown }).customer)).toBe(true);
			expect(sb.requests.filter({ pathIncludes: '/v1/contacts' }).map((call) => call.query)).toEqual([
				{ customer: 'true', page: '0', size: '30' },
			]);
		});

		test('lexofficePages yields pages with totalElements', async () => {
			const pages = [];
			for await (const page of lexofficePages.call(
				executeContext(sb),
				'/v1/contacts',
				{},
				{ pageSize: 100, limit: 250 },
			)) {
				pages.push(page);
			}
			expect(pages.map((page) => page.content.length)).toEqual([100, 100, 50]);
			expect(pages[0].totalElements).toBe(CONTACTS);
		});

		test('an unpaged list (no `last`) is one page', async () => {
			const subscriptions = await lexofficeGetAll.call(executeContext(sb), '/v1/event-subscriptions');
			expect(subscriptions).toEqual([]);
			expect(sb.requests.count({ pathIncludes: '/v1/event-subscriptions' })).toBe(1);
		});
	});

	describe('the search window of the voucherlist (§5)', () => {
		const search = { voucherType: 'invoice', voucherStatus: 'any' };

		test('the sandbox really refuses to page beyond the window', async () => {
			const error = await lexofficeRequest
				.call(executeContext(sb), { path: '/v1/voucherlist', qs: { ...search, page: 1, size: WINDOW } })
				.catch((e: unknown) => e);
			expect((error as NodeApiError).message).toBe('Maximum search window size exceeded');
			// and plain paging cannot get everything:
			await expect(
				lexofficeGetAll.call(executeContext(sb), '/v1/voucherlist', search, { pageSize: 10 }),
			).rejects.toThrow('Maximum search window size exceeded');
		});

		test('lexofficeSearchAll splits by voucherDate and returns every invoice once', async () => {
			const vouchers = await lexofficeSearchAll.call(executeContext(sb), {
				path: '/v1/voucherlist',
				qs: search,
				dateField: 'voucherDate',
				windowSize: WINDOW,
			});
			expect(vouchers).toHaveLength(INVOICES);
			expect(new Set(vouchers.map((v) => v.id))).toEqual(new Set(sb.state.invoices.keys()));
			// It had to split, and every request stayed within the window.
			const calls = sb.requests.filter({ pathIncludes: '/v1/voucherlist' });
			expect(calls.some((call) => call.query.voucherDateFrom && call.query.voucherDateTo)).toBe(true);
			expect(calls.every((call) => call.status === 200)).toBe(true);
			// The range was found from the data (earliest and latest voucherDate), not guessed.
			expect(
				calls.filter((call) => call.query.sort?.startsWith('voucherDate,')).map((call) => call.query.sort),
			).toEqual(['voucherDate,ASC', 'voucherDate,DESC']);
		});

		test('with an explicit range by updatedDate it only returns that range', async () => {
			const allDays = [...sb.state.invoices.values()].map((invoice) => formatLexofficeDate(invoice.updatedDate)).sort();
			const from = allDays[Math.floor(allDays.length / 4)];
			const to = allDays[Math.floor((allDays.length * 3) / 4)];
			const expected = [...sb.state.invoices.values()].filter((invoice) => {
				const day = formatLexofficeDate(invoice.updatedDate);
				return day >= from && day <= to;
			});
			expect(expected.length).toBeGreaterThan(WINDOW);
			const vouchers = await lexofficeSearchAll.call(executeContext(sb), {
				path: '/v1/voucherlist',
				qs: search,
				dateField: 'updatedDate',
				from,
				to,
				windowSize: WINDOW,
			});
			expect(new Set(vouchers.map((v) => v.id))).toEqual(new Set(expected.map((invoice) => invoice.id)));
			expect(vouchers).toHaveLength(expected.length);
		});

		test('a small search is not split and a limit is honoured', async () => {
			const few = await lexofficeSearchAll.call(executeContext(sb), {
				path: '/v1/voucherlist',
				qs: { ...search, voucherStatus: 'voided' },
				dateField: 'voucherDate',
				windowSize: WINDOW,
			});
			const voided = [...sb.state.invoices.values()].filter((invoice) => invoice.voucherStatus === 'voided');
			expect(voided.length).toBeLessThan(WINDOW);
			expect(few).toHaveLength(voided.length);
			expect(sb.requests.count({ pathIncludes: '/v1/voucherlist' })).toBe(1);

			const limited = await lexofficeSearchAll.call(executeContext(sb), {
				path: '/v1/voucherlist',
				qs: search,
				dateField: 'voucherDate',
				windowSize: WINDOW,
				limit: 40,
			});
			expect(limited).toHaveLength(40);
			expect(new Set(limited.map((v) => v.id)).size).toBe(40);
		});

		test('more results on one day than the window holds is reported, not truncated', async () => {
			const day = '2030-01-15';
			const error = await lexofficeSearchAll
				.call(executeContext(sb), {
					path: '/v1/voucherlist',
					qs: search,
					dateField: 'voucherDate',
					from: day,
					to: day,
					windowSize: 1,
				})
				.then(
					() => undefined,
					(e: unknown) => e,
				);
			// No invoice on that day: nothing to split, nothing to report.
			expect(error).toBeUndefined();
			const busiestDay = Object.entries(
				[...sb.state.invoices.values()].reduce<Record<string, number>>((acc, invoice) => {
					const d = formatLexofficeDate(invoice.voucherDate);
					acc[d] = (acc[d] ?? 0) + 1;
					return acc;
				}, {}),
			).sort((a, b) => b[1] - a[1])[0];
			expect(busiestDay[1]).toBeGreaterThan(1);
			await expect(
				lexofficeSearchAll.call(executeContext(sb), {
					path: '/v1/voucherlist',
					qs: search,
					dateField: 'voucherDate',
					from: busiestDay[0],
					to: busiestDay[0],
					windowSize: busiestDay[1],
				}),
			).rejects.toThrow(`More than ${busiestDay[1]} results on ${busiestDay[0]}`);
		});
	});

	describe('search encoding (§3.2)', () => {
		test('"johnson & partner" is found only with encodeSearchValue', async () => {
			const ctx = executeContext(sb);
			const created = (await lexofficeRequest.call(ctx, {
				method: 'POST',
				path: '/v1/contacts',
				body: newCompanyContact('Kanzlei Johnson & Partner <Berlin>'),
			})) as { id: string };

			const encoded = await lexofficeGetAll.call(ctx, '/v1/contacts', {
				name: encodeSearchValue('johnson & partner <berlin>'),
			});
			expect(encoded.map((c) => c.id)).toEqual([created.id]);

			const plain = await lexofficeGetAll.call(ctx, '/v1/contacts', { name: 'johnson & partner <berlin>' });
			expect(plain).toEqual([]);

			// What went over the wire, decoded once by the server: the HTML-encoded value (not %26amp%3B again).
			const sent = sb.requests.filter({ pathIncludes: '/v1/contacts', method: 'GET' }).map((r) => r.query.name);
			expect(sent).toEqual(['johnson &amp; partner &lt;berlin&gt;', 'johnson & partner <berlin>']);
		});
	});
});
