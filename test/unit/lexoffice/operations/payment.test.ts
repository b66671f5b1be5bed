import { NodeApiError } from 'n8n-workflow';

import { parseAmount } from '../../../../nodes/Lexoffice/helpers/amounts';
import { startLexofficeSandbox, type Invoice, type LexofficeSandbox } from '../../../sandbox/lexoffice';
import { operationError, runOperation } from './helpers';

/** Payment → Get against the sandbox (lexoffice-api.md §8.1). */
describe('LexOffice node: Payment', () => {
	let sb: LexofficeSandbox;
	beforeAll(async () => {
		sb = await startLexofficeSandbox({ seed: { contacts: 10, invoices: 40, seed: 5 } });
	});
	afterAll(async () => await sb.close());
	beforeEach(() => sb.reset());

	const get = (voucherId: string) => ({ resource: 'payment', operation: 'get', voucherId });
	const invoice = (predicate: (candidate: Invoice) => boolean) =>
		[...sb.state.invoices.values()].find(predicate) as Invoice;

	test('a partly paid invoice: open amount, status and payment items', async () => {
		const partlyPaid = invoice(
			(candidate) => candidate.voucherStatus === 'open' && (sb.state.payments.get(candidate.id) ?? []).length > 0,
		);
		const paidSoFar = (sb.state.payments.get(partlyPaid.id) ?? []).reduce((sum, item) => sum + item.amount, 0);
		const [item] = await runOperation(sb, get(partlyPaid.id));
		expect(item.json).toMatchObject({
			voucherId: partlyPaid.id,
			available: true,
			paymentStatus: 'openRevenue',
			voucherStatus: 'open',
			openAmount: Math.round((partlyPaid.totalPrice.totalGrossAmount - paidSoFar) * 100) / 100,
			paymentItems: JSON.parse(JSON.stringify(sb.state.payments.get(partlyPaid.id))),
		});
	});

	test('a paid invoice has nothing open and a paid date', async () => {
		const paid = invoice((candidate) => candidate.voucherStatus === 'paid');
		const [item] = await runOperation(sb, get(paid.id));
		expect(item.json).toMatchObject({
			available: true,
			openAmount: 0,
			paymentStatus: 'balanced',
			paidDate: expect.any(String),
		});
	});

	test("a draft has no payment information: { available: false } with LexOffice's message, like the trigger", async () => {
		const draft = invoice((candidate) => candidate.voucherStatus === 'draft');
		const [item] = await runOperation(sb, get(draft.id));
		expect(item.json).toEqual({
			voucherId: draft.id,
			available: false,
			message: 'Payment information is not available for draft vouchers.',
		});
	});

	test('amounts sent as strings are read as numbers', async () => {
		const paid = invoice((candidate) => candidate.voucherStatus === 'paid');
		sb.setFaults({
			failNext: [
				{
					method: 'GET',
					pathIncludes: '/v1/payments/',
					status: 200,
					body: {
						openAmount: '1337.00',
						paymentStatus: 'openRevenue',
						currency: 'EUR',
						paymentItems: [{ amount: '12,50', currency: 'EUR' }],
					},
				},
			],
		});
		const [item] = await runOperation(sb, get(paid.id));
		expect(item.json).toMatchObject({ openAmount: 1337, paymentItems: [{ amount: 12.5, currency: 'EUR' }] });
	});

	test('an amount that is no number is reported, not passed on', async () => {
		sb.setFaults({
			failNext: [{ method: 'GET', pathIncludes: '/v1/payments/', status: 200, body: { openAmount: 'n/a' } }],
		});
		const error = await operationError(sb, get(invoice(() => true).id));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toContain('unexpected format (expected a number as openAmount)');
	});

	test("an unknown voucher is LexOffice's 404; a malformed ID costs no request", async () => {
		const notFound = await operationError(sb, get('e9066f04-8cc7-4616-93f8-ac9ecc8479c8'));
		expect(notFound).toBeInstanceOf(NodeApiError);
		expect(notFound.httpCode).toBe('404');
		sb.requests.clear();
		const malformed = await operationError(sb, get('RE1019'));
		expect(malformed.message).toContain('"Voucher ID" must be a LexOffice ID');
		expect(sb.requests.count()).toBe(0);
	});

	test.each([
		[72, 72],
		['1337.00', 1337],
		['1.337,00', 1337],
		['1,337.50', 1337.5],
		['12,5', 12.5],
		['-3.20', -3.2],
		['€ 99', 99],
		['n/a', undefined],
		[null, undefined],
	])('parseAmount(%p) = %p', (input, expected) => {
		expect(parseAmount(input)).toBe(expected);
	});
});
