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
	/** Only requests whose raw body contains this text (e.g. a method inside a Bitrix24 batch). */
	bodyIncludes?: string;
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
	/**
	 * Share of requests (0..1) that meet a random network or gateway fault, one of `kinds`, either
	 * before the request reaches the API or after it was processed with its answer lost.
	 */
	rate?: number;
	/** What a random fault looks like (default all: 500, 502, 503, 504 and a reset connection). */
	kinds?: RandomFaultKind[];
	/** Share (0..1) of random faults that strike after the request was processed (default 0.5). */
	afterProcessingShare?: number;
	/** Seed for the random rates (default 1): the same seed fails the same requests. */
	seed?: number;
	/**
	 * A hostile or careless API: every error answer (the API's own and injected ones) repeats the
	 * credentials the request carried and the account's other secrets, as LexOffice's 403 for a
	 * malformed Authorization header repeats `Bearer <key>` (lexoffice-api.md §1.2).
	 */
	echoCredentials?: boolean;
}

export type RandomFaultKind = 500 | 502 | 503 | 504 | 'reset';
export const RANDOM_FAULT_KINDS: readonly RandomFaultKind[] = [500, 502, 503, 504, 'reset'];

/** What `rate` injected so far (reset by `set`), e.g. for a benchmark's table. */
export interface FaultStats {
	injected: number;
	beforeProcessing: number;
	afterProcessing: number;
	byKind: Record<string, number>;
}

/** An answer a gateway in front of the API gives (an HTML page, not the API's JSON). */
export interface GatewayAnswer {
	body?: unknown;
	html?: string;
}

export type FaultDecision =
	| { kind: 'respond'; status: number; body: unknown; html?: string; afterProcessing: boolean }
	| { kind: 'drop'; afterProcessing: boolean };

/**
 * Decides, per request, whether a fault replaces the normal answer. Rules in `failNext` are
 * consumed in order; random rates draw from a seeded PRNG so a run is reproducible.
 */
export class FaultInjector {
	private options: FaultOptions = {};
	private rules: Array<FailNextRule & { remaining: number }> = [];
	private random: Random = seededRandom(1);
	private randomFaults: Random = seededRandom(1);
	private counts: FaultStats = emptyStats();

	/**
	 * @param defaultBody the API's own error body for a status (e.g. LexOffice's `{message}`),
	 * used when a rule or option does not give one.
	 * @param gatewayAnswer what a random fault of `rate` answers with that status: the API's own
	 * body only where the API itself sends it (a 503 from Bitrix24's gateway is not its
	 * QUERY_LIMIT_EXCEEDED refusal, which would tell a client the call was not performed).
	 */
	constructor(
		private readonly defaultBody: (status: number) => unknown = () => undefined,
		private readonly gatewayAnswer: (status: number) => GatewayAnswer = (status) => ({ body: defaultBody(status) }),
	) {}

	set(options: FaultOptions): void {
		const rate = options.rate ?? 0;
		const share = options.afterProcessingShare ?? 0.5;
		if (!(rate >= 0 && rate <= 1) || !(share >= 0 && share <= 1))
			throw new Error('fault rate and afterProcessingShare are shares between 0 and 1');
		const unknownKind = (options.kinds ?? []).find((kind) => !RANDOM_FAULT_KINDS.includes(kind));
		if (unknownKind !== undefined)
			throw new Error(`unknown fault kind ${JSON.stringify(unknownKind)} (use ${RANDOM_FAULT_KINDS.join(', ')})`);
		this.options = { ...options };
		this.rules = (options.failNext ?? []).map((rule) => ({ ...rule, remaining: rule.times ?? 1 }));
		this.random = seededRandom(options.seed ?? 1);
		// A stream of its own, so adding `rate` does not shift which requests the older rates fail.
		this.randomFaults = seededRandom(((options.seed ?? 1) ^ 0x5eed) >>> 0);
		this.counts = emptyStats();
	}

	/** What `rate` injected since the last `set`. */
	stats(): FaultStats {
		return { ...this.counts, byKind: { ...this.counts.byKind } };
	}

	/** Appends rules without resetting rates or other pending rules. */
	failNext(...rules: FailNextRule[]): void {
		this.rules.push(...rules.map((rule) => ({ ...rule, remaining: rule.times ?? 1 })));
	}

	/** Current options, with the rules that are still pending. */
	get(): FaultOptions & { stats: FaultStats } {
		return {
			...this.options,
			failNext: this.rules.map(({ remaining, ...rule }) => ({ ...rule, times: remaining })),
			stats: this.stats(),
		};
	}

	clear(): void {
		this.set({});
	}

	async delay(): Promise<void> {
		const ms = this.options.latencyMs ?? 0;
		if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
	}

	decide(method: string, path: string, body = ''): FaultDecision | undefined {
		const ruleIndex = this.rules.findIndex(
			(rule) =>
				(rule.method === undefined || rule.method.toUpperCase() === method) &&
				(rule.pathIncludes === undefined || path.includes(rule.pathIncludes)) &&
				(rule.bodyIncludes === undefined || body.includes(rule.bodyIncludes)),
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
		const random = this.randomFault();
		if (random) return random;
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

	/** Three draws on every request (fault?, which kind, before or after), so runs are reproducible. */
	private randomFault(): FaultDecision | undefined {
		const [faultDraw, kindDraw, timingDraw] = [
			this.randomFaults.next(),
			this.randomFaults.next(),
			this.randomFaults.next(),
		];
		if (faultDraw >= (this.options.rate ?? 0)) return undefined;
		const kinds = this.options.kinds?.length ? this.options.kinds : RANDOM_FAULT_KINDS;
		const kind = kinds[Math.floor(kindDraw * kinds.length)];
		const afterProcessing = timingDraw < (this.options.afterProcessingShare ?? 0.5);
		this.counts.injected += 1;
		this.counts[afterProcessing ? 'afterProcessing' : 'beforeProcessing'] += 1;
		this.counts.byKind[String(kind)] = (this.counts.byKind[String(kind)] ?? 0) + 1;
		if (kind === 'reset') return { kind: 'drop', afterProcessing };
		const answer = this.gatewayAnswer(kind);
		return { kind: 'respond', status: kind, body: answer.body, html: answer.html, afterProcessing };
	}
}

function emptyStats(): FaultStats {
	return { injected: 0, beforeProcessing: 0, afterProcessing: 0, byKind: {} };
}
