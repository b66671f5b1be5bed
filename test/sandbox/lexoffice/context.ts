import type { ApiRequest, ApiResponse, FaultOptions, LimitSetting } from '../common';
import type { LexofficeState } from './state';

export interface LexofficeSandboxOptions {
	port?: number;
	host?: string;
	/** The one valid API key (default 'sandbox-api-key'); any other key → 401. */
	apiKey?: string;
	organizationId?: string;
	/** PEM private key to sign webhooks with; default: a fresh RSA key pair per sandbox. */
	signingKey?: string;
	/** Default 'off'; 'published' = 2 req/s token bucket (lexoffice-api.md §2). */
	limits?: LimitSetting;
	/** The rate limiter's clock (default real time): a test that stops it gets refusals however slow the machine. */
	limiterClock?: () => number;
	faults?: FaultOptions;
	/** Deterministic German seed data created at start. */
	seed?: SeedRequest;
	/**
	 * Share (0..1) of rate-limited calls answered `500 {"message":"Internal server error or rate limit
	 * exceeded"}` instead of 429 (newer captures of §2/§7.2). Default 0.
	 */
	rateLimitAs500Rate?: number;
	/** Multiplies webhook retry delays (§6.5): 0.001 turns 10 s into 10 ms. Default 1. */
	timeScale?: number;
	/** The voucherlist search window (§5); default 10 000, small values let tests hit it cheaply. */
	searchWindow?: number;
	/**
	 * The HEAD probe of a new subscription's callback URL (§6.1). Default: any HTTP answer passes
	 * (the documented TLS/connection check); strict: only 2xx passes, anything else → 406.
	 */
	strictProbe?: boolean;
	/**
	 * Callback URLs must be HTTPS (§6.1). Tests run without TLS, so by default plain http is
	 * accepted for loopback hosts; 'none' is the strict live behaviour, 'any' accepts all http.
	 */
	allowHttpCallbacks?: 'loopback' | 'any' | 'none';
	/** Read timeout of webhook deliveries and the HEAD probe (§6.5: 5 000 ms). */
	deliveryTimeoutMs?: number;
}

export interface SeedRequest {
	contacts?: number;
	invoices?: number;
	/** PRNG seed; the same seed gives the same data. Default 1. */
	seed?: number;
}

export type ResolvedOptions = Required<
	Pick<
		LexofficeSandboxOptions,
		| 'apiKey'
		| 'rateLimitAs500Rate'
		| 'timeScale'
		| 'searchWindow'
		| 'strictProbe'
		| 'allowHttpCallbacks'
		| 'deliveryTimeoutMs'
	>
>;

export function resolveOptions(options: LexofficeSandboxOptions): ResolvedOptions {
	return {
		apiKey: options.apiKey ?? 'sandbox-api-key',
		rateLimitAs500Rate: options.rateLimitAs500Rate ?? 0,
		timeScale: options.timeScale ?? 1,
		searchWindow: options.searchWindow ?? 10_000,
		strictProbe: options.strictProbe ?? false,
		allowHttpCallbacks: options.allowHttpCallbacks ?? 'loopback',
		deliveryTimeoutMs: options.deliveryTimeoutMs ?? 5_000,
	};
}

/** What every endpoint handler gets. */
export interface LexofficeContext {
	state: LexofficeState;
	options: ResolvedOptions;
	/** Queue a webhook event for every matching subscription (§6.3). */
	emit(eventType: string, resourceId: string): void;
	/** HEAD-probes a callback URL (§6.1); resolves to an error text when the probe fails. */
	probeCallback(url: string): Promise<string | undefined>;
	/** Stops pending deliveries of a deleted subscription. */
	subscriptionDeleted(subscriptionId: string): void;
}

export type Handler = (
	ctx: LexofficeContext,
	request: ApiRequest,
	params: string[],
	body: unknown,
) => ApiResponse | Promise<ApiResponse>;

export function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
