import {
	json,
	mountControlApi,
	type ApiRequest,
	type ApiResponse,
	type ControlRoute,
	type FaultInjector,
	type RequestLog,
	type SandboxRateLimiter,
} from '../common';
import { isObject, type SeedRequest } from './context';
import { seedState } from './seeding';
import { SimulationError, type Simulator } from './simulate';
import type { LexofficeState } from './state';
import type { FlushOptions } from './webhooks';

/** Parameter names of each simulate action, so other processes can call them with a JSON object. */
const SIMULATE_PARAMETERS: Record<keyof Simulator, string[]> = {
	createContact: ['data'],
	changeContact: ['id', 'patch'],
	archiveContact: ['id', 'archived'],
	deleteContact: ['id'],
	createInvoice: ['data', 'options'],
	changeInvoice: ['id', 'patch'],
	finalizeInvoice: ['id'],
	payInvoice: ['id', 'amount'],
	voidInvoice: ['id'],
	revertInvoiceToDraft: ['id'],
	deleteInvoice: ['id'],
};

/**
 * `/_sandbox/*` for other processes (a real n8n, `npm start`): the shared routes plus
 *   GET public-key · GET contacts · GET invoices · GET subscriptions · GET webhooks/deliveries ·
 *   POST webhooks/flush {timeoutMs?, pendingRetries?} ·
 *   POST simulate/<action> with `{args: [...]}` or named parameters, e.g. `{"id": "…", "amount": 10}`.
 */
export function lexofficeControlApi(parts: {
	state: LexofficeState;
	requests: RequestLog;
	faults: FaultInjector;
	limiter: SandboxRateLimiter;
	simulate: Simulator;
	webhooks: { flush(options?: FlushOptions): Promise<void> };
	publicKeyPem: string;
	reset(seed?: SeedRequest | false): void;
}): (request: ApiRequest) => Promise<ApiResponse> {
	const { state, simulate } = parts;
	const routes: Record<string, ControlRoute> = {
		'GET /public-key': () => json(200, { publicKeyPem: parts.publicKeyPem, organizationId: state.organizationId }),
		'GET /contacts': () => json(200, [...state.contacts.values()]),
		'GET /invoices': () => json(200, [...state.invoices.values()]),
		'GET /subscriptions': () => json(200, [...state.subscriptions.values()]),
		'GET /webhooks/deliveries': () => json(200, state.deliveries),
		'POST /webhooks/flush': async (_request, body) => {
			await parts.webhooks.flush(isObject(body) ? (body as FlushOptions) : {});
			return json(200, state.deliveries);
		},
	};
	for (const [action, parameters] of Object.entries(SIMULATE_PARAMETERS)) {
		routes[`POST /simulate/${action}`] = (_request, body) => {
			const named = isObject(body) ? body : {};
			const args = Array.isArray(named.args) ? named.args : parameters.map((name) => named[name]);
			try {
				const result = (simulate[action as keyof Simulator] as (...a: unknown[]) => unknown)(...args);
				return json(200, result ?? { ok: true });
			} catch (error) {
				if (error instanceof SimulationError) return json(error.status, { message: error.message });
				throw error;
			}
		};
	}
	return mountControlApi(
		{
			state: () => state.summary(),
			reset: (body) => parts.reset(isObject(body) && 'seed' in body ? (body.seed as SeedRequest | false) : undefined),
			seed: (body) => seedState(state, (isObject(body) ? body : {}) as SeedRequest),
			limits: parts.limiter,
			routes,
		},
		{ log: parts.requests, faults: parts.faults },
	);
}
