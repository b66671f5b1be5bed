/**
 * Dropdowns of the Automation resource: the app's triggers (application context only, like the
 * methods themselves) and workflow templates of the chosen record type (bitrix24-api.md §8).
 */
import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { crmTargetOf } from '../helpers/crmEntities';
import { bitrix24Call, bitrix24Paginate, collectRows } from '../transport';

export async function getAppTriggers(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const answer = await bitrix24Call.call(this, 'crm.automation.trigger.list', {});
	const triggers = Array.isArray(answer.result) ? (answer.result as IDataObject[]) : [];
	return triggers
		.map((trigger) => ({
			name: String(trigger.NAME || trigger.CODE),
			value: String(trigger.CODE),
			description: String(trigger.CODE),
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}

/** Templates whose document type matches the record type chosen in the node. */
export async function getWorkflowTemplates(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const target = crmTargetOf(this.getNodeParameter('entityType', 'contact'));
	const filter: IDataObject = { MODULE_ID: 'crm' };
	if (target) filter.ENTITY = target.bizprocDocument[1];
	const templates = await collectRows(
		bitrix24Paginate.call(this, 'bizproc.workflow.template.list', { select: ['ID', 'NAME', 'ENTITY'], filter }),
	);
	return templates
		.map((template) => ({
			name: String(template.NAME || `#${String(template.ID)}`),
			value: String(template.ID),
			description: `Template ID ${String(template.ID)}`,
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}

export const automationLoadOptions = { getAppTriggers, getWorkflowTemplates };
