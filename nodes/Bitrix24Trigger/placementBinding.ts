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

export function placementsToBind(context: IHookFunctions): string[] {
	if ((context.getNodeParameter('mode') as TriggerMode) !== 'placement' || authenticationOf(context) !== 'oAuth2') return [];
	return (context.getNodeParameter('bindPlacements', []) as string[]).map((code) => code.toUpperCase());
}

async function boundPlacements(context: IHookFunctions, handler: string): Promise<Set<string>> {
	const { result } = await bitrix24Call.call(context, 'placement.get', {});
	const rows = Array.isArray(result) ? (result as IDataObject[]) : [];
	return new Set(rows.filter((row) => row.handler === handler).map((row) => String(row.placement ?? '').toUpperCase()));
}

export async function placementsBound(context: IHookFunctions, handler: string): Promise<boolean> {
	const wanted = placementsToBind(context);
	if (wanted.length === 0) return true;
	const bound = await boundPlacements(context, handler);
	return wanted.every((placement) => bound.has(placement));
}

/** Binds what is missing (Bitrix24 refuses a second identical binding) and remembers it for unbinding. */
export async function bindPlacements(context: IHookFunctions, handler: string): Promise<void> {
	const wanted = placementsToBind(context);
	if (wanted.length === 0) return;
	const title = String(context.getNodeParameter('buttonTitle', '') ?? '').trim() || 'LexOffice: Rechnung erstellen';
	const englishTitle = String(context.getNodeParameter('buttonEnglishTitle', '') ?? '').trim() || title;
	const bound = await boundPlacements(context, handler);
	for (const placement of wanted.filter((code) => !bound.has(code))) {
		await bitrix24Call.call(context, 'placement.bind', {
			PLACEMENT: placement,
			HANDLER: handler,
			TITLE: title,
			LANG_ALL: { de: { TITLE: title }, en: { TITLE: englishTitle } },
		});
	}
	const data: PlacementData = { placementHandlerUrl: handler, boundPlacements: wanted };
	Object.assign(context.getWorkflowStaticData('node'), data);
}

/** Unbinds the buttons bound at publish, so no button leads to an unpublished workflow. */
export async function unbindPlacements(context: IHookFunctions, currentHandler: string): Promise<void> {
	const staticData = context.getWorkflowStaticData('node');
	const remembered = staticData as PlacementData;
	const placements = new Set([...(remembered.boundPlacements ?? []), ...placementsToBind(context)]);
	if (placements.size === 0) return;
	const handler = remembered.placementHandlerUrl ?? currentHandler;
	const bound = await boundPlacements(context, handler);
	for (const placement of placements) {
		if (bound.has(placement)) await bitrix24Call.call(context, 'placement.unbind', { PLACEMENT: placement, HANDLER: handler });
	}
	delete staticData.placementHandlerUrl;
	delete staticData.boundPlacements;
}
