import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IWebhookFunctions,
	type IWebhookResponseData,
	type JsonObject,
} from 'n8n-workflow';

import { bitrix24Call } from '../Bitrix24/transport';
import { checkAccessToken } from '../Bitrix24/transport/accessTokenCheck';
import { resolveConnection } from '../Bitrix24/transport/connection';
import { installPortal, parseInstallCallback } from './appInstall';
import { answerWithoutExecution, expectedCaller, refusalReason } from './callerCheck';
import { isDynamicItemEvent, parseCrmEventCall, sameEvent, type CrmEventCall } from './crmEvents';
import type { PlacementResponse } from './description';
import {
	formText,
	isBodyRefusal,
	nestCallerBody,
	objectAt,
	presentedValue,
	readCallerBody,
	type BodyRefusal,
} from './formBody';
import { parsePlacementCall } from './placement';
import { REDIRECT_PAGE_CONTENT_SECURITY_POLICY, renderRedirectPage } from '../Bitrix24/helpers/redirectPage';

const JSON_TYPE = 'application/json; charset=utf-8';
const HTML_TYPE = 'text/html; charset=utf-8';

const STATUS_NAMES: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 413: 'Payload Too Large' };

function refuseJson(this: IWebhookFunctions, statusCode: number, message: string): IWebhookResponseData {
	const error = STATUS_NAMES[statusCode] ?? 'Bad Request';
	return answerWithoutExecution.call(this, statusCode, JSON_TYPE, JSON.stringify({ error, message }));
}

