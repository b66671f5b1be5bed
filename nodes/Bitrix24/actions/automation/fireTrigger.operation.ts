import {
	NodeApiError,
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type JsonObject,
} from 'n8n-workflow';

import type { CrmTargetType } from '../../helpers/crmEntities';
import { crmTargetProperties, readCrmTarget } from '../../helpers/crmTargetParameters';
import { APP_CONTEXT_NOTE } from '../../helpers/notices';
import { bitrix24Call } from '../../transport';
import type { OperationOption } from '../../../shared/operation';
import { readTriggerCode, triggerCodeProperty } from './triggerCode';

export const option: OperationOption = {
	name: 'Fire App Trigger',
	value: 'fireTrigger',
	description: 'Fire a trigger this application registered, for one record',
	action: 'Fire an app trigger',
};

const TYPES: CrmTargetType[] = ['deal', 'lead', 'smartInvoice', 'contact', 'company'];

const displayOptions = { show: { resource: ['automation'], operation: ['fireTrigger'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [
	{
		displayName: `Automation rules exist for deals, leads, smart invoices and smart processes, not for contacts or companies: for those Bitrix24 fires the trigger on the client's deals and other items instead. Bitrix24 only reports that the trigger was sent, not whether a stage changed. ${APP_CONTEXT_NOTE}`,
		name: 'fireNotice',
		type: 'notice',
		default: '',
	},
	triggerCodeProperty,
	...crmTargetProperties({
		types: TYPES,
		defaultType: 'smartInvoice',
		typeDescription: 'Type of the record the trigger fires for',
	}),
]);

/** crm.automation.trigger.execute (bitrix24-api.md §8): OWNER_TYPE_ID is the numeric type id. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const code = readTriggerCode.call(this, 'triggerCode', itemIndex);
	const { target, id } = readCrmTarget.call(this, itemIndex, TYPES);
	try {
		await bitrix24Call.call(
			this,
			'crm.automation.trigger.execute',
			{ CODE: code, OWNER_TYPE_ID: target.entityTypeId, OWNER_ID: id },
			{ itemIndex },
		);
	} catch (error) {
		// Bitrix24 says only "Trigger not found." when the application never registered this code: the
		// one-time setup was skipped (it was why no trigger fired in the queue-mode load test, README "Scaling out").
		if (error instanceof NodeApiError && /trigger not found/i.test(error.message)) {
			error.description = `This application has registered no trigger "${code}". Register it once with Automation → Register App Trigger (in the bundled invoice-status workflow: run "Register triggers once"), with the same Bitrix24 OAuth2 credential.`;
		}
		throw error instanceof NodeApiError || error instanceof NodeOperationError
			? error
			: new NodeApiError(this.getNode(), error as JsonObject, { itemIndex });
	}
	return this.helpers.returnJsonArray({ CODE: code, OWNER_TYPE_ID: target.entityTypeId, OWNER_ID: id, fired: true });
}
