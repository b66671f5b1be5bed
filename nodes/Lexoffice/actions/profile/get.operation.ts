import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { z } from 'zod';

import { lexofficeRequest, unexpectedResponseError } from '../../transport';
import type { OperationOption } from '../../../shared/operation';

/** GET /v1/profile (lexoffice-api.md §8.3): the organisation behind the API key. */
const profileSchema = z.object({ organizationId: z.string() }).passthrough();

export const option: OperationOption = {
	name: 'Get',
	value: 'get',
	description: 'Get the company profile of the connected LexOffice account',
	action: 'Get the company profile',
};

const displayOptions = { show: { resource: ['profile'], operation: ['get'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, []);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const body = await lexofficeRequest.call(this, { path: '/v1/profile' });
	const profile = profileSchema.safeParse(body);
	if (!profile.success) throw unexpectedResponseError(this.getNode(), 'a profile', profile.error.message);
	return this.helpers.returnJsonArray(profile.data as IDataObject);
}
