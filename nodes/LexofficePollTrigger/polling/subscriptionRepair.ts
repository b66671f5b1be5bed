import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { listSubscriptions } from '../../Lexoffice/helpers/eventSubscriptions';
import type { LexofficeContext } from '../../Lexoffice/transport';
import { ensureSubscriptions, subscriptionsFor } from '../../Lexoffice/helpers/triggerSubscriptions';

export interface RepairContext extends LexofficeContext {
	helpers: LexofficeContext['helpers'] & { httpRequest(options: IHttpRequestOptions): Promise<unknown> };
}

/**
 * Whether the callback URL is being served, i.e. the workflow with the LexOffice Trigger is
 * active: its HEAD webhook answers 2xx then, and n8n answers 404 otherwise.
 */
async function isServed(this: RepairContext, callbackUrl: string): Promise<boolean> {
	const response = (await this.helpers.httpRequest({
		method: 'HEAD',
		url: callbackUrl,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: 5_000,
	})) as { statusCode?: number };
	const status = response.statusCode ?? 0;
	return status >= 200 && status < 300;
}

/**
 * Keeps one subscription per event type for a callback URL: LexOffice deletes subscriptions whose
 * URL answered 404 for a while (lexoffice-api.md §6.5), and a LexOffice that only accepts a live
 * URL refuses subscriptions while n8n activates the trigger (§6.1). Creates the missing ones once
 * the URL is served; emits one item per subscription created.
 */
export async function repairSubscriptions(
	this: RepairContext,
	callbackUrl: string,
	eventTypes: string[],
): Promise<{ items: IDataObject[]; served?: boolean; missing: string[] }> {
	const all = await listSubscriptions.call(this);
	const existing = subscriptionsFor(all, callbackUrl, eventTypes);
	const missing = eventTypes.filter((eventType) => existing[eventType] === undefined);
	if (missing.length === 0) return { items: [], missing };
	if (!(await isServed.call(this, callbackUrl))) return { items: [], served: false, missing };
	const { ids, created } = await ensureSubscriptions.call(this, callbackUrl, eventTypes, all);
	const items = missing
		.filter((eventType) => created.includes(ids[eventType]))
		.map((eventType) => ({ eventType, subscriptionId: ids[eventType], callbackUrl, action: 'created' }));
	return { items, served: true, missing };
}
