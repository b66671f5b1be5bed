import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';

import { redact } from '../../shared/redact';

export { redact };

/** What came back from one HTTP attempt, before we decide what it means. */
export interface RawResponse {
	statusCode: number;
	body: unknown;
}

/** The Bitrix24 error envelope `{error, error_description}` (bitrix24-api.md §2). */
export interface Bitrix24ErrorBody {
	error: string;
	description: string;
}

/**
 * A 429 can arrive as an HTML page (bitrix24-api.md §3.2), so a body is only trusted after parsing.
 */
export function parseBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body) as unknown;
	} catch {
		return body;
	}
}

/**
 * `error` may be an empty string with the real text in `error_description` (many CRM methods,
 * bitrix24-api.md §2), so both count.
 */
export function errorBodyOf(body: unknown): Bitrix24ErrorBody | undefined {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
	const record = body as Record<string, unknown>;
	if (!('error' in record) && !('error_description' in record)) return undefined;
	const error = typeof record.error === 'string' ? record.error : '';
	const description = typeof record.error_description === 'string' ? record.error_description : '';
	return { error, description };
}

export type Failure =
	/** 503 QUERY_LIMIT_EXCEEDED: refused by the leaky bucket, not performed (§3.1). */
	| { kind: 'queryLimit'; statusCode: number; error: Bitrix24ErrorBody }
	/** 429 OPERATION_TIME_LIMIT: refused by the per-method time budget, not performed (§3.2). */
	| { kind: 'operatingLimit'; statusCode: number; error: Bitrix24ErrorBody; body: unknown }
	/** Other 5xx: may or may not have been performed. */
	| { kind: 'server'; statusCode: number; error: Bitrix24ErrorBody }
	/** No HTTP answer at all (reset, timeout): may or may not have been performed. */
	| { kind: 'transport'; statusCode: 0; error: Bitrix24ErrorBody }
	/** Everything else: the API said no, repeating will not help. */
	| { kind: 'rejected'; statusCode: number; error: Bitrix24ErrorBody };

const NON_JSON_DESCRIPTION = 'Bitrix24 answered with something that is not JSON';

export function classifyResponse(response: RawResponse): Failure | undefined {
	const body = parseBody(response.body);
	const { statusCode } = response;
	const error = errorBodyOf(body);
	const isSuccess = statusCode >= 200 && statusCode < 300;
	if (isSuccess && !error && typeof body === 'object' && body !== null && 'result' in body) return undefined;
	const described: Bitrix24ErrorBody = error ?? {
		error: isSuccess ? 'UNEXPECTED_RESPONSE' : `HTTP_${statusCode}`,
		description: isSuccess
			? `${NON_JSON_DESCRIPTION} or has no result`
			: `${NON_JSON_DESCRIPTION} (HTTP ${statusCode})`,
	};
	if (described.error === 'QUERY_LIMIT_EXCEEDED') return { kind: 'queryLimit', statusCode, error: described };
	if (described.error === 'OPERATION_TIME_LIMIT' || statusCode === 429) {
		return { kind: 'operatingLimit', statusCode, error: described, body };
	}
	// OVERLOAD_LIMIT is a manual block by Bitrix24 support (§2): waiting will not lift it.
	if (statusCode >= 500 && described.error !== 'OVERLOAD_LIMIT')
		return { kind: 'server', statusCode, error: described };
	return { kind: 'rejected', statusCode, error: described };
}

const FRIENDLY_DESCRIPTIONS: Record<string, string> = {
	QUERY_LIMIT_EXCEEDED:
		'Bitrix24 kept refusing requests because the portal is over its request limit. Other workflows or apps may be using the same portal; try again later or lower the load.',
	OPERATION_TIME_LIMIT:
		'Bitrix24 blocked this method for a while because it used up its operating-time budget. Try again after a few minutes.',
	expired_token: 'The access token expired and could not be renewed. Reconnect the OAuth2 credential.',
	NO_AUTH_FOUND: 'Bitrix24 did not accept the credential. Check the webhook URL or reconnect the OAuth2 credential.',
	insufficient_scope: 'The webhook or application lacks a permission (scope) this method needs. Add it in Bitrix24.',
	OVERLOAD_LIMIT: 'Bitrix24 support has blocked REST access for this portal. Contact Bitrix24 support.',
};

export interface ErrorContext {
	node: INode;
	method: string;
	secrets: readonly string[];
	itemIndex?: number;
}

/**
 * The NodeApiError a user sees: message = Bitrix24's own `error_description` (or the code), the
 * code and method in the description, the HTTP status kept. Built from plain values only, never
 * from the HTTP library's error (whose config carries the webhook URL).
 */
export function bitrix24ApiError(
	context: ErrorContext,
	statusCode: number,
	error: Bitrix24ErrorBody,
	extraDescription?: string,
): NodeApiError {
	const clean = (text: string) => redact(text, context.secrets);
	const code = error.error || '(no error code)';
	const message = clean(error.description || error.error || `Bitrix24 request failed (HTTP ${statusCode})`);
	const parts = [
		statusCode
			? `Bitrix24 method ${context.method} answered HTTP ${statusCode}, error code ${code}.`
			: `Bitrix24 method ${context.method} got no answer (${code}).`,
		FRIENDLY_DESCRIPTIONS[error.error],
		extraDescription,
	].filter((part): part is string => Boolean(part));
	const response: JsonObject = {
		error: clean(error.error),
		error_description: clean(error.description),
		method: context.method,
	};
	return new NodeApiError(context.node, response, {
		message,
		description: clean(parts.join(' ')),
		httpCode: statusCode ? String(statusCode) : undefined,
		itemIndex: context.itemIndex,
	});
}

/** Configuration mistakes found before anything is sent (bad URL, app-only method via webhook…). */
export function bitrix24ConfigError(
	node: INode,
	message: string,
	description: string,
	secrets: readonly string[],
	itemIndex?: number,
): NodeOperationError {
	return new NodeOperationError(node, redact(message, secrets), {
		description: redact(description, secrets),
		itemIndex,
	});
}
