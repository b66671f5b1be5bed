import { json } from '../common';
import type { Handler } from './context';
import { regularError } from './errors';
import type { LexofficeState } from './state';
import type { Invoice } from './types';

/** Payments: lexoffice-api.md §8.1 (`GET /v1/payments/{voucherId}`, the voucher id, not a payment id). */

const round2 = (value: number) => Math.round(value * 100) / 100;

export function paidAmount(state: LexofficeState, invoiceId: string): number {
	return round2((state.payments.get(invoiceId) ?? []).reduce((sum, item) => sum + item.amount, 0));
}

/** Voided vouchers are balanced with nothing open; drafts have no payment information. */
export function openAmount(state: LexofficeState, invoice: Invoice): number | null {
	if (invoice.voucherStatus === 'draft') return null;
	if (invoice.voucherStatus === 'voided') return 0;
	return Math.max(0, round2(invoice.totalPrice.totalGrossAmount - paidAmount(state, invoice.id)));
}

export const getPayments: Handler = (ctx, request, [voucherId]) => {
	const invoice = ctx.state.invoices.get(voucherId);
	if (!invoice) return regularError(404, request.path, 'Not Found');
	if (invoice.voucherStatus === 'draft') {
		// §6.2/§8.1: drafts carry no payment information ("not an error condition" for payment.changed).
		return regularError(406, request.path, 'Payment information is not available for draft vouchers.');
	}
	const open = openAmount(ctx.state, invoice) ?? 0;
	const items = ctx.state.payments.get(invoice.id) ?? [];
	return json(200, {
		openAmount: open,
		paymentStatus: open === 0 ? 'balanced' : 'openRevenue',
		currency: 'EUR',
		voucherType: 'invoice',
		voucherStatus: invoice.voucherStatus,
		...(invoice.voucherStatus === 'paid' && items.length > 0 ? { paidDate: items[items.length - 1].postingDate } : {}),
		paymentItems: items,
	});
};
