import { DateTime } from 'luxon';
import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import type { InputCheck } from '../../helpers/input';
import { encodeSearchValue, lexofficeSearchAll, type Query, type SearchDateField } from '../../transport';
import { inputCheck, resultLimit, returnAllOrLimit } from '../common';
import type { OperationOption } from '../../../shared/operation';

/**
 * GET /v1/voucherlist (lexoffice-api.md §5): vouchers of all kinds with type, status, dates and
 * amounts. LexOffice serves at most 10,000 results per search; larger ranges are cut by day and
 * searched piece by piece (transport `lexofficeSearchAll`), then put back into the chosen order.
 */

const VOUCHER_TYPES: Array<[string, string]> = [
	['Any', 'any'],
	['Credit Note', 'creditnote'],
	['Delivery Note', 'deliverynote'],
	['Down Payment Invoice', 'downpaymentinvoice'],
	['Invoice', 'invoice'],
	['Order Confirmation', 'orderconfirmation'],
	['Purchase Credit Note', 'purchasecreditnote'],
	['Purchase Invoice', 'purchaseinvoice'],
	['Quotation', 'quotation'],
	['Sales Credit Note (Bookkeeping)', 'salescreditnote'],
	['Sales Invoice (Bookkeeping)', 'salesinvoice'],
];
const VOUCHER_STATUSES: Array<[string, string]> = [
	['Accepted', 'accepted'],
	['Any', 'any'],
	['Draft', 'draft'],
	['Open', 'open'],
	['Overdue', 'overdue'],
	['Paid', 'paid'],
	['Paid Off', 'paidoff'],
	['Rejected', 'rejected'],
	['SEPA Debit', 'sepadebit'],
	['Transferred', 'transferred'],
	['Unchecked', 'unchecked'],
	['Voided', 'voided'],
];
const DATE_FIELDS: Array<{ field: SearchDateField; label: string }> = [
	{ field: 'voucherDate', label: 'Voucher Date' },
	{ field: 'createdDate', label: 'Created' },
	{ field: 'updatedDate', label: 'Updated' },
];
type SortField = SearchDateField | 'voucherNumber';

const dateFilter = (label: string, name: string, edge: 'first' | 'last'): INodeProperties => ({
	displayName: `${label} ${edge === 'first' ? 'From' : 'To'}`,
	name,
	type: 'dateTime',
	default: '',
	description: `The ${edge} day (a whole day in German time) of the range`,
});

export const option: OperationOption = {
	name: 'Get Many',
	value: 'getMany',
	description: 'List vouchers (invoices, credit notes, quotations, bookkeeping vouchers…) by type, status and date',
	action: 'Get many vouchers',
};

const displayOptions = { show: { resource: ['voucherList'], operation: ['getMany'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [
	{
		displayName: 'Voucher Types',
		name: 'voucherType',
		type: 'multiOptions',
		options: VOUCHER_TYPES.map(([name, value]) => ({ name, value })),
		default: ['invoice'],
		required: true,
		description: 'The kinds of voucher to list; "Any" alone lists all',
	},
	{
		displayName: 'Voucher Statuses',
		name: 'voucherStatus',
		type: 'multiOptions',
		options: VOUCHER_STATUSES.map(([name, value]) => ({ name, value })),
		default: ['any'],
		required: true,
		description: 'The statuses to list; "Any" and "Overdue" must be chosen alone',
	},
	...returnAllOrLimit,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Archived',
				name: 'archived',
				type: 'boolean',
				default: false,
				description: 'Whether to list archived vouchers (on) or only the others (off)',
			},
			{
				displayName: 'Contact ID',
				name: 'contactId',
				type: 'string',
				default: '',
				description: 'Only vouchers of this LexOffice contact',
			},
			dateFilter('Created', 'createdDateFrom', 'first'),
			dateFilter('Created', 'createdDateTo', 'last'),
			dateFilter('Updated', 'updatedDateFrom', 'first'),
			dateFilter('Updated', 'updatedDateTo', 'last'),
			dateFilter('Voucher Date', 'voucherDateFrom', 'first'),
			dateFilter('Voucher Date', 'voucherDateTo', 'last'),
			{ displayName: 'Voucher Number', name: 'voucherNumber', type: 'string', default: '', placeholder: 'RE1019' },
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Sort By',
				name: 'sortBy',
				type: 'options',
				options: [
					{ name: 'Created', value: 'createdDate' },
					{ name: 'Updated', value: 'updatedDate' },
					{ name: 'Voucher Date', value: 'voucherDate' },
					{ name: 'Voucher Number', value: 'voucherNumber' },
				],
				default: 'voucherDate',
			},
			{
				displayName: 'Sort Direction',
				name: 'sortDirection',
				type: 'options',
				options: [
					{ name: 'Ascending', value: 'ASC' },
					{ name: 'Descending', value: 'DESC' },
				],
				default: 'DESC',
			},
		],
	},
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const check = inputCheck.call(this, itemIndex);
	const limit = resultLimit.call(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		sortBy?: SortField;
		sortDirection?: 'ASC' | 'DESC';
	};
	const sortBy = options.sortBy ?? 'voucherDate';
	const direction = options.sortDirection ?? 'DESC';

	const qs: Query = {
		voucherType: readChoice(check, this.getNodeParameter('voucherType', itemIndex), 'Voucher Types', VOUCHER_TYPES),
		voucherStatus: readStatuses(check, this.getNodeParameter('voucherStatus', itemIndex)),
		sort: `${sortBy},${direction}`,
	};
	if (typeof filters.archived === 'boolean') qs.archived = filters.archived;
	if (filters.contactId) qs.contactId = check.uuid(filters.contactId, 'Contact ID');
	const voucherNumber = check.text(filters.voucherNumber, 'Voucher Number');
	if (voucherNumber) qs.voucherNumber = encodeSearchValue(voucherNumber);

	const ranges = readRanges(check, filters);
	// Cut by the sorted date if there is one, else by a filtered date: that range is the one split.
	const dateField =
		sortBy !== 'voucherNumber' ? sortBy : (DATE_FIELDS.find(({ field }) => ranges[field])?.field ?? 'voucherDate');
	for (const [field, range] of Object.entries(ranges)) {
		if (field === dateField) continue;
		Object.assign(qs, { [`${field}From`]: range.from, [`${field}To`]: range.to });
	}
	const vouchers = await lexofficeSearchAll.call(this, {
		path: '/v1/voucherlist',
		qs,
		dateField,
		from: ranges[dateField]?.from,
		to: ranges[dateField]?.to,
		limit,
	});
	return sortVouchers(vouchers, sortBy, direction).map((voucher) => ({ json: voucher }));
}

