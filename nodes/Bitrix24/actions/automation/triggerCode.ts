/** App trigger codes (bitrix24-api.md §8): `[a-z0-9.\-_]`, unique per application. */
import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

const TRIGGER_CODE = /^[a-z0-9._-]+$/;

export function readTriggerCode(this: IExecuteFunctions, name: string, itemIndex: number): string {
	const code = String(this.getNodeParameter(name, itemIndex, '') ?? '').trim();
	if (TRIGGER_CODE.test(code)) return code;
	const suggestion = code.toLowerCase().replace(/[^a-z0-9._-]+/g, '_');
	throw new NodeOperationError(
		this.getNode(),
		code === '' ? '"Trigger Code" is empty' : `"Trigger Code" "${code}" has characters Bitrix24 does not allow`,
		{
			itemIndex,
			description: `Use only lower-case letters, digits, ".", "-" and "_"${suggestion && suggestion !== code ? `, e.g. "${suggestion}"` : ''}.`,
		},
	);
}

/** The app's registered triggers as a dropdown (methods/automation.ts). */
export const triggerCodeProperty: INodeProperties = {
	displayName: 'Trigger Name or ID',
	name: 'triggerCode',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getAppTriggers' },
	required: true,
	default: '',
	description:
		'A trigger this application registered. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};
