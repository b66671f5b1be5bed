import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { APP_CONTEXT_NOTE } from '../../helpers/notices';
import { bitrix24Call } from '../../transport';
import type { OperationOption } from '../../../shared/operation';
import { placementProperty, readHandlerUrl, readPlacement } from '../../helpers/placementCodes';

export const option: OperationOption = {
	name: 'Unbind',
	value: 'unbind',
	description: 'Remove a button or tab this application added',
	action: 'Unbind a placement',
};

const displayOptions = { show: { resource: ['placement'], operation: ['unbind'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [
	{
		displayName: APP_CONTEXT_NOTE,
		name: 'unbindNotice',
		type: 'notice',
		default: '',
	},
	placementProperty,
	{
		displayName: 'Handler URL',
		name: 'handlerUrl',
		type: 'string',
		default: '',
		description: 'Only the binding with this handler; empty removes every handler of this application at the placement',
	},
]);

/** placement.unbind (bitrix24-api.md §9); Bitrix24 answers how many bindings it removed. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const placement = readPlacement.call(this, itemIndex);
	const handler = readHandlerUrl.call(this, itemIndex, false);
	const params: IDataObject = { PLACEMENT: placement };
	if (handler) params.HANDLER = handler;
	const answer = await bitrix24Call.call(this, 'placement.unbind', params, { itemIndex });
	const count = Number((answer.result as IDataObject | undefined)?.count ?? 0);
	return this.helpers.returnJsonArray({ placement, ...(handler ? { handler } : {}), removed: count });
}
