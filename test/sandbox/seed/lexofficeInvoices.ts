import { DateTime } from 'luxon';

import { seededRandom } from '../common/prng';
import { PLACES, PRODUCTS } from './german';
import type { SeedContact } from './lexofficeContacts';

/** Where a seed invoice should end up; `overdue` = open with its due date in the past. */
export type SeedInvoiceStatus = 'draft' | 'open' | 'overdue' | 'paid' | 'partiallyPaid' | 'voided';

export interface SeedInvoice {
	/** A valid `POST /v1/invoices` body (lexoffice-api.md §4.2). */
	body: Record<string, unknown>;
	status: SeedInvoiceStatus;
	/** Creation time (epoch ms), some days before `today`. */
	createdAt: number;
	/** Share (0..1) of the gross amount paid, for paid / partiallyPaid. */
	paidShare?: number;
}

const STATUS_WEIGHTS: Array<[SeedInvoiceStatus, number]> = [
	['draft', 0.15],
	['open', 0.2],
	['overdue', 0.15],
	['paid', 0.35],
	['partiallyPaid', 0.05],
	['voided', 0.1],
];

/**
 * `n` invoices for the customers among `contacts` (plus some one-time addresses), spread over
 * the 120 days before `today`. Same (contacts, n, seed, today) → same invoices.
 */
export function generateLexofficeInvoices(
	contacts: ReadonlyArray<Pick<SeedContact, 'id' | 'roles'>>,
	n: number,
	seed = 1,
	today = '2025-06-30',
): SeedInvoice[] {
	const random = seededRandom(seed + 7919);
	const customers = contacts.filter((contact) => contact.roles.customer);
	const todayStart = DateTime.fromISO(today, { zone: 'Europe/Berlin' }).startOf('day');
	return Array.from({ length: n }, () => {
		const status = weighted(random.next());
		// Open (not yet due) invoices are recent; overdue ones are older than their 14/30-day term.
		const term = random.pick([14, 30]);
		const ageDays =
			status === 'open'
				? random.int(0, term - 1)
				: status === 'overdue'
					? random.int(term + 1, 120)
					: random.int(0, 120);
		const voucherDay = todayStart.minus({ days: ageDays });
		const createdAt = voucherDay.plus({ hours: random.int(8, 17), minutes: random.int(0, 59) }).toMillis();
		const contact = customers.length > 0 && random.chance(0.9) ? random.pick(customers) : undefined;
		const place = random.pick(PLACES);
		const lineItems: Array<Record<string, unknown>> = Array.from({ length: random.int(1, 4) }, () => {
			const product = random.pick(PRODUCTS);
			return {
				type: 'custom',
				name: product.name,
				quantity: random.int(1, 12),
				unitName: product.unitName,
				unitPrice: { currency: 'EUR', netAmount: product.netAmount, taxRatePercentage: product.taxRatePercentage },
				discountPercentage: random.chance(0.15) ? random.pick([3, 5, 10]) : 0,
			};
		});
		if (random.chance(0.3))
			lineItems.push({ type: 'text', name: 'Hinweis', description: 'Vielen Dank für Ihren Auftrag!' });
		const body: Record<string, unknown> = {
			voucherDate: voucherDay.toFormat("yyyy-MM-dd'T'HH:mm:ss.SSSZZ"),
			address: contact
				? { contactId: contact.id }
				: {
						name: 'Barverkauf Laufkundschaft',
						street: 'Marktplatz 1',
						zip: place.zip,
						city: place.city,
						countryCode: place.countryCode,
					},
			lineItems,
			totalPrice: { currency: 'EUR' },
			taxConditions: { taxType: 'net' },
			paymentConditions: {
				paymentTermLabel: `Zahlbar innerhalb von ${term} Tagen ohne Abzug`,
				paymentTermDuration: term,
			},
			shippingConditions: {
				shippingType: 'delivery',
				shippingDate: voucherDay.toFormat("yyyy-MM-dd'T'HH:mm:ss.SSSZZ"),
			},
			title: 'Rechnung',
			introduction: 'Unsere Lieferungen/Leistungen stellen wir Ihnen wie folgt in Rechnung.',
			remark: 'Vielen Dank für die gute Zusammenarbeit.',
		};
		const paidShare = status === 'paid' ? 1 : status === 'partiallyPaid' ? random.pick([0.25, 0.5]) : undefined;
		return { body, status, createdAt, ...(paidShare === undefined ? {} : { paidShare }) };
	});
}

function weighted(draw: number): SeedInvoiceStatus {
	let sum = 0;
	for (const [status, weight] of STATUS_WEIGHTS) {
		sum += weight;
		if (draw < sum) return status;
	}
	return 'paid';
}
