import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { bitrix24Call } from '../../transport';
import type { OperationModule } from '../types';

export const option: OperationModule['option'] = {
	name: 'Get Current',
	value: 'getCurrent',
	description: 'Get the user the credential acts as',
	action: 'Get the current user',
};

export const description: INodeProperties[] = [];

/** bitrix24-api.md §11: the user behind the webhook or token, e.g. to default "Responsible". */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const response = await bitrix24Call.call(this, 'user.current', {}, { itemIndex });
	return response.result as IDataObject;
}
