import { createHash, timingSafeEqual } from 'crypto';
import type { IDataObject, IHookFunctions, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { authenticationOf, CREDENTIAL_TYPES } from '../Bitrix24/transport/connection';

/**
 * Bitrix24 signs nothing: every event, placement call and install callback carries the app's
 * `application_token` (outgoing webhooks: the token shown in their form), and comparing it with
 * the stored one is the documented way to know the call came from the portal
 * (bitrix24-api.md §1.3, §10 "Verifying a request").
 */
export interface ExpectedCaller {
	/** Empty when nothing is configured: then every call is refused. */
	applicationToken: string;
	/** The portal's `member_id`, when the OAuth2 token response (kept by n8n as oauthTokenData) told us (§1.2). */
	memberId?: string;
	/** The local application's client id (OAuth2): a placement's user token must belong to it. */
	clientId?: string;
}

export interface PresentedCaller {
	applicationToken: unknown;
	memberId: unknown;
}

function nonEmptyString(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Compares secrets in constant time; hashing first hides the expected length too. */
export function secretsMatch(expected: string, presented: unknown): boolean {
	if (expected === '' || typeof presented !== 'string' || presented === '') return false;
	const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
	return timingSafeEqual(digest(expected), digest(presented));
}

/** Why a call is refused, or undefined when it may run. The text never contains a token. */
export function refusalReason(expected: ExpectedCaller, presented: PresentedCaller): string | undefined {
	if (expected.applicationToken === '') return 'No application token is configured for this trigger';
	if (nonEmptyString(presented.applicationToken) === undefined) return 'The request carries no application token';
	if (!secretsMatch(expected.applicationToken, presented.applicationToken)) {
		return 'The application token does not match';
	}
	if (expected.memberId !== undefined && presented.memberId !== expected.memberId) {
		return 'The request comes from a different Bitrix24 portal (member_id)';
	}
	return undefined;
}

/**
 * The token to expect: the credential's `applicationToken`. With OAuth2 that is the app's token
 * from the install callback; with an incoming-webhook credential it is the outgoing webhook's
 * token (Bitrix24 shows it in the outgoing webhook's form). Both live in the credential, so the
 * token is encrypted at rest and never part of the workflow JSON.
 */
export async function expectedCaller(this: IWebhookFunctions | IHookFunctions): Promise<ExpectedCaller> {
	const authentication = authenticationOf.call(this);
	const credentials = await this.getCredentials(CREDENTIAL_TYPES[authentication]);
	if (authentication === 'webhook') return { applicationToken: nonEmptyString(credentials.applicationToken) ?? '' };
	const tokenData = (credentials.oauthTokenData ?? {}) as IDataObject;
	return {
		applicationToken: nonEmptyString(credentials.applicationToken) ?? '',
		memberId: nonEmptyString(tokenData.member_id),
		clientId: nonEmptyString(credentials.clientId),
	};
}

/**
 * Versions before the token moved into the credential kept it in the node parameter
 * `applicationToken`, so such a workflow still carries it in its JSON. It is never used, and a
 * trigger that still holds it refuses to publish until it is moved and the field cleared.
 */
export function legacyTokenParameter(this: IWebhookFunctions | IHookFunctions): boolean {
	return nonEmptyString(this.getNode().parameters.applicationToken) !== undefined;
}

export const LEGACY_TOKEN_ADVICE =
	'The application token now lives in the credential, where n8n keeps it encrypted, instead of in the workflow. Open the "Bitrix24 Webhook API" credential of this trigger, paste the token into "Application Token (Outgoing Webhook)" and save it; then empty the trigger\'s "Application Token (Moved to Credential)" field and save the workflow.';

/** Answers the request itself (no execution starts) with the given status and body. */
export function answerWithoutExecution(
	this: IWebhookFunctions,
	statusCode: number,
	contentType: string,
	body: string,
	headers: Record<string, string> = {},
): IWebhookResponseData {
	const response = this.getResponseObject();
	response.status(statusCode);
	response.setHeader('Content-Type', contentType);
	for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
	response.send(body);
	return { noWebhookResponse: true };
}
