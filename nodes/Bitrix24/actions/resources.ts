import type { INodeProperties } from 'n8n-workflow';

import * as callMethod from './callMethod/CallMethod.resource';
import * as user from './user/User.resource';
import type { ResourceModule } from './types';

/** Every resource of the node. Adding one = a new folder, its line here and its entry below. */
export const resources: Record<string, ResourceModule> = { callMethod, user };

/** Written out (not derived from `resources`): n8n's lint rules read the options literally. */
export const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Call Method',
			value: 'callMethod',
		},
		{
			name: 'User',
			value: 'user',
		},
	],
	default: 'user',
};
