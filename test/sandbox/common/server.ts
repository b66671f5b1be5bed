import type { FaultInjector } from './faults';
import {
	dropConnection,
	json,
	parseJsonBody,
	sendApiResponse,
	startHttpServer,
	toApiRequest,
	type ApiRequest,
	type ApiResponse,
	type RunningServer,
} from './http';
import { parseLimitSetting, type LimitSetting } from './rateLimit';
import type { RequestFilter, RequestLog, RequestLogEntry } from './requestLog';

export const CONTROL_PREFIX = '/_sandbox';

export type ControlRoute = (request: ApiRequest, body: unknown) => ApiResponse | Promise<ApiResponse>;

/** What a sandbox exposes to other processes (a real n8n, `npm start`) under `/_sandbox/…`. */
export interface ControlApi {
	state(): unknown;
	reset(body: unknown): void | Promise<void>;
	seed(body: unknown): unknown;
	limits: { get(): LimitSetting; set(setting: LimitSetting): void };
	/** Extra routes keyed `'METHOD /name'` relative to `/_sandbox`, e.g. `'POST /simulate/createContact'`. */
	routes?: Record<string, ControlRoute>;
}

/**
 * Builds the `/_sandbox/*` handler shared by both sandboxes:
 *   GET state · GET|DELETE requests (filters: method, pathIncludes, status, label, since) ·
 *   POST reset · POST seed · GET|PUT limits · GET|PUT|DELETE faults · POST faults/failNext ·
 *   GET faults/stats (what `rate` injected) · extra routes.
 * Returns undefined for paths it does not know, so the caller answers 404.
 */
export function mountControlApi(
	control: ControlApi,
	core: { log: RequestLog; faults: FaultInjector },
): (request: ApiRequest) => Promise<ApiResponse> {
	const builtIn: Record<string, ControlRoute> = {
		'GET /state': () => json(200, control.state()),
		'GET /requests': (request) => json(200, core.log.filter(requestFilterFrom(request.query))),
		'DELETE /requests': () => {
			core.log.clear();
			return json(204);
		},
		'POST /reset': async (_request, body) => {
			await control.reset(body);
			return json(200, control.state());
		},
		'POST /seed': (_request, body) => json(200, control.seed(body)),
		'GET /limits': () => json(200, { limits: control.limits.get() }),
		'PUT /limits': (_request, body) => {
			const value = typeof body === 'object' && body !== null && 'limits' in body ? body.limits : body;
			control.limits.set(parseLimitSetting(value));
			return json(200, { limits: control.limits.get() });
		},
		'GET /faults': () => json(200, core.faults.get()),
		'GET /faults/stats': () => json(200, core.faults.stats()),
		'PUT /faults': (_request, body) => {
			core.faults.set((body ?? {}) as Parameters<FaultInjector['set']>[0]);
			return json(200, core.faults.get());
		},
		'DELETE /faults': () => {
			core.faults.clear();
			return json(204);
		},
		'POST /faults/failNext': (_request, body) => {
			core.faults.failNext(...((Array.isArray(body) ? body : [body]) as Parameters<FaultInjector['failNext']>));
			return json(200, core.faults.get());
		},
	};
	const routes = { ...builtIn, ...control.routes };
	return async (request) => {
		const route = routes[`${request.method} ${request.path.slice(CONTROL_PREFIX.length) || '/'}`];
		if (!route) return json(404, { message: `unknown control route ${request.method} ${request.path}` });
		let body: unknown;
		try {
			body = parseJsonBody(request.rawBody);
		} catch {
			return json(400, { message: 'control API bodies are JSON' });
		}
		try {
			return await route(request, body);
		} catch (error) {
			return json(400, { message: error instanceof Error ? error.message : String(error) });
		}
	};
}

function requestFilterFrom(query: Record<string, string>): RequestFilter {
	return {
		method: query.method,
		pathIncludes: query.pathIncludes,
		label: query.label,
		status: query.status === undefined ? undefined : Number(query.status),
		since: query.since === undefined ? undefined : Number(query.since),
	};
}

export interface SandboxServerOptions {
	port?: number;
	host?: string;
	/** The API itself: auth, limits, routing. Never sees control-API calls. */
	api: (request: ApiRequest) => Promise<ApiResponse>;
	control: (request: ApiRequest) => Promise<ApiResponse>;
	log: RequestLog;
	faults: FaultInjector;
	/**
	 * With the fault option `echoCredentials`: rewrites an error answer so it repeats the secrets
	 * of the request (and of the account), in the API's own error shape.
	 */
	echoCredentials?: (request: ApiRequest, response: ApiResponse) => ApiResponse;
}

/**
 * The request pipeline both sandboxes share: control routes bypass logging and faults; API calls
 * get latency, then either a fault (before or after processing) or the API's answer, and are logged.
 */
export async function startSandboxServer(options: SandboxServerOptions): Promise<RunningServer> {
	const { api, control, log, faults } = options;
	const echo = (request: ApiRequest, response: ApiResponse): ApiResponse =>
		response.status >= 400 && faults.get().echoCredentials && options.echoCredentials
			? options.echoCredentials(request, response)
			: response;
	return await startHttpServer(
		async (req, res) => {
			const request = await toApiRequest(req);
			if (request.path === CONTROL_PREFIX || request.path.startsWith(`${CONTROL_PREFIX}/`)) {
				sendApiResponse(res, await control(request));
				return;
			}
			const decision = faults.decide(request.method, request.path, request.rawBody.toString('utf8'));
			await faults.delay();
			const processed = !decision || decision.afterProcessing ? await api(request) : undefined;
			const entry: RequestLogEntry = {
				at: Date.now(),
				method: request.method,
				path: request.path,
				query: request.query,
				status: processed?.status ?? 0,
				label: processed?.label,
			};
			if (!decision) {
				log.add(entry);
				sendApiResponse(res, echo(request, processed as ApiResponse));
				return;
			}
			const processedFlag = processed ? { processed: true } : {};
			if (decision.kind === 'drop') {
				log.add({ ...entry, status: 0, fault: 'dropped', ...processedFlag });
				dropConnection(res);
				return;
			}
			log.add({ ...entry, status: decision.status, fault: 'injected', ...processedFlag });
			sendApiResponse(
				res,
				echo(
					request,
					decision.html === undefined
						? json(decision.status, decision.body)
						: { status: decision.status, bytes: Buffer.from(decision.html), headers: { 'Content-Type': 'text/html' } },
				),
			);
		},
		{ port: options.port, host: options.host },
	);
}
