import { replaceContactFields, storeNewContact, type ContactFields } from './contacts';
import type { LexofficeContext } from './context';
import { setInvoiceStatus, storeNewInvoice, touch, validateInvoiceBody } from './invoices';
import { openAmount } from './payments';
import { lexofficeTimestamp } from './time';
import type { Contact, Invoice, InvoiceStatus } from './types';

/**
 * Changes "made in the LexOffice web app": they bypass the API's write rules (the UI can give a
 * contact several addresses or delete it, §3.1/§3.4) and emit the same webhooks (§6.2).
 *
 * Status changes emit `invoice.changed` and `invoice.status.changed` (the docs warn that
 * `changed` may also mean a status change; which of the two the live API sends is not documented,
 * so consumers must cope with both).
 */
export class SimulationError extends Error {
	constructor(
		message: string,
		readonly status: 400 | 404 = 400,
	) {
		super(message);
	}
}

export type ContactPatch = Partial<ContactFields> & { archived?: boolean };

export function createSimulator(ctx: LexofficeContext) {
	const contactById = (id: string): Contact => {
		const contact = ctx.state.contacts.get(id);
		if (!contact) throw new SimulationError(`contact ${id} not found`, 404);
		return contact;
	};
	const invoiceById = (id: string): Invoice => {
		const invoice = ctx.state.invoices.get(id);
		if (!invoice) throw new SimulationError(`invoice ${id} not found`, 404);
		return invoice;
	};
	const changeStatus = (invoice: Invoice, to: InvoiceStatus, allowedFrom: InvoiceStatus[]): Invoice => {
		if (!allowedFrom.includes(invoice.voucherStatus)) {
			throw new SimulationError(
				`invoice ${invoice.id} is ${invoice.voucherStatus}, expected ${allowedFrom.join(' or ')}`,
			);
		}
		setInvoiceStatus(invoice, to);
		ctx.emit('invoice.changed', invoice.id);
		ctx.emit('invoice.status.changed', invoice.id);
		return invoice;
	};

	return {
		createContact(data: ContactFields & { archived?: boolean }): Contact {
			if (!data.roles || (!data.roles.customer && !data.roles.vendor)) throw new SimulationError('roles required');
			if (!data.company?.name && !data.person?.lastName)
				throw new SimulationError('company.name or person.lastName required');
			const contact = storeNewContact(ctx.state, data, { archived: data.archived });
			ctx.emit('contact.created', contact.id);
			return contact;
		},

		changeContact(id: string, patch: ContactPatch): Contact {
			const contact = contactById(id);
			const { archived, ...fields } = patch;
			replaceContactFields(ctx.state, contact, { ...contact, ...fields });
			if (archived !== undefined) contact.archived = archived;
			ctx.emit('contact.changed', contact.id);
			return contact;
		},

		archiveContact(id: string, archived = true): Contact {
			return this.changeContact(id, { archived });
		},

		/** Only possible in the UI (§3.1). */
		deleteContact(id: string): void {
			contactById(id);
			ctx.state.contacts.delete(id);
			ctx.state.contactDates.delete(id);
			ctx.emit('contact.deleted', id);
		},

		createInvoice(body: Record<string, unknown>, { finalize = false }: { finalize?: boolean } = {}): Invoice {
			const violations = validateInvoiceBody(body, ctx.state);
			if (violations.length > 0) {
				throw new SimulationError(`invalid invoice: ${violations.map((v) => `${v.field} ${v.message}`).join('; ')}`);
			}
			const invoice = storeNewInvoice(ctx.state, body, finalize ? 'open' : 'draft');
			ctx.emit('invoice.created', invoice.id);
			return invoice;
		},

		/** Edits a draft (title, introduction, remark, …); finalized invoices are immutable. */
		changeInvoice(
			id: string,
			patch: Partial<Pick<Invoice, 'title' | 'introduction' | 'remark' | 'archived'>>,
		): Invoice {
			const invoice = invoiceById(id);
			if (invoice.voucherStatus !== 'draft' && Object.keys(patch).some((key) => key !== 'archived')) {
				throw new SimulationError(`invoice ${id} is ${invoice.voucherStatus}; only drafts can be edited`);
			}
			Object.assign(invoice, patch);
			touch(invoice);
			ctx.emit('invoice.changed', invoice.id);
			return invoice;
		},

		finalizeInvoice(id: string): Invoice {
			return changeStatus(invoiceById(id), 'open', ['draft']);
		},

		/** A manual payment, by default of the whole open amount; fully paid → status paid. */
		payInvoice(id: string, amount?: number): Invoice {
			const invoice = invoiceById(id);
			if (invoice.voucherStatus !== 'open') {
				throw new SimulationError(`invoice ${id} is ${invoice.voucherStatus}; only open invoices can be paid`);
			}
			const open = openAmount(ctx.state, invoice) ?? 0;
			const paid = amount ?? open;
			if (!(paid > 0)) throw new SimulationError('payment amount must be positive');
			const items = ctx.state.payments.get(id) ?? [];
			items.push({
				paymentItemType: 'manualPayment',
				postingDate: lexofficeTimestamp(),
				amount: paid,
				currency: 'EUR',
			});
			ctx.state.payments.set(id, items);
			ctx.emit('payment.changed', id);
			if (paid >= open) return changeStatus(invoice, 'paid', ['open']);
			touch(invoice);
			ctx.emit('invoice.changed', id);
			return invoice;
		},

		voidInvoice(id: string): Invoice {
			return changeStatus(invoiceById(id), 'voided', ['open']);
		},

		/** open → draft, which also fires payment.changed (§6.2). */
		revertInvoiceToDraft(id: string): Invoice {
			const invoice = changeStatus(invoiceById(id), 'draft', ['open']);
			ctx.state.payments.delete(id);
			ctx.emit('payment.changed', id);
			return invoice;
		},

		/** Drafts can be deleted in the UI; finalized invoices cannot. */
		deleteInvoice(id: string): void {
			const invoice = invoiceById(id);
			if (invoice.voucherStatus !== 'draft') throw new SimulationError(`invoice ${id} is not a draft`);
			ctx.state.invoices.delete(id);
			ctx.emit('invoice.deleted', id);
		},
	};
}

export type Simulator = ReturnType<typeof createSimulator>;
