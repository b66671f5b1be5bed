/**
 * The HTTP face of the portal: /rest/… (webhook and OAuth), /oauth/token/ and /oauth/authorize/.
 * Parameters may come as a JSON body, a form body or a query string, like on the real API; the
 * transport is logged so tests can insist on POST + JSON (bitrix24-api.md §1.1).
 */
import { json, mediaType, parseFormBody, parsePhpParams, type ApiRequest, type ApiResponse } from '../common';
import type { AuthContext } from './context';
import { batchCommands, executeCall, normalizeMethodName, parseCommand } from './dispatch';
import { B24Error, systemErrors } from './errors';
import { accessTokenFrom } from './oauth';
import type { Portal } from './portal';
import type { Bitrix24RequestDetails, Bitrix24RequestLog } from './requestLog';

type RestRoute =
	| { kind: 'webhook'; userId: number; secret: string; method: string }
	| { kind: 'oauth'; method: string };

function matchRestPath(path: string): RestRoute | undefined {
	const webhook = /^\/rest\/(\d+)\/([^/]+)\/([^/]+?)\/?$/.exec(path);
	if (webhook) return { kind: 'webhook', userId: Number(webhook[1]), secret: webhook[2], method: webhook[3] };
	const oauth = /^\/rest\/([^/]+?)\/?$/.exec(path);
	return oauth ? { kind: 'oauth', method: oauth[1] } : undefined;
}

function readParams(request: ApiRequest): {
	params: Record<string, unknown>;
	transport: Bitrix24RequestDetails['transport'];
} {
	const query = parsePhpParams(request.searchParams);
	// A GET body is ignored (bitrix-tools/b24-rest-docs#223: GET + JSON body → "Communication type is not defined").
	if (request.method === 'GET') return { params: query, transport: 'query' };
	const type = mediaType(request.headers);
	if (request.rawBody.length === 0) {
		const transport =
			type === 'application/json' ? 'json' : type === 'application/x-www-form-urlencoded' ? 'form' : 'query';
		return { params: query, transport };
	}
	if (type === 'application/json') {
		try {
			const body: unknown = JSON.parse(request.rawBody.toString('utf8'));
			const fromBody =
				typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
			return { params: { ...query, ...fromBody }, transport: 'json' };
		} catch {
			// PHP's json_decode gives null: the method then sees no parameters.
			return { params: query, transport: 'json' };
		}
	}
	if (type === 'application/x-www-form-urlencoded')
		return { params: { ...query, ...parseFormBody(request.rawBody) }, transport: 'form' };
	return { params: query, transport: 'other' };
}

function resolveAuth(
	portal: Portal,
	route: RestRoute,
	request: ApiRequest,
	params: Record<string, unknown>,
): AuthContext {
	const token = accessTokenFrom(request.headers, params);
	delete params.auth;
	delete params.access_token;
	if (route.kind === 'webhook') {
		const webhook = portal.webhooks.find(
			(candidate) => candidate.userId === route.userId && candidate.secret === route.secret,
		);
		const user = webhook && portal.user(webhook.userId);
		if (!webhook || !user || !user.ACTIVE) throw systemErrors.noAuthFound();
		return { kind: 'webhook', user, consumer: `webhook:${webhook.userId}:${webhook.secret}`, scopes: webhook.scopes };
	}
	if (!token) throw systemErrors.noAuthFound();
	const user = portal.user(portal.oauth.authenticate(token));
	if (!user || !user.ACTIVE)
		throw new B24Error(403, 'user_access_error', 'The user does not have access to the application.');
	return { kind: 'app', user, consumer: `app:${portal.oauth.clientId}`, scopes: portal.oauth.scopes };
}

function errorResponse(error: unknown): ApiResponse {
	if (error instanceof B24Error) return json(error.status, error.toBody());
	const message = error instanceof Error ? error.message : String(error);
	return json(500, {
		error: 'INTERNAL_SERVER_ERROR',
		error_description: `Internal server error (sandbox: ${message})`,
	});
}

export function createApiHandler(
	portal: Portal,
	log: Bitrix24RequestLog,
): (request: ApiRequest) => Promise<ApiResponse> {
	return async (request) => {
		if (/^\/oauth\/token\/?$/.test(request.path)) {
			return { ...portal.oauth.token(readParams(request).params), label: 'oauth.token' };
		}
		if (/^\/oauth\/authorize\/?$/.test(request.path))
			return { ...portal.oauth.authorize(request), label: 'oauth.authorize' };

		const route = matchRestPath(request.path);
		if (!route) return json(404, { error: 'NOT_FOUND', error_description: 'Not found' });
		const { params, transport } = readParams(request);
		const method = normalizeMethodName(route.method);
		const details: Bitrix24RequestDetails = { transport, auth: route.kind };
		if (method === 'batch') {
			const commands = batchCommands(params);
			details.batchCommands = commands.length;
			details.batchMethods = commands.map(([, command]) => parseCommand(command).method);
		}
		log.note(request, details);
		const labelled = (response: ApiResponse): ApiResponse => ({ ...response, label: method });

		// §3.1: every HTTP request counts; over the limit the call is not performed.
		if (!portal.limits.admitRequest()) return labelled(errorResponse(systemErrors.queryLimitExceeded()));
		try {
			const auth = resolveAuth(portal, route, request, params);
			const { outcome, time } = await executeCall(portal, method, params, auth, false);
			const body: Record<string, unknown> = { result: outcome.result };
			if (outcome.total !== undefined) body.total = outcome.total;
			if (outcome.next !== undefined) body.next = outcome.next;
			body.time = time;
			return labelled(json(200, body));
		} catch (error) {
			return labelled(errorResponse(error));
		}
	};
}
