import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import { z } from 'zod';

import { redact } from '../../shared/redact';

/** The three error body shapes of lexoffice-api.md §7.2. */

/** 2. Legacy, used by contacts, files and vouchers. */
const legacyErrorSchema = z.object({
	IssueList: z.array(
		z
			.object({
				i18nKey: z.string().nullish(),
				source: z.string().nullish(),
				type: z.string().nullish(),
			})
			.passthrough(),
	),
});

/** 3. Regular, used by every other endpoint. */
const regularErrorSchema = z
	.object({
		message: z.string().nullish(),
		error: z.string().nullish(),
		traceId: z.string().nullish(),
		requestId: z.string().nullish(),
		details: z
			.array(
				z
					.object({
						violation: z.string().nullish(),
						field: z.string().nullish(),
						message: z.string().nullish(),
					})
					.passthrough(),
			)
			.nullish(),
	})
	.passthrough();

/** 1. Gateway/auth: `{ "message": … }` (message may be null, e.g. a gateway 500). */
const gatewayErrorSchema = z.object({ message: z.string().nullish() }).passthrough();

export interface LexofficeErrorInfo {
	/** LexOffice's own words (or, without any, the HTTP status). */
	message: string;
	/** The individual issues, one per line. */
	description?: string;
}

/** What LexOffice's error body says, whichever of the three shapes it has. */
export function describeErrorBody(status: number, body: unknown): LexofficeErrorInfo {
	const parsedBody = typeof body === 'string' || Buffer.isBuffer(body) ? parseJson(body.toString()) : body;

	const legacy = legacyErrorSchema.safeParse(parsedBody);
	if (legacy.success && legacy.data.IssueList.length > 0) {
		const issues = legacy.data.IssueList.map((issue) => ({
			text: [issue.i18nKey ?? issue.type ?? 'issue', issue.source].filter(Boolean).join(': '),
			type: issue.type && issue.type !== issue.i18nKey ? ` (${issue.type})` : '',
		}));
		const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
		return {
			message: `${issues[0].text}${more}`,
			description: issues.map((issue) => `${issue.text}${issue.type}`).join('\n'),
		};
	}

	const regular = regularErrorSchema.safeParse(parsedBody);
	if (regular.success && (regular.data.details || regular.data.traceId || regular.data.error)) {
		const { message, error, details, traceId, requestId } = regular.data;
		const lines = (details ?? []).map((detail) =>
			[detail.field, detail.message ?? detail.violation].filter(Boolean).join(': '),
		);
		const reference = traceId ?? requestId;
		if (reference) lines.push(`LexOffice trace id: ${reference}`);
		return {
			message: message ?? error ?? statusOnly(status),
			description: lines.length > 0 ? lines.join('\n') : undefined,
		};
	}

	const gateway = gatewayErrorSchema.safeParse(parsedBody);
	if (gateway.success && gateway.data.message) return { message: gateway.data.message };

	return { message: statusOnly(status) };
}

export const RATE_LIMIT_ADVICE =
	'LexOffice allows 2 requests per second per account; the node waited and retried, but the limit was still exceeded. Run fewer workflows with this API key at the same time.';

/** Status-specific advice appended to the description (§1.2, §1.4, §3.5, §7.1, FAQ). */
const ADVICE: Record<number, string> = {
	401: 'Check the API key in the LexOffice credential: it may be wrong, revoked or older than 24 months. A 401 can also mean the LexOffice API is temporarily unavailable (https://status.lexware.de).',
	402: 'LexOffice reports a contract issue: the Public API needs an active XL plan.',
	403: 'The API key lacks the scope for this endpoint; create a key with the needed scopes at https://app.lexware.de/addons/public-api.',
	409: 'The record was changed in LexOffice in the meantime (stale version), or it already exists. Fetch it again and retry.',
	429: RATE_LIMIT_ADVICE,
};

/**
 * A NodeApiError carrying LexOffice's message and the HTTP code; never the request. LexOffice's
 * own words can repeat the key (the 403 for a malformed header says `Bearer <key>`, §1.2), so
 * they pass through `redact` with the credential's secrets first.
 */
export function lexofficeApiError(
	node: INode,
	status: number,
	body: unknown,
	secrets: readonly unknown[],
	extraAdvice?: string,
): NodeApiError {
	const described = describeErrorBody(status, body);
	const message = redact(described.message, secrets);
	const description = described.description === undefined ? undefined : redact(described.description, secrets);
	const text = [description, extraAdvice ?? ADVICE[status]].filter(Boolean).join('\n\n');
	return new NodeApiError(node, { httpCode: String(status), message } as JsonObject, {
		message,
		description: text || undefined,
		httpCode: String(status),
	});
}

/** For failures without an HTTP answer (dropped connection, timeout). */
export function lexofficeConnectionError(node: INode, message: string, description?: string): NodeApiError {
	return new NodeApiError(node, { message } as JsonObject, { message, description });
}

function statusOnly(status: number): string {
	return `LexOffice answered with HTTP ${status}`;
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		// A short plain-text answer is worth showing; an HTML error page from a proxy is not.
		const trimmed = text.trim();
		return trimmed !== '' && trimmed.length <= 300 && !trimmed.startsWith('<') ? { message: trimmed } : undefined;
	}
}

/** The HTTP status an error carries (NodeApiError's `httpCode`), if any. */
export function httpCodeOf(error: unknown): number | undefined {
	const code = (error as { httpCode?: unknown })?.httpCode;
	const status = typeof code === 'string' || typeof code === 'number' ? Number(code) : NaN;
	return Number.isInteger(status) ? status : undefined;
}

/** LexOffice answered 2xx with something we cannot use; say what was expected. */
export function unexpectedResponseError(node: INode, expected: string, issue: string): NodeApiError {
	const message = `LexOffice answered with an unexpected format (expected ${expected})`;
	return new NodeApiError(node, { message } as JsonObject, { message, description: issue });
}
