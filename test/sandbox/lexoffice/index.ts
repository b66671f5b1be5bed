import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';

import {
	FaultInjector,
	RequestLog,
	SandboxRateLimiter,
	seededRandom,
	startSandboxServer,
	type FaultOptions,
	type LimitSetting,
} from '../common';
import { createLexofficeApi } from './api';
import { resolveOptions, type LexofficeContext, type LexofficeSandboxOptions, type SeedRequest } from './context';
import { lexofficeControlApi } from './control';
import { seedState } from './seeding';
import { createSimulator, type Simulator } from './simulate';
import { defaultProfile, LexofficeState } from './state';
import { probeCallback } from './subscriptions';
import type { WebhookDelivery } from './types';
import { WebhookDispatcher, type FlushOptions } from './webhooks';

export type { LexofficeSandboxOptions, SeedRequest } from './context';
export type * from './types';
export { EVENT_TYPES } from './subscriptions';
export { RETRY_DELAYS_MS } from './webhooks';
export { LexofficeState } from './state';

/** lexoffice-api.md §2: "up to 2 requests per second", token bucket over all endpoints. */
export const PUBLISHED_LIMITS = { capacity: 2, refillPerSecond: 2 };

export interface LexofficeSandbox {
	/** e.g. 'http://127.0.0.1:PORT' — the credential's API host (paths /v1/...). */
	url: string;
	apiKey: string;
	/** The most results one search serves (10,000 like LexOffice unless started with less): the credential's Search Window. */
	searchWindow: number;
	/** SPKI PEM of the key webhooks are signed with. */
	publicKeyPem: string;
	organizationId: string;
	state: LexofficeState;
	/** Every API call (control-API calls excluded). */
	requests: RequestLog;
	setLimits(limits: LimitSetting): void;
	setFaults(faults: FaultOptions): void;
	faults: FaultInjector;
	simulate: Simulator;
	webhooks: {
		flush(options?: FlushOptions): Promise<void>;
		deliveries(): WebhookDelivery[];
		/** The body and signature the sandbox would send for this event (for negative tests). */
		signedPayload(eventType: string, resourceId: string, eventDate: string): { body: string; signature: string };
		/** Sends an event again, as a new delivery with its own event date (a duplicate, or one arriving out of order); the deliveries queued. */
		emit(eventType: string, resourceId: string): WebhookDelivery[];
		/** From the next attempt on: how long LexOffice waits for an answer (deliveryTimeoutMs) and the retry waits' scale (timeScale). */
		configure(settings: Partial<{ timeoutMs: number; timeScale: number }>): void;
	};
	/** Adds seed data (no webhooks). */
	seed(request: SeedRequest): { contacts: number; invoices: number };
	/** Back to the start state: empty, then the start seed (or `seed`); requests, faults, limits reset. */
	reset(seed?: SeedRequest | false): void;
	close(): Promise<void>;
}

/**
 * RSA key generation takes noticeable time on a busy machine, so it starts in the background when
 * this module loads and all sandboxes of one process share the key.
 */
const generatedKey = new Promise<KeyObject>((resolve, reject) =>
	generateKeyPair('rsa', { modulusLength: 2048 }, (error, _publicKey, key) => (error ? reject(error) : resolve(key))),
);

async function signingKeys(pem: string | undefined): Promise<{ privateKey: KeyObject; publicKeyPem: string }> {
	const privateKey = pem ? createPrivateKey(pem) : await generatedKey;
	const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
	return { privateKey, publicKeyPem };
}

export async function startLexofficeSandbox(options: LexofficeSandboxOptions = {}): Promise<LexofficeSandbox> {
	const resolved = resolveOptions(options);
	const { privateKey, publicKeyPem } = await signingKeys(options.signingKey);
	const state = new LexofficeState(defaultProfile(options.organizationId));
	const dispatcher = new WebhookDispatcher(state, privateKey, {
		timeScale: resolved.timeScale,
		timeoutMs: resolved.deliveryTimeoutMs,
	});
	const ctx: LexofficeContext = {
		state,
		options: resolved,
		emit: (eventType, resourceId) => void dispatcher.emit(eventType, resourceId),
		probeCallback: async (url) => await probeCallback(ctx, url),
		subscriptionDeleted: (id) => dispatcher.abandon(id),
	};
	const requests = new RequestLog();
	// Injected faults answer like the gateway (§7.2 shape 1).
	const gatewayMessages: Record<number, string> = { 429: 'Too Many Requests', 504: 'Endpoint request timed out' };
	// Random faults (FaultOptions.rate) answer 500 with the documented "… or rate limit exceeded"
	// text (§2, §7.2): the case that must never make a client repeat a POST.
	const randomFaultMessages: Record<number, string> = {
		500: 'Internal server error or rate limit exceeded',
		502: 'Bad Gateway',
		...gatewayMessages,
	};
	const faults = new FaultInjector(
		(status) => ({ message: gatewayMessages[status] ?? null }),
		(status) => ({ body: { message: randomFaultMessages[status] ?? null } }),
	);
	const limiter = new SandboxRateLimiter(PUBLISHED_LIMITS, options.limits ?? 'off', options.limiterClock);
	const initialLimits = limiter.get();
	const simulate = createSimulator(ctx);
	const startSeed = options.seed;

	const reset = (seed: SeedRequest | false = startSeed ?? false) => {
		dispatcher.cancelAll();
		state.clear();
		requests.clear();
		faults.set(options.faults ?? {});
		limiter.set(initialLimits);
		if (seed) seedState(state, seed);
	};
	reset();

	const webhooks = {
		flush: async (flushOptions?: FlushOptions) => await dispatcher.flush(flushOptions),
		deliveries: () => state.deliveries,
		signedPayload: (eventType: string, resourceId: string, eventDate: string) =>
			dispatcher.signedPayload(eventType, resourceId, eventDate),
		emit: (eventType: string, resourceId: string) => dispatcher.emit(eventType, resourceId),
		configure: (settings: Partial<{ timeoutMs: number; timeScale: number }>) => dispatcher.configure(settings),
	};
	const server = await startSandboxServer({
		port: options.port,
		host: options.host,
		api: createLexofficeApi(ctx, limiter, seededRandom(options.faults?.seed ?? 1)),
		control: lexofficeControlApi({ state, requests, faults, limiter, simulate, webhooks, publicKeyPem, reset }),
		log: requests,
		faults,
		// §1.2: the gateway's 403 repeats the Authorization header verbatim.
		echoCredentials: (request, response) => {
			const header = String(request.headers.authorization ?? `Bearer ${resolved.apiKey}`);
			const token = header.replace(/^Bearer\s+/i, '');
			const message = `'${token}' not a valid key=value pair (missing equal-sign) in Authorization header: '${header}'.`;
			const original =
				typeof response.json === 'object' && response.json !== null ? (response.json as Record<string, unknown>) : {};
			return { ...response, json: { ...original, message }, bytes: undefined };
		},
	});

	return {
		url: server.url,
		apiKey: resolved.apiKey,
		searchWindow: resolved.searchWindow,
		publicKeyPem,
		organizationId: state.organizationId,
		state,
		requests,
		setLimits: (limits) => limiter.set(limits),
		setFaults: (faultOptions) => faults.set(faultOptions),
		faults,
		simulate,
		webhooks,
		seed: (request) => seedState(state, request),
		reset,
		close: async () => {
			dispatcher.close();
			await server.close();
		},
	};
}
