import type { INodeProperties } from 'n8n-workflow';

import type { Resource } from '../../shared/operation';
import * as contact from './contact/Contact.resource';
import * as event from './event/Event.resource';
import * as eventSubscription from './eventSubscription/EventSubscription.resource';
import * as invoice from './invoice/Invoice.resource';
import * as payment from './payment/Payment.resource';
import * as profile from './profile/Profile.resource';
import * as voucherList from './voucherList/VoucherList.resource';

/**
 * Every resource of the node. A new resource is one entry here and one in the dropdown below
 * (kept literal because n8n's lint and verification scanner read it literally); a new operation
 * is one file plus one entry in its resource. Operation `<op>` of resource `<resource>` is
 * `<resource>/<op>.operation.ts` (checked by test/unit/shared/operationRouter.test.ts).
 */
export const resources: Record<string, Resource> = {
	contact,
	event,
	eventSubscription,
	invoice,
	payment,
	profile,
	voucherList,
};

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
	...Object.values(resources).flatMap((resource) => resource.description),
];
