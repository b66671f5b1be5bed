import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IWebhookFunctions,
	type IWebhookResponseData,
	type JsonObject,
} from 'n8n-workflow';

import { bitrix24Call } from '../Bitrix24/transport';
import { parseInstallCallback } from './appInstall';
import { answerWithoutExecution, expectedCaller, refusalReason } from './callerCheck';
import { isDynamicItemEvent, parseCrmEventCall, sameEvent, type CrmEventCall } from './crmEvents';
import type { PlacementResponse } from './description';
import { formText, objectAt, readFormBody } from './formBody';
import { parsePlacementCall } from './placement';
import { REDIRECT_PAGE_CONTENT_SECURITY_POLICY, renderRedirectPage } from './redirectPage';

const JSON_TYPE = 'application/json; charset=utf-8';
const HTML_TYPE = 'text/html; charset=utf-8';

function refuseJson(context: IWebhookFunctions, statusCode: number, message: string): IWebhookResponseData {
	const error = statusCode === 401 ? 'Unauthorized' : 'Bad Request';
	return answerWithoutExecution(context, statusCode, JSON_TYPE, JSON.stringify({ error, message }));
}

/** Answered with 200 so Bitrix24 does not slow its deliveries down (§10), but nothing runs. */
function ignore(reason: string): IWebhookResponseData {
	return { webhookResponse: { status: 'ignored', reason } };
}

/** The transport's NodeApiError keeps Bitrix24's error body as `errorResponse` ({error, error_description}). */
function bitrix24ErrorCode(error: unknown): string | undefined {
	const response = (error as { errorResponse?: { error?: unknown } }).errorResponse;
	return typeof response?.error === 'string' ? response.error : undefined;
}

/**
 * crm.item.get for the record the event names. Events are queued and may arrive late (§10), so
 * the record can be gone: NOT_FOUND is reported as `recordDeleted`, not as a failure.
 */
async function fetchRecord(context: IWebhookFunctions, call: CrmEventCall): Promise<IDataObject> {
	if (call.action === 'delete') return { record: null, recordDeleted: true };
	if (call.id === null || call.entityTypeId === null) {
		throw new NodeOperationError(context.getNode(), `The ${call.event} event names no record to fetch`);
	}
	try {
		const { result } = await bitrix24Call.call(context, 'crm.item.get', { entityTypeId: call.entityTypeId, id: call.id });
		return { record: objectAt(objectAt(result).item), recordDeleted: false };
	} catch (error) {
		if (bitrix24ErrorCode(error) === 'NOT_FOUND') return { record: null, recordDeleted: true };
		// Already the transport's secret-free NodeApiError; wrapping it returns it unchanged.
		throw new NodeApiError(context.getNode(), error as JsonObject);
	}
}

export async function receiveCrmEvent(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const body = await readFormBody(this);
	const auth = objectAt(body.auth);
	const refusal = refusalReason(await expectedCaller(this), {
		applicationToken: formText(auth.application_token),
		memberId: formText(auth.member_id),
	});
	if (refusal) return refuseJson(this, 401, refusal);

	const call = parseCrmEventCall(body);
	const selected = this.getNodeParameter('events', []) as string[];
	if (!call || !selected.some((event) => sameEvent(event, call.event))) return ignore('event not selected in the trigger');
	const wantedTypeId = this.getNodeParameter('dynamicEntityTypeId', 0) as number;
	if (isDynamicItemEvent(call.event) && wantedTypeId && call.entityTypeId !== wantedTypeId) {
		return ignore(`entity type ${String(call.entityTypeId)} is not the one selected (${wantedTypeId})`);
	}
	const json: IDataObject = { ...call };
	if (this.getNodeParameter('fetchRecord', false) as boolean) Object.assign(json, await fetchRecord(this, call));
	return { workflowData: [[{ json }]] };
}

function placementPage(context: IWebhookFunctions, language: string): string {
	const url = (context.getNodeParameter('redirectUrl', '') as string).trim();
	try {
		return renderRedirectPage({
			title: context.getNodeParameter('pageTitle', '') as string,
			message: context.getNodeParameter('pageMessage', '') as string,
			url: url || undefined,
			linkText: context.getNodeParameter('linkText', '') as string,
			language,
		});
	} catch (error) {
		throw new NodeOperationError(context.getNode(), (error as Error).message, {
			description: 'Check the "Redirect URL" of the Bitrix24 Trigger.',
		});
	}
}

export async function receivePlacementCall(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const body = await readFormBody(this);
	const query = objectAt(this.getQueryData());
	const refusal = refusalReason(await expectedCaller(this), {
		applicationToken: formText(body.APPLICATION_TOKEN),
		memberId: formText(body.member_id) || formText(query.member_id),
	});
	if (refusal) {
		const page = renderRedirectPage({
			title: 'Zugriff verweigert (401)',
			message: `Dieser Aufruf konnte nicht als Aufruf Ihres Bitrix24-Portals bestätigt werden. / This call could not be verified as coming from your Bitrix24 portal. (${refusal})`,
		});
		return answerWithoutExecution(this, 401, HTML_TYPE, page, {
			'Content-Security-Policy': REDIRECT_PAGE_CONTENT_SECURITY_POLICY,
		});
	}
	const call = parsePlacementCall(body, query);
	const workflowData = [[{ json: { ...call } as IDataObject }]];
	if ((this.getNodeParameter('placementResponse', 'redirectPage') as PlacementResponse) !== 'redirectPage') {
		return { workflowData };
	}
	answerWithoutExecution(this, 200, HTML_TYPE, placementPage(this, call.language), {
		'Content-Security-Policy': REDIRECT_PAGE_CONTENT_SECURITY_POLICY,
	});
	return { noWebhookResponse: true, workflowData };
}

export async function receiveInstallCallback(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const parsed = parseInstallCallback(await readFormBody(this));
	if ('missing' in parsed) {
		return refuseJson(this, 400, `Not a Bitrix24 installation callback: missing ${parsed.missing.join(', ')}`);
	}
	const expectedPortal = (this.getNodeParameter('expectedPortal', '') as string)
		.trim()
		.toLowerCase()
		.replace(/^https?:\/\//, '')
		.replace(/\/.*$/, '');
	if (expectedPortal && parsed.domain !== expectedPortal) {
		return refuseJson(this, 401, 'The installation callback comes from a different Bitrix24 portal');
	}
	return { workflowData: [[{ json: { ...parsed } as IDataObject }]] };
}
