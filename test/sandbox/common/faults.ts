import { seededRandom, type Random } from './prng';

/**
 * A deterministic rule for tests: the next matching request(s) get this answer instead of the
 * normal one. `afterProcessing: true` means the request IS processed (state changes, webhooks fire)
 * and only then the client gets the fault, e.g. a 504 or a dropped connection after a POST that
 * succeeded — the case where a client must not blindly retry.
 */
export interface FailNextRule {
	method?: string;
	pathIncludes?: string;
	/** Default 500 (ignored with dropConnection). */
	status?: number;
	body?: unknown;
	dropConnection?: boolean;
	afterProcessing?: boolean;
	/** How many matching requests this rule answers (default 1). */
	times?: number;
}

export interface FaultOptions {
	/** Added before every API answer. */
	latencyMs?: number;
	/** Share of requests (0..1) answered with `errorStatus`/`errorBody` without processing them. */
	errorRate?: number;
	errorStatus?: number;
	errorBody?: unknown;
	/** Share of requests (0..1) whose connection is dropped without processing them. */
	dropRate?: number;
	failNext?: FailNextRule[];
	/** Seed for the random rates (default 1): the same seed fails the same requests. */
	seed?: number;
	/**
	 * A hostile or careless API: every error answer (the API's own and injected ones) repeats the
	 * credentials the request carried and the account's other secrets, as LexOffice's 403 for a
	 * malformed Authorization header repeats `Bearer <key>` (lexoffice-api.md §1.2).
	 */
	echoCredentials?: boolean;
}

export type FaultDecision =
	| { kind: 'respond'; status: number; body: unknown; afterProcessing: boolean }
	| { kind: 'drop'; afterProcessing: boolean };

/**
 * Decides, per request, whether a fault replaces the normal answer. Rules in `failNext` are
 * consumed in order; random rates draw from a seeded PRNG so a run is reproducible.
 */
export class FaultInjector {
	private options: FaultOptions = {};
	private rules: Array<FailNextRule & { remaining: number }> = [];
	private random: Random = seededRandom(1);

	/**
	 * @param defaultBody the API's own error body for a status (e.g. LexOffice's `{message}`),
	 * used when a rule or option does not give one.
	 */
	constructor(private readonly defaultBody: (status: number) => unknown = () => undefined) {}

	set(options: FaultOptions): void {
		this.options = { ...options };
		this.rules = (options.failNext ?? []).map((rule) => ({ ...rule, remaining: rule.times ?? 1 }));
		this.random = seededRandom(options.seed ?? 1);
	}

	/** Appends rules without resetting rates or other pending rules. */
	failNext(...rules: FailNextRule[]): void {
		this.rules.push(...rules.map((rule) => ({ ...rule, remaining: rule.times ?? 1 })));
	}

	/** Current options, with the rules that are still pending. */
	get(): FaultOptions {
		return {
			...this.options,
			failNext: this.rules.map(({ remaining, ...rule }) => ({ ...rule, times: remaining })),
		};
	}

	clear(): void {
		this.set({});
	}

	async delay(): Promise<void> {
		const ms = this.options.latencyMs ?? 0;
		if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
	}

	decide(method: string, path: string): FaultDecision | undefined {
		const ruleIndex = this.rules.findIndex(
			(rule) =>
				(rule.method === undefined || rule.method.toUpperCase() === method) &&
				(rule.pathIncludes === undefined || path.includes(rule.pathIncludes)),
		);
		if (ruleIndex >= 0) {
			const rule = this.rules[ruleIndex];
			rule.remaining -= 1;
			if (rule.remaining <= 0) this.rules.splice(ruleIndex, 1);
			const afterProcessing = rule.afterProcessing ?? false;
			if (rule.dropConnection) return { kind: 'drop', afterProcessing };
			const status = rule.status ?? 500;
			return { kind: 'respond', status, body: rule.body ?? this.defaultBody(status), afterProcessing };
		}
		// Both draws happen on every request so one rate does not shift the other's sequence.
		const dropDraw = this.random.next();
		const errorDraw = this.random.next();
		if (dropDraw < (this.options.dropRate ?? 0)) return { kind: 'drop', afterProcessing: false };
		if (errorDraw < (this.options.errorRate ?? 0)) {
			const status = this.options.errorStatus ?? 500;
			return {
				kind: 'respond',
				status,
				body: this.options.errorBody ?? this.defaultBody(status),
				afterProcessing: false,
			};
		}
		return undefined;
	}
}