function refuseBody(this: IWebhookFunctions, refusal: BodyRefusal): IWebhookResponseData {
	return refuseJson.call(this, refusal.status, refusal.reason);
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
async function fetchRecord(this: IWebhookFunctions, call: CrmEventCall): Promise<IDataObject> {
	if (call.action === 'delete') return { record: null, recordDeleted: true };
	if (call.id === null || call.entityTypeId === null) {
		throw new NodeOperationError(this.getNode(), `The ${call.event} event names no record to fetch`);
	}
	try {
		const { result } = await bitrix24Call.call(this, 'crm.item.get', { entityTypeId: call.entityTypeId, id: call.id });
		return { record: objectAt(objectAt(result).item), recordDeleted: false };
	} catch (error) {
		if (bitrix24ErrorCode(error) === 'NOT_FOUND') return { record: null, recordDeleted: true };
		// Already the transport's secret-free NodeApiError; wrapping it returns it unchanged.
		throw new NodeApiError(this.getNode(), error as JsonObject);
	}
}

/**
 * Every mode follows the same order, so a stranger costs no more than reading a bounded body:
 * size and key count of the raw bytes, then the token from its raw value, and only after that
 * the nested body (with its depth limit) and any work for the workflow.
 */
export async function receiveCrmEvent(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const raw = await readCallerBody.call(this);
	if (isBodyRefusal(raw)) return refuseBody.call(this, raw);
	const refusal = refusalReason(await expectedCaller.call(this), {
		applicationToken: presentedValue(raw, 'auth[application_token]'),
		memberId: presentedValue(raw, 'auth[member_id]'),
	});
	if (refusal) return refuseJson.call(this, 401, refusal);
	const body = nestCallerBody(raw);
	if (isBodyRefusal(body)) return refuseBody.call(this, body);

	const call = parseCrmEventCall(body);
	const selected = this.getNodeParameter('events', []) as string[];
	if (!call || !selected.some((event) => sameEvent(event, call.event)))
		return ignore('event not selected in the trigger');
	const wantedTypeId = this.getNodeParameter('dynamicEntityTypeId', 0) as number;
	if (isDynamicItemEvent(call.event) && wantedTypeId && call.entityTypeId !== wantedTypeId) {
		return ignore(`entity type ${String(call.entityTypeId)} is not the one selected (${wantedTypeId})`);
	}
	const json: IDataObject = { ...call };
	if (this.getNodeParameter('fetchRecord', false) as boolean) Object.assign(json, await fetchRecord.call(this, call));
	return { workflowData: [[{ json }]] };
}

function placementPage(this: IWebhookFunctions, language: string): string {
	const url = (this.getNodeParameter('redirectUrl', '') as string).trim();
	try {
		return renderRedirectPage({
			title: this.getNodeParameter('pageTitle', '') as string,
			message: this.getNodeParameter('pageMessage', '') as string,
			url: url || undefined,
			linkText: this.getNodeParameter('linkText', '') as string,
			language,
		});
	} catch (error) {
		throw new NodeOperationError(this.getNode(), (error as Error).message, {
			description: 'Check the "Redirect URL" of the Bitrix24 Trigger.',
		});
	}
}

function refusePlacement(this: IWebhookFunctions, statusCode: number, reason: string): IWebhookResponseData {
	const page = renderRedirectPage({
		title: `Zugriff verweigert (${statusCode})`,
		message: `Dieser Aufruf konnte nicht als Aufruf Ihres Bitrix24-Portals bestätigt werden. / This call could not be verified as coming from your Bitrix24 portal. (${reason})`,
	});
	return answerWithoutExecution.call(this, statusCode, HTML_TYPE, page, {
		'Content-Security-Policy': REDIRECT_PAGE_CONTENT_SECURITY_POLICY,
	});
}

/**
 * The application token is readable by every user who opens the button's frame, so it is not
 * enough: the user's own access token (`AUTH_ID`, §9) must be live on the configured portal and,
 * with OAuth2, belong to our application. Proven tokens are cached for a few minutes.
 */
async function placementUserRefusal(
	this: IWebhookFunctions,
	authId: string,
	expiresIn: string,
	clientId?: string,
): Promise<string | undefined> {
	const connection = await resolveConnection.call(this);
	const check = await checkAccessToken(this, {
		restBase: connection.restBase,
		host: connection.host,
		plan: connection.plan,
		token: authId,
		expiresInSeconds: Number(expiresIn),
	});
	if (!check.valid) return check.reason;
	if (clientId !== undefined && check.clientId !== clientId)
		return "The user's access token belongs to another application";
	return undefined;
}

export async function receivePlacementCall(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const raw = await readCallerBody.call(this);
	if (isBodyRefusal(raw)) return refusePlacement.call(this, raw.status, raw.reason);
	const query = objectAt(this.getQueryData());
	const expected = await expectedCaller.call(this);
	const refusal = refusalReason(expected, {
		applicationToken: presentedValue(raw, 'APPLICATION_TOKEN'),
		memberId: presentedValue(raw, 'member_id') || formText(query.member_id),
	});
	if (refusal) return refusePlacement.call(this, 401, refusal);
	// The body's shape is judged before the portal is asked about the user.
	const body = nestCallerBody(raw);
	if (isBodyRefusal(body)) return refusePlacement.call(this, body.status, body.reason);
	const userRefusal = await placementUserRefusal.call(
		this,
		formText(body.AUTH_ID),
		formText(body.AUTH_EXPIRES),
		expected.clientId,
	);
	if (userRefusal) return refusePlacement.call(this, 401, userRefusal);

	const call = parsePlacementCall(body, query);
	const workflowData = [[{ json: { ...call } as IDataObject }]];
	if ((this.getNodeParameter('placementResponse', 'redirectPage') as PlacementResponse) !== 'redirectPage') {
		return { workflowData };
	}
	answerWithoutExecution.call(this, 200, HTML_TYPE, placementPage.call(this, call.language), {
		'Content-Security-Policy': REDIRECT_PAGE_CONTENT_SECURITY_POLICY,
	});
	return { noWebhookResponse: true, workflowData };
}

/**
 * The install callback brings the token everything else is checked against, so it is proven
 * differently: its host must be the configured portal, and that portal must confirm the access
 * token it carries. Nothing of an unproven callback is output.
 */
export async function receiveInstallCallback(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const raw = await readCallerBody.call(this);
	if (isBodyRefusal(raw)) return refuseBody.call(this, raw);
	const portal = installPortal.call(this);
	if (!portal) return refuseJson.call(this, 401, 'No portal address is configured for this trigger');
	const domain = presentedValue(raw, 'auth[domain]').trim().toLowerCase();
	if (domain !== portal.host) {
		return refuseJson.call(this, 401, 'The installation callback comes from a different Bitrix24 portal');
	}
	const accessToken = presentedValue(raw, 'auth[access_token]');
	if (accessToken === '') return refuseJson.call(this, 401, 'The installation callback carries no access token');
	const body = nestCallerBody(raw);
	if (isBodyRefusal(body)) return refuseBody.call(this, body);
	const check = await checkAccessToken(this, {
		restBase: portal.restBase,
		host: portal.host,
		plan: 'standard',
		token: accessToken,
	});
	if (!check.valid) return refuseJson.call(this, 401, check.reason);

	const parsed = parseInstallCallback(body);
	if ('missing' in parsed) {
		return refuseJson.call(this, 400, `Not a Bitrix24 installation callback: missing ${parsed.missing.join(', ')}`);
	}
	return { workflowData: [[{ json: { ...parsed, clientId: check.clientId } as IDataObject }]] };
}
