/** Resource shapes as the API returns them (lexoffice-api.md §3.3, §4.2, §6.1, §8.1, §8.3). */

export interface ContactPerson {
	salutation?: string;
	firstName?: string;
	lastName: string;
	primary?: boolean;
	emailAddress?: string;
	phoneNumber?: string;
}

export interface ContactAddress {
	supplement?: string;
	street?: string;
	zip?: string;
	city?: string;
	countryCode: string;
}

export type EmailKind = 'business' | 'office' | 'private' | 'other';
export type PhoneKind = 'business' | 'office' | 'mobile' | 'private' | 'fax' | 'other';

export interface Contact {
	id: string;
	organizationId: string;
	version: number;
	roles: { customer?: { number?: number }; vendor?: { number?: number } };
	company?: {
		name: string;
		taxNumber?: string;
		vatRegistrationId?: string;
		allowTaxFreeInvoices?: boolean;
		contactPersons?: ContactPerson[];
	};
	person?: { salutation?: string; firstName?: string; lastName: string };
	addresses?: { billing?: ContactAddress[]; shipping?: ContactAddress[] };
	xRechnung?: { buyerReference?: string; vendorNumberAtCustomer?: string };
	emailAddresses?: Partial<Record<EmailKind, string[]>>;
	phoneNumbers?: Partial<Record<PhoneKind, string[]>>;
	note?: string;
	archived: boolean;
}

export interface UnitPrice {
	currency: 'EUR';
	netAmount?: number;
	grossAmount?: number;
	taxRatePercentage: number;
}

export interface LineItem {
	id?: string;
	type: 'service' | 'material' | 'custom' | 'text';
	name: string;
	description?: string;
	quantity?: number;
	unitName?: string;
	unitPrice?: UnitPrice;
	discountPercentage?: number;
	lineItemAmount?: number;
}

export type InvoiceStatus = 'draft' | 'open' | 'paid' | 'voided';

export interface InvoiceAddress {
	contactId?: string | null;
	name?: string;
	supplement?: string;
	street?: string;
	city?: string;
	zip?: string;
	countryCode?: string;
}

export interface Invoice {
	id: string;
	organizationId: string;
	createdDate: string;
	updatedDate: string;
	version: number;
	language: string;
	archived: boolean;
	voucherStatus: InvoiceStatus;
	voucherNumber: string;
	voucherDate: string;
	dueDate: string | null;
	address: InvoiceAddress;
	xRechnung: null | { buyerReference?: string };
	electronicDocumentProfile: 'NONE' | 'EN16931' | 'XRechnung';
	lineItems: LineItem[];
	totalPrice: {
		currency: 'EUR';
		totalNetAmount: number;
		totalGrossAmount: number;
		totalTaxAmount: number;
		totalDiscountAbsolute: number | null;
		totalDiscountPercentage: number | null;
	};
	taxAmounts: Array<{ taxRatePercentage: number; taxAmount: number; netAmount: number }>;
	taxConditions: { taxType: string; taxSubType?: string | null; taxTypeNote?: string | null };
	paymentConditions?: {
		paymentTermLabel?: string;
		paymentTermDuration?: number;
		paymentDiscountConditions?: { discountPercentage: number; discountRange: number };
	};
	shippingConditions: { shippingDate?: string | null; shippingEndDate?: string | null; shippingType: string };
	closingInvoice: boolean;
	claimedGrossAmount: number | null;
	downPaymentDeductions: null;
	recurringTemplateId: string | null;
	relatedVouchers: Array<{ id: string; voucherNumber: string; voucherType: string }>;
	title?: string;
	introduction?: string;
	remark?: string;
}

export interface PaymentItem {
	paymentItemType: 'manualPayment' | 'cashDiscount' | 'partPaymentFinancialTransaction';
	postingDate: string;
	amount: number;
	currency: 'EUR';
}

export interface EventSubscription {
	subscriptionId: string;
	organizationId: string;
	createdDate: string;
	eventType: string;
	callbackUrl: string;
}

export interface Profile {
	organizationId: string;
	companyName: string;
	created: { userId: string; userName: string; userEmail: string; date: string };
	connectionId: string;
	features: string[];
	businessFeatures: string[];
	subscriptionStatus: string;
	taxType: 'net' | 'gross' | 'vatfree';
	distanceSalesPrinciple?: string;
	smallBusiness: boolean;
}

/** The action result every POST/PUT answers with (lexoffice-api.md §3.1, §4.2, §6.1). */
export interface ActionResult {
	id: string;
	resourceUri: string;
	createdDate: string;
	updatedDate: string;
	version: number;
}

/** One HTTP attempt of a webhook delivery; `nominalDelayMs` is the documented (unscaled) wait before it. */
export interface DeliveryAttempt {
	at: number;
	/** How long the subscriber took to answer (or to fail); LexOffice gives up after 5 s (§6.5). */
	answeredAfterMs: number;
	nominalDelayMs: number;
	status?: number;
	error?: string;
	outcome: 'delivered' | 'retry' | 'failed' | 'subscription-deleted';
}

export interface WebhookDelivery {
	id: string;
	subscriptionId: string;
	callbackUrl: string;
	eventType: string;
	resourceId: string;
	eventDate: string;
	/** The exact bytes sent (compact JSON) and their signature. */
	body: string;
	signature: string;
	status: 'pending' | 'delivered' | 'failed' | 'abandoned';
	attempts: DeliveryAttempt[];
	/** Epoch ms of the next scheduled attempt while pending. */
	nextAttemptAt?: number;
}
