import type { INodeProperties } from 'n8n-workflow';

import { profile } from './profile/Profile.resource';
import { resourceProperties } from './resource';
import type { LexofficeResource } from './types';

/**
 * Every resource of the node. A new resource is one entry here and one in the dropdown below
 * (kept literal because n8n's lint and verification scanner read it literally); a new operation
 * is one file plus one entry in its resource.
 */
export const resources: LexofficeResource[] = [profile];

export const nodeProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [{ name: 'Profile', value: 'profile' }],
		default: 'profile',
	},
	...resources.flatMap(resourceProperties),
];
