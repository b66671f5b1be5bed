import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { bitrix24Batch, rowsOf, type BatchCommand } from '../../transport';
import { commandError } from '../../helpers/crmRecordFields';
import { jsonOutcomes, type OperationOption } from '../../../shared/operation';
import { entityTypeId } from './invoiceItem';

export const option: OperationOption = {
	name: 'Find by External Code',
	value: 'findByExternalCode',
	description: 'Find the smart invoice with an external code (xmlId), e.g. a LexOffice invoice ID',
	action: 'Find a smart invoice by external code',
};

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['smartInvoice'], operation: ['findByExternalCode'] } },
	[
		{
			displayName: 'External Code',
			name: 'externalCode',
			type: 'string',
			required: true,
			default: '',
			placeholder: '8a1c2e4f-…',
			description:
				'The external code (xmlId) to look for, e.g. the LexOffice invoice ID. Outputs the invoice, or an empty item when there is none (check with an IF node on "ID"), so "find, else create" needs no error handling. If several invoices share the code, the oldest is returned.',
		},
	],
);

/**
 * All items in as few requests as possible: one crm.item.list per distinct code, 50 to a batch
 * request (bitrix24-api.md §3.3). A code that is not found is an empty item, not an error.
 */
export async function executeBatch(
	this: IExecuteFunctions,
	itemIndexes: number[],
): Promise<Array<INodeExecutionData | Error>> {
	const codes = itemIndexes.map((itemIndex) => {
		const code = String(this.getNodeParameter('externalCode', itemIndex, '') ?? '').trim();
		if (code !== '') return code;
		return new NodeOperationError(this.getNode(), '"External Code" is empty', {
			itemIndex,
			description: 'Map the LexOffice invoice ID (or whichever code the invoices were created with).',
		});
	});
	const keyOfCode = new Map<string, string>();
	const commands: BatchCommand[] = [];
	for (const code of codes) {
		if (typeof code !== 'string' || keyOfCode.has(code)) continue;
		const key = `code${keyOfCode.size}`;
		keyOfCode.set(code, key);
		commands.push({
			key,
			method: 'crm.item.list',
			params: { entityTypeId, filter: { '=xmlId': code }, order: { id: 'ASC' }, select: ['*', 'uf*'] },
		});
	}
	const answers = commands.length > 0 ? await bitrix24Batch.call(this, commands) : {};
	return jsonOutcomes(
		codes.map((code, position) => {
			if (typeof code !== 'string') return code;
			const answer = answers[keyOfCode.get(code) as string];
			if (!answer.ok) return commandError.call(this, 'crm.item.list', answer, itemIndexes[position]);
			return rowsOf(answer.result)[0] ?? {};
		}),
	);
}