function readChoice(check: InputCheck, value: unknown, label: string, allowed: Array<[string, string]>): string[] {
	const chosen = (Array.isArray(value) ? value : [value])
		.filter((entry) => entry !== undefined && entry !== '')
		.map(String);
	if (chosen.length === 0) check.fail(`"${label}" is empty`, `Choose at least one, or "Any".`);
	const unknown = chosen.find((entry) => !allowed.some(([, known]) => known === entry));
	if (unknown)
		check.fail(`"${label}" has an unknown value "${unknown}"`, `Use ${allowed.map(([, known]) => known).join(', ')}.`);
	if (chosen.includes('any') && chosen.length > 1)
		check.fail(`"${label}": "Any" must be chosen alone`, 'Remove "Any", or remove the other values.');
	return chosen;
}

/** §5: `overdue` cannot be combined with other statuses. */
function readStatuses(check: InputCheck, value: unknown): string[] {
	const statuses = readChoice(check, value, 'Voucher Statuses', VOUCHER_STATUSES);
	if (statuses.includes('overdue') && statuses.length > 1) {
		check.fail(
			'"Voucher Statuses": "Overdue" must be chosen alone',
			'LexOffice cannot combine Overdue with other statuses; list overdue vouchers in a separate node.',
		);
	}
	return statuses;
}

type Ranges = Partial<Record<SearchDateField, { from?: string; to?: string }>>;

/** `yyyy-MM-dd` days (§5: day granularity in German time), checked to be in order. */
function readRanges(check: InputCheck, filters: IDataObject): Ranges {
	const ranges: Ranges = {};
	for (const { field, label } of DATE_FIELDS) {
		const from = check.day(filters[`${field}From`], `${label} From`);
		const to = check.day(filters[`${field}To`], `${label} To`);
		if (from && to && from > to)
			check.fail(`"${label} From" (${from}) is after "${label} To" (${to})`, 'Swap the two dates.');
		if (from || to) ranges[field] = { from, to };
	}
	return ranges;
}

/** The requested order over all pieces of a split search (each piece is sorted by LexOffice). */
function sortVouchers(vouchers: IDataObject[], sortBy: SortField, direction: 'ASC' | 'DESC'): IDataObject[] {
	const key = (voucher: IDataObject): string | number | undefined => {
		const value = voucher[sortBy];
		if (typeof value !== 'string') return undefined;
		return sortBy === 'voucherNumber' ? value : DateTime.fromISO(value).toMillis();
	};
	const sign = direction === 'ASC' ? 1 : -1;
	return vouchers
		.map((voucher, index) => ({ voucher, index, key: key(voucher) }))
		.sort((a, b) => {
			if (a.key === undefined || b.key === undefined)
				return a.key === b.key ? a.index - b.index : a.key === undefined ? 1 : -1;
			const order =
				typeof a.key === 'number'
					? a.key - (b.key as number)
					: a.key.localeCompare(String(b.key), 'de', { numeric: true });
			return sign * order || a.index - b.index;
		})
		.map(({ voucher }) => voucher);
}
