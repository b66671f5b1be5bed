import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { bizprocDocumentId, type CrmTargetType } from '../../helpers/crmEntities';
import { crmTargetProperties, positiveIdParameter, readCrmTarget } from '../../helpers/crmTargetParameters';
import { bitrix24Call } from '../../transport';
import type { OperationOption } from '../../../shared/operation';

export const option: OperationOption = {
	name: 'Start Workflow',
	value: 'startWorkflow',
	description: 'Start a business process (workflow) template on a record; works for contacts and companies too',
	action: 'Start a workflow',
};

const TYPES: CrmTargetType[] = ['contact', 'company', 'smartInvoice', 'deal', 'lead'];

const displayOptions = { show: { resource: ['automation'], operation: ['startWorkflow'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [
	{
		displayName:
			'Needs a Bitrix24 administrator and a plan with workflows; an incoming webhook is enough. Unlike triggers, workflows run on contacts and companies.',
		name: 'workflowNotice',
		type: 'notice',
		default: '',
	},
	...crmTargetProperties({
		types: TYPES,
		defaultType: 'contact',
		typeDescription: 'Type of the record the workflow runs on',
	}),
	{
		displayName: 'Workflow Template Name or ID',
		name: 'templateId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getWorkflowTemplates', loadOptionsDependsOn: ['entityType'] },
		required: true,
		default: '',
		description:
			'A workflow template for this record type. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Parameters',
		name: 'workflowParameters',
		type: 'fixedCollection',
		placeholder: 'Add Parameter',
		typeOptions: { multipleValues: true },
		default: {},
		description: "Values for the template's input parameters",
		options: [
			{
				displayName: 'Parameter',
				name: 'parameter',
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						description: 'ID of the template parameter, e.g. Parameter1',
					},
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	},
]);

/** bizproc.workflow.start (bitrix24-api.md §8): DOCUMENT_ID like ['crm', 'CCrmDocumentContact', 'CONTACT_777']. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const { target, id } = readCrmTarget.call(this, itemIndex, TYPES);
	const templateId = positiveIdParameter.call(this, 'templateId', 'Workflow Template', itemIndex);
	const entries = (
		this.getNodeParameter('workflowParameters.parameter', itemIndex, []) as Array<{ name?: string; value?: unknown }>
	)
		.filter((entry) => String(entry.name ?? '').trim() !== '')
		.map((entry) => [String(entry.name).trim(), entry.value ?? '']);
	const params: IDataObject = { TEMPLATE_ID: templateId, DOCUMENT_ID: bizprocDocumentId(target, id) };
	if (entries.length > 0) params.PARAMETERS = Object.fromEntries(entries) as IDataObject;
	const answer = await bitrix24Call.call(this, 'bizproc.workflow.start', params, { itemIndex });
	return this.helpers.returnJsonArray({
		workflowId: answer.result as string,
		TEMPLATE_ID: templateId,
		DOCUMENT_ID: params.DOCUMENT_ID,
	});
}
