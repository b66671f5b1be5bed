import { randomUUID } from 'node:crypto';

import { lexofficeTimestamp } from './time';
import type { Contact, EventSubscription, Invoice, PaymentItem, Profile, WebhookDelivery } from './types';

/** First numbers handed out; LexOffice's number ranges look like this in the docs' samples (§3.3, §4.2). */
const FIRST_CUSTOMER_NUMBER = 10001;
const FIRST_VENDOR_NUMBER = 70001;
const FIRST_INVOICE_NUMBER = 1001;

/**
 * Everything the sandbox knows, in plain maps so tests can inspect and change it directly
 * (e.g. bump a contact's version to provoke a 409). Resources are stored in the shape GET returns.
 */
export class LexofficeState {
	readonly contacts = new Map<string, Contact>();
	/** Contacts have no dates in their JSON, but action results carry them (§3.1). */
	readonly contactDates = new Map<string, { createdDate: string; updatedDate: string }>();
	readonly invoices = new Map<string, Invoice>();
	/** Payments per voucher id (§8.1). */
	readonly payments = new Map<string, PaymentItem[]>();
	readonly subscriptions = new Map<string, EventSubscription>();
	readonly deliveries: WebhookDelivery[] = [];
	nextCustomerNumber = FIRST_CUSTOMER_NUMBER;
	nextVendorNumber = FIRST_VENDOR_NUMBER;
	nextInvoiceNumber = FIRST_INVOICE_NUMBER;

	constructor(readonly profile: Profile) {}

	get organizationId(): string {
		return this.profile.organizationId;
	}

	/** Empties every collection (the profile and organization stay). */
	clear(): void {
		this.contacts.clear();
		this.contactDates.clear();
		this.invoices.clear();
		this.payments.clear();
		this.subscriptions.clear();
		this.deliveries.length = 0;
		this.nextCustomerNumber = FIRST_CUSTOMER_NUMBER;
		this.nextVendorNumber = FIRST_VENDOR_NUMBER;
		this.nextInvoiceNumber = FIRST_INVOICE_NUMBER;
	}

	/** Gives each role without a number the next one of its range; numbers are read-only for clients (§3.3). */
	assignRoleNumbers(contact: Contact): void {
		if (contact.roles.customer) {
			contact.roles.customer.number ??= this.nextCustomerNumber++;
			this.nextCustomerNumber = Math.max(this.nextCustomerNumber, contact.roles.customer.number + 1);
		}
		if (contact.roles.vendor) {
			contact.roles.vendor.number ??= this.nextVendorNumber++;
			this.nextVendorNumber = Math.max(this.nextVendorNumber, contact.roles.vendor.number + 1);
		}
	}

	takeInvoiceNumber(): string {
		return `RE${this.nextInvoiceNumber++}`;
	}

	/** A compact summary for `GET /_sandbox/state`. */
	summary(): Record<string, unknown> {
		const byStatus: Record<string, number> = {};
		for (const invoice of this.invoices.values()) {
			byStatus[invoice.voucherStatus] = (byStatus[invoice.voucherStatus] ?? 0) + 1;
		}
		const deliveries: Record<string, number> = {};
		for (const delivery of this.deliveries) deliveries[delivery.status] = (deliveries[delivery.status] ?? 0) + 1;
		return {
			organizationId: this.organizationId,
			contacts: this.contacts.size,
			archivedContacts: [...this.contacts.values()].filter((c) => c.archived).length,
			invoices: this.invoices.size,
			invoicesByStatus: byStatus,
			subscriptions: [...this.subscriptions.values()],
			deliveries,
		};
	}
}

export function defaultProfile(organizationId: string = randomUUID()): Profile {
	return {
		organizationId,
		companyName: 'Sandbox Handels GmbH',
		created: {
			userId: randomUUID(),
			userName: 'Frau Erika Musterfrau',
			userEmail: 'erika.musterfrau@sandbox-handels.de',
			date: lexofficeTimestamp(Date.UTC(2021, 0, 4, 9, 15, 0)),
		},
		connectionId: randomUUID(),
		features: ['cashbox'],
		businessFeatures: ['INVOICING', 'INVOICING_PRO', 'BOOKKEEPING'],
		subscriptionStatus: 'active',
		taxType: 'net',
		distanceSalesPrinciple: 'ORIGIN',
		smallBusiness: false,
	};
}
