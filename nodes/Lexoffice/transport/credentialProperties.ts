import type { INodeProperties } from 'n8n-workflow';

import { LEXOFFICE_CLIENT_BURST, LEXOFFICE_REQUESTS_PER_SECOND } from './request';
import { SEARCH_WINDOW } from './searchWindow';

/**
 * The limit settings of the LexOffice credential (lexoffice-api.md §2, §5), like the Bitrix24
 * credentials' plan: the defaults are LexOffice's published numbers; a test server may differ.
 */
export const lexofficeLimitProperties: INodeProperties[] = [
	{
		displayName: 'Requests per Second',
		name: 'requestsPerSecond',
		type: 'number',
		typeOptions: { minValue: 0.1, numberPrecision: 1 },
		default: LEXOFFICE_REQUESTS_PER_SECOND,
		description:
			"LexOffice's request limit per API key (2 per second). Requests are paced at 90 % of it; all workflows in this n8n share one budget per key. Change it only for a test server or if Lexware changes the limit.",
	},
	{
		displayName: 'Burst',
		name: 'burst',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: LEXOFFICE_CLIENT_BURST,
		description: "How many requests are sent at once. 1 leaves LexOffice's own burst of 2 to absorb network delays.",
	},
	{
		displayName: 'Search Window',
		name: 'searchWindow',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: SEARCH_WINDOW,
		description:
			'The most results LexOffice serves for one search (10,000); larger searches are split by date. Change it only for a test server.',
	},
];
