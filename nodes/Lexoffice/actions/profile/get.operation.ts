import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { z } from 'zod';

import { lexofficeRequest, unexpectedResponseError } from '../../transport';
import type { LexofficeOperation } from '../types';

/** GET /v1/profile (lexoffice-api.md §8.3): the organisation behind the API key. */
const profileSchema = z.object({ organizationId: z.string() }).passthrough();

export const option: LexofficeOperation['option'] = {
	name: 'Get',
	value: 'get',
	description: 'Get the company profile of the connected LexOffice account',
	action: 'Get the company profile',
};

export const properties: LexofficeOperation['properties'] = [];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const body = await lexofficeRequest.call(this, { path: '/v1/profile' });
	const profile = profileSchema.safeParse(body);
	if (!profile.success) throw unexpectedResponseError(this.getNode(), 'a profile', profile.error.message);
	return this.helpers.returnJsonArray(profile.data as IDataObject);
}
