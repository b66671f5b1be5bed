import {
	NodeApiError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type JsonObject,
} from 'n8n-workflow';
import { z } from 'zod';

import { parseAmount } from '../../helpers/amounts';
import { httpCodeOf, lexofficeRequest, unexpectedResponseError } from '../../transport';
import { inputCheck } from '../common';
import type { OperationOption } from '../../../shared/operation';

/**
 * GET /v1/payments/{voucherId} (lexoffice-api.md §8.1): the payment state of an invoice, credit
 * note or bookkeeping voucher. Vouchers without payment information — drafts above all — answer
 * 406, "not an error condition" (§6.2): the output is then `{ available: false, message }`, the
 * shape the LexOffice Trigger gives a payment.changed event of a draft.
 */

/** Amounts are numbers, but one documented sample has "1337.00" (§8.1); German "1.337,00" is read too. */
const amount = z.union([z.number(), z.string()]).nullish();

const paymentSchema = z
	.object({
		openAmount: amount,
		paymentStatus: z.string().nullish(),
		voucherStatus: z.string().nullish(),
		paidDate: z.string().nullish(),
		paymentItems: z.array(z.object({ amount }).passthrough()).nullish(),
	})
	.passthrough();

export const option: OperationOption = {
	name: 'Get',
	value: 'get',
	description: 'Get the payment status, open amount and payments of an invoice or other voucher',
	action: 'Get the payments of a voucher',
};

const displayOptions = { show: { resource: ['payment'], operation: ['get'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [
	{
		displayName: 'Voucher ID',
		name: 'voucherId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e9066f04-8cc7-4616-93f8-ac9ecc8479c8',
		description: 'The ID of the invoice, credit note or bookkeeping voucher (not of a payment)',
	},
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const check = inputCheck.call(this, itemIndex);
	const voucherId = check.uuid(this.getNodeParameter('voucherId', itemIndex), 'Voucher ID');
	let body: unknown;
	try {
		body = await lexofficeRequest.call(this, { path: `/v1/payments/${encodeURIComponent(voucherId)}` });
	} catch (error) {
		if (httpCodeOf(error) !== 406) throw new NodeApiError(this.getNode(), error as JsonObject);
		const message = error instanceof Error ? error.message : String(error);
		return [{ json: { voucherId, available: false, message } }];
	}
	const parsed = paymentSchema.safeParse(body);
	if (!parsed.success) throw unexpectedResponseError(this.getNode(), 'payment information', parsed.error.message);
	const payment = parsed.data;
	const readAmount = (value: unknown, what: string) => {
		const number = parseAmount(value);
		if (number === undefined)
			throw unexpectedResponseError(this.getNode(), `a number as ${what}`, `got ${JSON.stringify(value)}`);
		return number;
	};
	return [
		{
			json: {
				voucherId,
				available: true,
				...(payment as IDataObject),
				openAmount:
					payment.openAmount === null || payment.openAmount === undefined
						? null
						: readAmount(payment.openAmount, 'openAmount'),
				paymentItems: (payment.paymentItems ?? []).map((item) => ({
					...(item as IDataObject),
					amount: readAmount(item.amount ?? 0, 'a payment amount'),
				})),
			},
		},
	];
}
