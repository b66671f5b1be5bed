import type { IDataObject, IHookFunctions } from 'n8n-workflow';

import { bitrix24Call } from '../Bitrix24/transport';
import { authenticationOf } from '../Bitrix24/transport/connection';
import type { TriggerMode } from './description';

/**
 * Buttons the trigger binds to its own production URL when the workflow is published (placement
 * mode, OAuth2: placement.bind needs application context, bitrix24-api.md §9). The URL holds the
 * node's webhookId, which n8n gives each imported copy anew, so only the trigger itself knows it.
 */

interface PlacementData {
	placementHandlerUrl?: string;
	boundPlacements?: string[];
}

export function placementsToBind(this: IHookFunctions): string[] {
	if ((this.getNodeParameter('mode') as TriggerMode) !== 'placement' || authenticationOf.call(this) !== 'oAuth2')
		return [];
	return (this.getNodeParameter('bindPlacements', []) as string[]).map((code) => code.toUpperCase());
}

async function boundPlacements(this: IHookFunctions, handler: string): Promise<Set<string>> {
	const { result } = await bitrix24Call.call(this, 'placement.get', {});
	const rows = Array.isArray(result) ? (result as IDataObject[]) : [];
	return new Set(rows.filter((row) => row.handler === handler).map((row) => String(row.placement ?? '').toUpperCase()));
}

export async function placementsBound(this: IHookFunctions, handler: string): Promise<boolean> {
	const wanted = placementsToBind.call(this);
	if (wanted.length === 0) return true;
	const bound = await boundPlacements.call(this, handler);
	return wanted.every((placement) => bound.has(placement));
}

/** Binds what is missing (Bitrix24 refuses a second identical binding) and remembers it for unbinding. */
export async function bindPlacements(this: IHookFunctions, handler: string): Promise<void> {
	const wanted = placementsToBind.call(this);
	if (wanted.length === 0) return;
	const title = String(this.getNodeParameter('buttonTitle', '') ?? '').trim() || 'LexOffice: Rechnung erstellen';
	const englishTitle = String(this.getNodeParameter('buttonEnglishTitle', '') ?? '').trim() || title;
	const bound = await boundPlacements.call(this, handler);
	for (const placement of wanted.filter((code) => !bound.has(code))) {
		await bitrix24Call.call(this, 'placement.bind', {
			PLACEMENT: placement,
			HANDLER: handler,
			TITLE: title,
			LANG_ALL: { de: { TITLE: title }, en: { TITLE: englishTitle } },
		});
	}
	const data: PlacementData = { placementHandlerUrl: handler, boundPlacements: wanted };
	Object.assign(this.getWorkflowStaticData('node'), data);
}

/** Unbinds the buttons bound at publish, so no button leads to an unpublished workflow. */
export async function unbindPlacements(this: IHookFunctions, currentHandler: string): Promise<void> {
	const staticData = this.getWorkflowStaticData('node');
	const remembered = staticData as PlacementData;
	const placements = new Set([...(remembered.boundPlacements ?? []), ...placementsToBind.call(this)]);
	if (placements.size === 0) return;
	const handler = remembered.placementHandlerUrl ?? currentHandler;
	const bound = await boundPlacements.call(this, handler);
	for (const placement of placements) {
		if (bound.has(placement))
			await bitrix24Call.call(this, 'placement.unbind', { PLACEMENT: placement, HANDLER: handler });
	}
	delete staticData.placementHandlerUrl;
	delete staticData.boundPlacements;
}
