import type { INodeProperties } from 'n8n-workflow';

import { contact } from './contact/Contact.resource';
import { event } from './event/Event.resource';
import { eventSubscription } from './eventSubscription/EventSubscription.resource';
import { invoice } from './invoice/Invoice.resource';
import { payment } from './payment/Payment.resource';
import { profile } from './profile/Profile.resource';
import { resourceProperties } from './resource';
import type { LexofficeResource } from './types';
import { voucherList } from './voucherList/VoucherList.resource';

/**
 * Every resource of the node. A new resource is one entry here and one in the dropdown below
 * (kept literal because n8n's lint and verification scanner read it literally); a new operation
 * is one file plus one entry in its resource.
 */
export const resources: LexofficeResource[] = [contact, event, eventSubscription, invoice, payment, profile, voucherList];

export const nodeProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Contact', value: 'contact' },
			{ name: 'Event', value: 'event' },
			{ name: 'Event Subscription', value: 'eventSubscription' },
			{ name: 'Invoice', value: 'invoice' },
			{ name: 'Payment', value: 'payment' },
			{ name: 'Profile', value: 'profile' },
			{ name: 'Voucher List', value: 'voucherList' },
		],
		default: 'contact',
	},
	...resources.flatMap(resourceProperties),
];
