/** CRM placement codes for the buttons and tabs an app can add (bitrix24-api.md §9). */
import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeProperties,
	type INodePropertyOptions,
} from 'n8n-workflow';

const OWNERS = [
	['CONTACT', 'Contact'],
	['COMPANY', 'Company'],
	['SMART_INVOICE', 'Smart Invoice'],
	['DEAL', 'Deal'],
	['LEAD', 'Lead'],
] as const;

const SLOTS = [
	['DETAIL_TOOLBAR', 'Card: Toolbar Button Menu'],
	['DETAIL_TAB', 'Card: Tab'],
	['DETAIL_ACTIVITY', 'Card: "More" Menu Above the Timeline'],
	['LIST_MENU', 'List: Row Menu'],
	['LIST_TOOLBAR', 'List: Toolbar Menu'],
	['DOCUMENTGENERATOR_BUTTON', 'Card: Document Generator Menu'],
] as const;

export const PLACEMENT_OPTIONS: INodePropertyOptions[] = OWNERS.flatMap(([owner, ownerName]) =>
	SLOTS.map(([slot, slotName]) => ({ name: `${ownerName} ${slotName}`, value: `CRM_${owner}_${slot}` })),
).sort((a, b) => a.name.localeCompare(b.name));

export const placementProperty: INodeProperties = {
	displayName: 'Placement',
	name: 'placement',
	type: 'options',
	options: PLACEMENT_OPTIONS,
	default: 'CRM_CONTACT_DETAIL_TOOLBAR',
	description:
		'Where the button or tab appears. Other codes (e.g. CRM_DYNAMIC_183_DETAIL_TAB) can be given with an expression.',
};

/** Placement codes are upper-case letters, digits and "_" (CRM_DYNAMIC_183_DETAIL_TAB). */
export function readPlacement(this: IExecuteFunctions, itemIndex: number): string {
	const code = String(this.getNodeParameter('placement', itemIndex, '') ?? '')
		.trim()
		.toUpperCase();
	if (/^[A-Z][A-Z0-9_]*$/.test(code)) return code;
	throw new NodeOperationError(this.getNode(), `"Placement" is not a placement code: "${code}"`, {
		itemIndex,
		description: 'Pick a placement from the list, or enter a code such as CRM_CONTACT_DETAIL_TOOLBAR.',
	});
}

/** Bitrix24 only calls public http(s) handlers (§9); the address is checked for form here. */
export function readHandlerUrl(this: IExecuteFunctions, itemIndex: number, required: boolean): string | undefined {
	const raw = String(this.getNodeParameter('handlerUrl', itemIndex, '') ?? '').trim();
	if (raw === '' && !required) return undefined;
	let url: URL | undefined;
	try {
		url = new URL(raw);
	} catch {
		url = undefined;
	}
	if (url && (url.protocol === 'https:' || url.protocol === 'http:')) return raw;
	throw new NodeOperationError(this.getNode(), `"Handler URL" is not an http(s) address: "${raw}"`, {
		itemIndex,
		description:
			'Use the Production URL of a Bitrix24 Trigger node in "Placement" mode (or another public https address). Bitrix24 refuses localhost and private addresses.',
	});
}
