import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_OPERATING_LIMIT_SECONDS } from './limits';

/** The limit settings both Bitrix24 credentials share (bitrix24-api.md §3.1, §3.2). */
export const bitrix24LimitProperties: INodeProperties[] = [
	{
		displayName: 'Plan',
		name: 'plan',
		type: 'options',
		default: 'standard',
		options: [
			{
				name: 'Standard (2 Requests/s, Burst 50)',
				value: 'standard',
			},
			{
				name: 'Enterprise (5 Requests/s, Burst 250)',
				value: 'enterprise',
			},
		],
		description:
			'The request limit of the portal. Requests are paced to stay under it; all workflows in this n8n share one budget per portal.',
	},
	{
		displayName: 'Operating Time Limit (Seconds)',
		name: 'operatingLimitSeconds',
		type: 'number',
		typeOptions: { minValue: 0.1, numberPrecision: 1 },
		default: DEFAULT_OPERATING_LIMIT_SECONDS,
		description:
			'Execution time Bitrix24 allows per method within 10 minutes before it blocks the method for a while. Calls slow down before reaching it.',
	},
];
