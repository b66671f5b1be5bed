import type { INodeProperties } from 'n8n-workflow';

import * as address from './address/Address.resource';
import * as automation from './automation/Automation.resource';
import * as callMethod from './callMethod/CallMethod.resource';
import * as company from './company/Company.resource';
import * as contact from './contact/Contact.resource';
import * as document from './document/Document.resource';
import * as lexofficeSync from './lexofficeSync/LexofficeSync.resource';
import * as placement from './placement/Placement.resource';
import * as requisite from './requisite/Requisite.resource';
import * as smartInvoice from './smartInvoice/SmartInvoice.resource';
import * as timeline from './timeline/Timeline.resource';
import * as user from './user/User.resource';
import type { Resource } from '../../shared/operation';

/**
 * Every resource of the node. Adding one = a new folder, its line here and its entry below.
 * Operation `<op>` of resource `<resource>` is `<resource>/<op>.operation.ts` (checked by
 * test/unit/shared/operationRouter.test.ts).
 */
export const resources: Record<string, Resource> = {
	address,
	automation,
	callMethod,
	company,
	contact,
	document,
	lexofficeSync,
	placement,
	requisite,
	smartInvoice,
	timeline,
	user,
};

/** Written out (not derived from `resources`): n8n's lint rules read the options literally. */
export const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Address',
			value: 'address',
		},
		{
			name: 'Automation',
			value: 'automation',
		},
		{
			name: 'Call Method',
			value: 'callMethod',
		},
		{
			name: 'Company',
			value: 'company',
		},
		{
			name: 'Contact',
			value: 'contact',
		},
		{
			name: 'Document',
			value: 'document',
		},
		{
			name: 'LexOffice Sync',
			value: 'lexofficeSync',
		},
		{
			name: 'Placement',
			value: 'placement',
		},
		{
			name: 'Requisite',
			value: 'requisite',
		},
		{
			name: 'Smart Invoice',
			value: 'smartInvoice',
		},
		{
			name: 'Timeline',
			value: 'timeline',
		},
		{
			name: 'User',
			value: 'user',
		},
	],
	default: 'user',
};
