import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { addDays, berlinToday, formatLexofficeDateTime } from '../../../nodes/Lexoffice/transport';
import { compactId, expandId } from '../../../nodes/LexofficePollTrigger/polling/contacts';
import { startLexofficeSandbox, type LexofficeSandbox } from '../../sandbox/lexoffice';
import { APP_URL, credentialsFor, poll, type TriggerSetup } from './triggerHarness';

let sb: LexofficeSandbox;

beforeAll(async () => {
	sb = await startLexofficeSandbox({ seed: { contacts: 12, invoices: 30, seed: 5 } });
});
afterAll(async () => await sb.close());

const NODE_KEY = 'node:Node Under Test';

function setupFor(parameters: INodeParameters): TriggerSetup {
	return { parameters, credentials: credentialsFor(sb), staticData: {} };
}

const itemsOf = (output: Awaited<ReturnType<typeof poll>>) => output?.[0].map((item) => item.json) ?? [];

function draftFor(contactId: string, name = 'Wartung') {
	return {
		// Dated today so a finalized invoice is `open`, not `overdue`, in the voucherlist.
		voucherDate: formatLexofficeDateTime(Date.now()),
		address: { contactId },
		lineItems: [
			{
				type: 'custom',
				name,
				quantity: 1,
				unitName: 'Stück',
				unitPrice: { currency: 'EUR', netAmount: 50, taxRatePercentage: 19 },
			},
		],
		totalPrice: { currency: 'EUR' },
		taxConditions: { taxType: 'net' },
		shippingConditions: { shippingType: 'none' },
	};
}

function customerId(): string {
	const customer = [...sb.state.contacts.values()].find((contact) => contact.roles.customer);
	if (!customer) throw new Error('no customer in the seed');
	return customer.id;
}

describe('LexOffice Poll Trigger: invoices (voucherlist, lexoffice-api.md §5)', () => {
	it('records a baseline first, then emits each change once', async () => {
		const setup = setupFor({ resource: 'invoice' });
		const before = sb.simulate.createInvoice(draftFor(customerId(), 'vor dem Start'));

		expect(itemsOf(await poll(setup, 'manual'))).toHaveLength(1);
		expect((setup.staticData[NODE_KEY] as IDataObject | undefined)?.invoices).toBeUndefined();

		expect(await poll(setup)).toBeNull();
		const today = berlinToday(Date.now());
		const state = (setup.staticData[NODE_KEY] as IDataObject).invoices as {
			cursorDay: string;
			seen: Record<string, string>;
		};
		expect(state.cursorDay).toBe(today);
		expect(state.seen[before.id]).toBe(before.updatedDate);
		expect(sb.requests.last()?.query.updatedDateFrom).toBe(addDays(today, -1));

		const created = sb.simulate.createInvoice(draftFor(customerId()));
		const first = itemsOf(await poll(setup));
		expect(first).toEqual([
			{
				eventType: 'invoice.created',
				resourceId: created.id,
				eventDate: created.updatedDate,
				resource: expect.objectContaining({ id: created.id, voucherType: 'invoice', voucherStatus: 'draft' }),
				permalinks: {
					view: `${APP_URL}/permalink/invoices/view/${created.id}`,
					edit: `${APP_URL}/permalink/invoices/edit/${created.id}`,
				},
				source: 'poll',
			},
		]);
		expect(await poll(setup)).toBeNull();

		sb.simulate.finalizeInvoice(created.id);
		const changed = itemsOf(await poll(setup));
		expect(
			changed.map((item) => [item.eventType, item.resourceId, (item.resource as IDataObject).voucherStatus]),
		).toEqual([['invoice.changed', created.id, 'open']]);
		expect(await poll(setup)).toBeNull();
	});

	it('asks from the day before the previous run, so a gap of days is caught up', async () => {
		const setup = setupFor({ resource: 'invoice', fetchFullInvoice: true });
		await poll(setup);
		const today = berlinToday(Date.now());
		const node = setup.staticData[NODE_KEY] as IDataObject;
		// As if the previous run was three days ago and had seen every invoice that exists now.
		const seen = Object.fromEntries(
			[...sb.state.invoices.values()].map((invoice) => [invoice.id, invoice.updatedDate]),
		);
		node.invoices = { cursorDay: addDays(today, -3), seen };

		const created = sb.simulate.createInvoice(draftFor(customerId(), 'nach der Pause'));
		const items = itemsOf(await poll(setup));
		expect(sb.requests.filter({ pathIncludes: '/v1/voucherlist' }).at(-1)?.query.updatedDateFrom).toBe(
			addDays(today, -4),
		);
		expect(items.map((item) => item.resourceId)).toEqual([created.id]);
		// The full invoice, not the voucherlist summary.
		expect(items[0].resource).toMatchObject({
			id: created.id,
			lineItems: [expect.objectContaining({ name: 'nach der Pause' })],
		});
	});
});

describe('LexOffice Poll Trigger: contacts (version scan, lexoffice-api.md §3.3)', () => {
	it('records versions first, then emits created, changed and deleted contacts once', async () => {
		const setup = setupFor({ resource: 'contact' });
		expect(itemsOf(await poll(setup, 'manual'))).toHaveLength(1);
		expect(await poll(setup)).toBeNull();
		const versions = ((setup.staticData[NODE_KEY] as IDataObject).contacts as { versions: Record<string, number> })
			.versions;
		expect(Object.keys(versions)).toHaveLength(sb.state.contacts.size);
		expect(Object.keys(versions).every((key) => key.length === 22)).toBe(true);

		const [changedOne, deletedOne] = [...sb.state.contacts.values()];
		const created = sb.simulate.createContact({ roles: { vendor: {} }, company: { name: 'Neu GmbH' } });
		sb.simulate.changeContact(changedOne.id, { note: 'geändert' });
		sb.simulate.deleteContact(deletedOne.id);

		const items = itemsOf(await poll(setup));
		const summary = items.map((item) => [item.eventType, item.resourceId]).sort();
		expect(summary).toEqual(
			[
				['contact.changed', changedOne.id],
				['contact.created', created.id],
				['contact.deleted', deletedOne.id],
			].sort(),
		);
		const changed = items.find((item) => item.eventType === 'contact.changed');
		expect(changed?.resource).toMatchObject({ id: changedOne.id, note: 'geändert', version: changedOne.version });
		expect(changed?.permalinks).toEqual({ view: `${APP_URL}/permalink/contacts/view/${changedOne.id}` });
		expect(items.find((item) => item.eventType === 'contact.deleted')?.resource).toEqual({ deleted: true });

		expect(await poll(setup)).toBeNull();
	});

	it('stores ids compactly and restores them exactly', () => {
		const id = 'be9475f4-ef80-442b-8ab9-3ab8b1a2aeb9';
		expect(compactId(id)).toHaveLength(22);
		expect(expandId(compactId(id))).toBe(id);
		expect(expandId(compactId('not-a-uuid'))).toBe('not-a-uuid');
	});
});
