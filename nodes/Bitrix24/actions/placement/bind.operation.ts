import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { requiredTextParameter } from '../../helpers/crmTargetParameters';
import { APP_CONTEXT_NOTE } from '../../helpers/notices';
import { bitrix24Call } from '../../transport';
import type { OperationOption } from '../../../shared/operation';
import { placementProperty, readHandlerUrl, readPlacement } from '../../helpers/placementCodes';

export const option: OperationOption = {
	name: 'Bind',
	value: 'bind',
	description: 'Add a button or tab to Bitrix24 that calls a URL (e.g. an n8n webhook)',
	action: 'Bind a placement',
};

const displayOptions = { show: { resource: ['placement'], operation: ['bind'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [
	{
		displayName: `Buttons show only to users with access to the application. ${APP_CONTEXT_NOTE}`,
		name: 'bindNotice',
		type: 'notice',
		default: '',
	},
	placementProperty,
	{
		displayName: 'Handler URL',
		name: 'handlerUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://n8n.example.com/webhook/…/bitrix24',
		description:
			'Address Bitrix24 calls (in a slider or frame) when the button is clicked: the Production URL of a Bitrix24 Trigger node in "Placement" mode',
	},
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		required: true,
		default: 'LexOffice: Rechnung erstellen',
		description: 'Text of the button or tab (also its German title)',
	},
	{
		displayName: 'English Title',
		name: 'englishTitle',
		type: 'string',
		default: 'LexOffice: Create Invoice',
		description: 'Text for users with English as their language; empty uses the title',
	},
	{
		displayName: 'Description',
		name: 'placementDescription',
		type: 'string',
		default: '',
	},
]);

/** A binding of this handler to this placement, as placement.get lists them. */
const isSameBinding = (placement: string, handler: string) => (binding: IDataObject) =>
	String(binding.placement ?? '').toUpperCase() === placement && binding.handler === handler;

/**
 * placement.bind (bitrix24-api.md §9): administrator and application context only. A handler that
 * is already bound there is left as it is and reported as `alreadyBound` (Bitrix24 would refuse
 * it), so an install workflow can run twice.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const placement = readPlacement.call(this, itemIndex);
	const handler = readHandlerUrl.call(this, itemIndex, true) as string;
	const title = requiredTextParameter.call(this, 'title', 'Title', itemIndex);
	const englishTitle = String(this.getNodeParameter('englishTitle', itemIndex, '') ?? '').trim() || title;
	const placementDescription = String(this.getNodeParameter('placementDescription', itemIndex, '') ?? '').trim();
	const bound = await bitrix24Call.call(this, 'placement.get', {}, { itemIndex });
	if (Array.isArray(bound.result) && (bound.result as IDataObject[]).some(isSameBinding(placement, handler))) {
		return this.helpers.returnJsonArray({ placement, handler, title, bound: true, alreadyBound: true });
	}
	const language = (text: string): IDataObject =>
		placementDescription ? { TITLE: text, DESCRIPTION: placementDescription } : { TITLE: text };
	const params: IDataObject = {
		PLACEMENT: placement,
		HANDLER: handler,
		TITLE: title,
		LANG_ALL: { de: language(title), en: language(englishTitle) },
	};
	if (placementDescription) params.DESCRIPTION = placementDescription;
	await bitrix24Call.call(this, 'placement.bind', params, { itemIndex });
	return this.helpers.returnJsonArray({ placement, handler, title, bound: true, alreadyBound: false });
}
