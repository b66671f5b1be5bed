import { randomUUID } from 'node:crypto';

import { DateTime } from 'luxon';

import { generateLexofficeContacts, generateLexofficeInvoices } from '../seed';
import { storeNewContact } from './contacts';
import type { SeedRequest } from './context';
import { setInvoiceStatus, storeNewInvoice, validateInvoiceBody } from './invoices';
import type { LexofficeState } from './state';
import { BERLIN, lexofficeTimestamp } from './time';

const DAY = 24 * 60 * 60 * 1000;

/**
 * Adds deterministic German data (test/sandbox/seed) without emitting webhooks: it stands for
 * what the account already held. Invoices are dated relative to today so `overdue` stays meaningful.
 */
export function seedState(state: LexofficeState, request: SeedRequest): { contacts: number; invoices: number } {
	const seed = request.seed ?? 1;
	const takenNumbers = new Set(
		[...state.contacts.values()].flatMap((c) => [c.roles.customer?.number, c.roles.vendor?.number]),
	);
	for (const { id, version, archived, ...fields } of generateLexofficeContacts(request.contacts ?? 0, seed)) {
		for (const role of ['customer', 'vendor'] as const) {
			const entry = fields.roles[role];
			// Seeding twice must not duplicate numbers (unique per organization, §3.3).
			if (entry?.number !== undefined && takenNumbers.has(entry.number)) delete entry.number;
		}
		storeNewContact(state, fields, { id: state.contacts.has(id) ? randomUUID() : id, version, archived });
	}

	const today = DateTime.now().setZone(BERLIN).toISODate() ?? '';
	const invoices = generateLexofficeInvoices([...state.contacts.values()], request.invoices ?? 0, seed, today);
	for (const { body, status, createdAt, paidShare } of invoices) {
		const violations = validateInvoiceBody(body, state);
		if (violations.length > 0) throw new Error(`seed invoice invalid: ${JSON.stringify(violations)}`);
		const invoice = storeNewInvoice(state, body, status === 'draft' ? 'draft' : 'open', createdAt);
		const settledAt = Math.min(Date.now(), createdAt + 5 * DAY);
		if (paidShare !== undefined) {
			const amount = Math.round(invoice.totalPrice.totalGrossAmount * paidShare * 100) / 100;
			state.payments.set(invoice.id, [
				{ paymentItemType: 'manualPayment', postingDate: lexofficeTimestamp(settledAt), amount, currency: 'EUR' },
			]);
			if (status === 'paid') setInvoiceStatus(invoice, 'paid', settledAt);
		}
		if (status === 'voided') setInvoiceStatus(invoice, 'voided', settledAt);
	}
	return { contacts: state.contacts.size, invoices: state.invoices.size };
}
