import {
	json,
	mediaType,
	parseJsonBody,
	type ApiRequest,
	type ApiResponse,
	type Random,
	type SandboxRateLimiter,
} from '../common';
import { createContact, getContact, listContacts, updateContact } from './contacts';
import type { Handler, LexofficeContext } from './context';
import { gatewayError, legacyError, regularError } from './errors';
import { createInvoice, getInvoice, getInvoiceFile } from './invoices';
import { getPayments } from './payments';
import { createSubscription, deleteSubscription, getSubscription, listSubscriptions } from './subscriptions';
import { listVouchers } from './voucherlist';

interface Route {
	method: string;
	pattern: RegExp;
	label: string;
	handler: Handler;
	/** Contacts answer in the legacy IssueList format, the rest in the regular one (§7.2). */
	legacy?: boolean;
}

const ID = '([^/]+)';
const ROUTES: Route[] = [
	{ method: 'GET', pattern: /^\/v1\/profile$/, label: 'profile.get', handler: (ctx) => json(200, ctx.state.profile) },
	{ method: 'POST', pattern: /^\/v1\/contacts$/, label: 'contacts.create', handler: createContact, legacy: true },
	{ method: 'GET', pattern: /^\/v1\/contacts$/, label: 'contacts.list', handler: listContacts, legacy: true },
	{
		method: 'GET',
		pattern: new RegExp(`^/v1/contacts/${ID}$`),
		label: 'contacts.get',
		handler: getContact,
		legacy: true,
	},
	{
		method: 'PUT',
		pattern: new RegExp(`^/v1/contacts/${ID}$`),
		label: 'contacts.update',
		handler: updateContact,
		legacy: true,
	},
	{ method: 'POST', pattern: /^\/v1\/invoices$/, label: 'invoices.create', handler: createInvoice },
	{ method: 'GET', pattern: new RegExp(`^/v1/invoices/${ID}$`), label: 'invoices.get', handler: getInvoice },
	{ method: 'GET', pattern: new RegExp(`^/v1/invoices/${ID}/file$`), label: 'invoices.file', handler: getInvoiceFile },
	{ method: 'GET', pattern: /^\/v1\/voucherlist$/, label: 'voucherlist.list', handler: listVouchers },
	{ method: 'GET', pattern: new RegExp(`^/v1/payments/${ID}$`), label: 'payments.get', handler: getPayments },
	{
		method: 'POST',
		pattern: /^\/v1\/event-subscriptions$/,
		label: 'subscriptions.create',
		handler: createSubscription,
	},
	{ method: 'GET', pattern: /^\/v1\/event-subscriptions$/, label: 'subscriptions.list', handler: listSubscriptions },
	{
		method: 'GET',
		pattern: new RegExp(`^/v1/event-subscriptions/${ID}$`),
		label: 'subscriptions.get',
		handler: getSubscription,
	},
	{
		method: 'DELETE',
		pattern: new RegExp(`^/v1/event-subscriptions/${ID}$`),
		label: 'subscriptions.delete',
		handler: deleteSubscription,
	},
];

/**
 * §1.2: `Authorization: Bearer <key>`. A header that is not `Bearer <token>` is answered by the
 * gateway with 403 and its key=value complaint; a missing or wrong key with 401.
 */
function authenticate(request: ApiRequest, apiKey: string): ApiResponse | undefined {
	const header = request.headers.authorization;
	if (header === undefined || header.trim() === '') return gatewayError(401, 'Unauthorized');
	const match = /^Bearer (\S+)$/.exec(header);
	if (!match) {
		const token = header.trim().split(/\s+/).pop() ?? '';
		return gatewayError(
			403,
			`'${token}' not a valid key=value pair (missing equal-sign) in Authorization header: '${header}'.`,
		);
	}
	return match[1] === apiKey ? undefined : gatewayError(401, 'Unauthorized');
}

/** The whole API behind the shared pipeline: auth → rate limit → route → media type → body → handler. */
export function createLexofficeApi(
	ctx: LexofficeContext,
	limiter: SandboxRateLimiter,
	random: Random,
): (request: ApiRequest) => Promise<ApiResponse> {
	return async (request) => {
		const authProblem = authenticate(request, ctx.options.apiKey);
		if (authProblem) return { ...authProblem, label: 'auth-failed' };

		// §2: one token bucket over all endpoints; a rejected call is not performed.
		if (!limiter.tryTake()) {
			const as500 = random.chance(ctx.options.rateLimitAs500Rate);
			return {
				...(as500
					? gatewayError(500, 'Internal server error or rate limit exceeded')
					: gatewayError(429, 'Too Many Requests')),
				label: 'rate-limited',
			};
		}

		const samePath = ROUTES.filter((route) => route.pattern.test(request.path));
		const route = samePath.find((candidate) => candidate.method === request.method);
		if (!route) {
			if (samePath.length === 0) return gatewayError(404, 'Not Found');
			return errorFor(samePath[0], request, 405, 'Method Not Allowed');
		}
		const params = (route.pattern.exec(request.path) ?? []).slice(1).map(decodeURIComponent);

		let body: unknown;
		if (request.method === 'POST' || request.method === 'PUT') {
			// §1.2 / §7.1: POST and PUT need Content-Type application/json, else 415.
			if (mediaType(request.headers) !== 'application/json') {
				return { ...errorFor(route, request, 415, 'Unsupported Media Type'), label: route.label };
			}
			try {
				body = parseJsonBody(request.rawBody);
			} catch {
				return { ...errorFor(route, request, 400, 'Malformed JSON request body'), label: route.label };
			}
		}
		const response = await route.handler(ctx, request, params, body);
		return { ...response, label: route.label };
	};
}

function errorFor(route: Route, request: ApiRequest, status: number, message: string): ApiResponse {
	return route.legacy
		? legacyError(status, [{ i18nKey: 'bad_request_error', source: message, type: 'bad_request_error' }])
		: regularError(status, request.path, message);
}
