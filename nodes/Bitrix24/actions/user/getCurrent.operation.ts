import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { bitrix24Call } from '../../transport';
import type { OperationOption } from '../../../shared/operation';

export const option: OperationOption = {
	name: 'Get Current',
	value: 'getCurrent',
	description: 'Get the user the credential acts as',
	action: 'Get the current user',
};

export const description: INodeProperties[] = [];

/** bitrix24-api.md §11: the user behind the webhook or token, e.g. to default "Responsible". */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const response = await bitrix24Call.call(this, 'user.current', {}, { itemIndex });
	return this.helpers.returnJsonArray(response.result as IDataObject);
}
