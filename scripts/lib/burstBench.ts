/**
 * `npm run bench -- --parts=bursts`: how fast a real n8n answers a burst of LexOffice deliveries
 * (issue #15: every one 2xx within 1 s, also 300 in 2 s; LexOffice itself waits 5 s,
 * lexoffice-api.md §6.5). The LexOffice sandbox plays LexOffice: a contact created in it is
 * delivered to the published incremental-sync workflow with its own signature, timeout and
 * bookkeeping of every attempt, and the answer time of each first attempt is what is reported.
 * Both sandboxes enforce the published limits, so the executions behind the answers run at
 * LexOffice's pace, as they would for real. Measured with n8n's defaults, with lazy isolates and with
 * the legacy expression engine.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';

import axios from 'axios';

import { bundledWorkflow, pollUntil } from '../../test/harness';
import type { WebhookDelivery } from '../../test/sandbox/lexoffice';
import { startN8nWithCredentials, startSandboxes, type LexofficeSandbox } from './stack';
import type { Cell } from './table';

const SYNC_WORKFLOW = 'lexoffice-bitrix24-incremental-sync';

/**
 * The n8n settings the part measures, by name (BENCH_BURSTS_SETTINGS picks some, comma-separated).
 * n8n 2.41's default `vm` expression engine acquires an isolate for every webhook request of a
 * community trigger; lazy acquisition builds one only when an expression is evaluated, and the
 * LexOffice Trigger (version 1.1) evaluates none before it answers. The executions behind the
 * answers still build theirs, in the same process unless n8n runs in queue mode. The legacy
 * engine builds none. README "Bursts of events" says which to use where.
 */
export const BURST_SETTINGS: Record<string, Record<string, string>> = {
	'n8n defaults': {},
	'lazy isolates': { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' },
	'legacy engine': { N8N_EXPRESSION_ENGINE: 'legacy' },
};

/**
 * BENCH_BURSTS_ENV (`NAME=value;NAME=value`) adds n8n settings to every setting measured, e.g.
 * `DB_SQLITE_POOL_SIZE=8;EXECUTIONS_DATA_SAVE_ON_SUCCESS=none`; its text is added to the row's name.
 */
export function extraEnvOf(text: string | undefined): Record<string, string> {
	const env: Record<string, string> = {};
	for (const pair of (text ?? '').split(';').map((part) => part.trim())) {
		if (!pair) continue;
		const at = pair.indexOf('=');
		if (at <= 0) throw new Error(`BENCH_BURSTS_ENV takes NAME=value;NAME=value; got "${pair}"`);
		env[pair.slice(0, at)] = pair.slice(at + 1);
	}
	return env;
}

/** Time n8n's main thread ran or waited to run so far (ns; /proc schedstat), 0 where there is none. */
function demandNsOf(pid: number | undefined): number {
	if (pid === undefined) return 0;
	try {
		const [run, wait] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ').map(Number);
		return run + wait;
	} catch {
		return 0;
	}
}

/**
 * Resolves once n8n's main thread wants less than a fifth of a core for two seconds in a row (ran
 * or waited in the run queue: on a busy machine a starved n8n is not quiet), at most `maxMs` later.
 */
async function quiet(pid: number | undefined, maxMs: number): Promise<boolean> {
	const until = Date.now() + maxMs;
	let calm = 0;
	let last = demandNsOf(pid);
	while (Date.now() < until && calm < 2) {
		await delay(1_000);
		const now = demandNsOf(pid);
		calm = now - last < 200_000_000 ? calm + 1 : 0;
		last = now;
	}
	return calm >= 2;
}

/** n8n's CPU ms per delivery since `before`, once it is quiet; undefined if it never got quiet (busy machine). */
async function cpuPerDelivery(
	pid: number | undefined,
	before: number,
	deliveries: number,
): Promise<number | undefined> {
	if (!(await quiet(pid, 300_000))) return undefined;
	return Math.round((cpuMsOf(pid) - before) / deliveries);
}

/** n8n's own CPU time so far in ms (user + system, from /proc; 0 where there is none). */
function cpuMsOf(pid: number | undefined): number {
	if (pid === undefined) return 0;
	try {
		// Fields after the command name: utime and stime are the 12th and 13th (clock ticks, 100 per second).
		const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
		return (Number(fields[11]) + Number(fields[12])) * 10;
	} catch {
		return 0;
	}
}

export const BURSTS = [
	{ deliveries: 60, spreadMs: 0 },
	{ deliveries: 300, spreadMs: 2_000 },
] as const;

export interface BurstMeasure {
	settings: string;
	deliveries: number;
	spreadMs: number;
	/** First attempts answered 2xx, and of those within 1 s. */
	answered2xx: number;
	within1s: number;
	/** First attempts that timed out (LexOffice's 5 s) or were answered otherwise; LexOffice sends those again. */
	notAnswered: number;
	/** Answer times of the first attempts in ms (timeouts count as the timeout). */
	p50Ms: number;
	p90Ms: number;
	p99Ms: number;
	maxMs: number;
	/**
	 * n8n's CPU time (all its threads) from the first delivery until it is quiet again, per delivery
	 * (ms): the answers and the start of their executions, plus whatever paced executions ran meanwhile.
	 */
	cpuMsPerDelivery?: number;
	/** The machine's 1-minute load average when the burst started (other jobs share the CPU). */
	loadAverage?: number;
}

export interface BurstsResult {
	measures: BurstMeasure[];
}

export function percentile(sorted: number[], share: number): number {
	if (sorted.length === 0) return 0;
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))];
}

/** The first attempt of each delivery, as LexOffice saw it. Pure. */
export function measureOf(
	settings: string,
	deliveries: WebhookDelivery[],
	spreadMs: number,
	timeoutMs: number,
): BurstMeasure {
	const firsts = deliveries.map((delivery) => delivery.attempts[0]);
	const ok = firsts.filter((attempt) => attempt?.status !== undefined && attempt.status >= 200 && attempt.status < 300);
	const times = firsts
		.map((attempt) => (attempt ? Math.min(attempt.answeredAfterMs, timeoutMs) : timeoutMs))
		.sort((a, b) => a - b);
	return {
		settings,
		deliveries: deliveries.length,
		spreadMs,
		answered2xx: ok.length,
		within1s: ok.filter((attempt) => attempt.answeredAfterMs <= 1_000).length,
		notAnswered: deliveries.length - ok.length,
		p50Ms: percentile(times, 0.5),
		p90Ms: percentile(times, 0.9),
		p99Ms: percentile(times, 0.99),
		maxMs: times[times.length - 1] ?? 0,
	};
}

/** `count` new contacts in LexOffice, spread evenly over `spreadMs`: one contact.created delivery each. */
async function burst(
	lexoffice: LexofficeSandbox,
	count: number,
	spreadMs: number,
	label: string,
): Promise<WebhookDelivery[]> {
	const startedAt = Date.now();
	const ids = new Set<string>();
	for (let n = 0; n < count; n++) {
		const due = startedAt + (spreadMs * n) / count;
		if (due > Date.now()) await delay(due - Date.now());
		const contact = lexoffice.simulate.createContact({
			version: 0,
			roles: { customer: {} },
			person: { salutation: 'Frau', firstName: 'Erika', lastName: `Burst-${label}-${n}` },
		} as never);
		ids.add(contact.id);
	}
	await lexoffice.webhooks.flush({ timeoutMs: 120_000, pendingRetries: false });
	return lexoffice.webhooks.deliveries().filter((delivery) => ids.has(delivery.resourceId));
}

/**
 * The same deliveries sent again at the burst's pace (BENCH_BURSTS_REPLAY=1): the trigger answers
 * each "Duplicate delivery; ignored" after the same checks and starts no execution, so this is
 * n8n's webhook path and the trigger's checks alone, the floor of what one process can answer.
 */
async function replay(deliveries: WebhookDelivery[], spreadMs: number): Promise<WebhookDelivery[]> {
	const startedAt = Date.now();
	const answers: Array<Promise<WebhookDelivery>> = [];
	for (const [n, delivery] of deliveries.entries()) {
		const due = startedAt + (spreadMs * n) / deliveries.length;
		if (due > Date.now()) await delay(due - Date.now());
		const sentAt = Date.now();
		answers.push(
			axios
				.post(delivery.callbackUrl, delivery.body, {
					headers: { 'Content-Type': 'application/json', 'X-Lxo-Signature': delivery.signature },
					validateStatus: () => true,
					timeout: 5_000,
					proxy: false,
				})
				.then(
					(response) => ({ status: response.status }),
					(error: Error) => ({ status: undefined, error: error.message }),
				)
				.then((result) => ({
					...delivery,
					attempts: [
						{ at: sentAt, nominalDelayMs: 0, outcome: 'delivered', answeredAfterMs: Date.now() - sentAt, ...result },
					],
				})),
		);
	}
	return await Promise.all(answers);
}

/**
 * The workflow measured: the incremental sync as shipped, or (BENCH_BURSTS_WORKFLOW=trigger-only)
 * its LexOffice Trigger alone, which shows what n8n costs per delivery with the least workflow.
 * (n8n 2.41.1's new execution engine, the workflow setting `engineType: 'v2'`, is refused by its
 * public API: "Unrecognized key(s) in object: 'engineType'".)
 */
function workflowOf(variant: string | undefined) {
	const workflow = bundledWorkflow(SYNC_WORKFLOW);
	if (!variant || variant === 'sync') return workflow;
	if (variant !== 'trigger-only') throw new Error(`BENCH_BURSTS_WORKFLOW takes sync or trigger-only; got ${variant}`);
	const nodes = workflow.nodes.filter((node) => node.name === 'Contact created or changed');
	return { ...workflow, nodes, connections: {} };
}

async function measureWith(
	settings: string,
	env: Record<string, string>,
	bursts: ReadonlyArray<{ deliveries: number; spreadMs: number }>,
	variant: string | undefined,
	replayToo: boolean,
): Promise<BurstMeasure[]> {
	// Retries are not measured: scaled far out so they do not land inside a later burst.
	const sandboxes = await startSandboxes({ limits: 'published', contacts: 0, webhookTimeScale: 100 });
	try {
		const running = await startN8nWithCredentials(sandboxes.endpoints('standard'), 'bench-bursts', { env });
		try {
			const { id } = await running.n8n.importWorkflow(workflowOf(variant));
			await running.n8n.publish(id);
			await running.n8n.waitPublished(id);
			const measures: BurstMeasure[] = [];
			for (const [index, { deliveries, spreadMs }] of bursts.entries()) {
				console.log(`  ${settings}: ${deliveries} deliveries within ${spreadMs / 1000} s…`);
				const loadAverage = os.loadavg()[0];
				const cpuBefore = cpuMsOf(running.n8n.pid);
				const delivered = await burst(sandboxes.lexoffice, deliveries, spreadMs, `${deliveries}`);
				// The answers and the start of their executions; executions paced by LexOffice's limit run on.
				const cpuMsPerDelivery = await cpuPerDelivery(running.n8n.pid, cpuBefore, deliveries);
				measures.push({ ...measureOf(settings, delivered, spreadMs, 5_000), cpuMsPerDelivery, loadAverage });
				if (replayToo) {
					const replayLoad = os.loadavg()[0];
					const replayCpu = cpuMsOf(running.n8n.pid);
					const replayed = await replay(delivered, spreadMs);
					measures.push({
						...measureOf(`${settings}, replayed (no execution)`, replayed, spreadMs, 5_000),
						cpuMsPerDelivery: await cpuPerDelivery(running.n8n.pid, replayCpu, deliveries),
						loadAverage: replayLoad,
					});
				}
				if (index === bursts.length - 1 || variant === 'trigger-only') continue;
				// Let the executions behind this burst load their contacts (2 requests/s) before the next one.
				const loads = () => sandboxes.lexoffice.requests.count({ method: 'GET', pathIncludes: '/v1/contacts/' });
				const target = loads() + delivered.length;
				await pollUntil(async () => (loads() >= target ? true : undefined), {
					what: 'the executions of the burst to load their contacts',
					timeoutMs: (deliveries / 2 + 120) * 1_000,
					intervalMs: 2_000,
				}).catch(() => undefined);
			}
			return measures;
		} finally {
			await running.stop();
		}
	} finally {
		await sandboxes.close();
	}
}

/**
 * With BENCH_BURSTS_CPU_PROFILE=<dir>, n8n writes a V8 CPU profile of each run there when it stops
 * (shut down within 5 s, before the harness would kill it).
 */
function profiling(env: NodeJS.ProcessEnv): Record<string, string> {
	const dir = env.BENCH_BURSTS_CPU_PROFILE;
	return dir ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${dir}`, N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5' } : {};
}

export async function burstsPart(env: NodeJS.ProcessEnv = process.env): Promise<BurstsResult> {
	const names = (env.BENCH_BURSTS_SETTINGS ?? Object.keys(BURST_SETTINGS).join(','))
		.split(',')
		.map((name) => name.trim());
	const unknown = names.filter((name) => !(name in BURST_SETTINGS));
	if (unknown.length > 0)
		throw new Error(`BENCH_BURSTS_SETTINGS takes ${Object.keys(BURST_SETTINGS).join(', ')}; got ${unknown.join(', ')}`);
	const extra = extraEnvOf(env.BENCH_BURSTS_ENV);
	const sizes = (env.BENCH_BURSTS_SIZES ?? BURSTS.map((b) => b.deliveries).join(','))
		.split(',')
		.map((size) => BURSTS.find((b) => String(b.deliveries) === size.trim()));
	if (sizes.some((size) => size === undefined))
		throw new Error(`BENCH_BURSTS_SIZES takes ${BURSTS.map((b) => b.deliveries).join(', ')}`);
	const variant = env.BENCH_BURSTS_WORKFLOW || undefined;
	const suffix = [env.BENCH_BURSTS_ENV, variant].filter(Boolean).join(', ');
	const measures: BurstMeasure[] = [];
	for (const name of names)
		measures.push(
			...(await measureWith(
				suffix ? `${name} (${suffix})` : name,
				{ ...BURST_SETTINGS[name], ...extra, ...profiling(env) },
				sizes as Array<(typeof BURSTS)[number]>,
				variant,
				env.BENCH_BURSTS_REPLAY === '1',
			)),
		);
	return { measures };
}

export const BURSTS_HEADER = [
	'settings',
	'deliveries',
	'within (s)',
	'2xx at 1st attempt',
	'2xx within 1 s',
	'p50 (ms)',
	'p90 (ms)',
	'p99 (ms)',
	'max (ms)',
	'n8n CPU ms / delivery',
	'load avg',
];

export function burstsRows({ measures }: BurstsResult): Cell[][] {
	return measures.map((m) => [
		m.settings,
		m.deliveries,
		m.spreadMs / 1000,
		m.answered2xx,
		m.within1s,
		m.p50Ms,
		m.p90Ms,
		m.p99Ms,
		m.maxMs,
		m.cpuMsPerDelivery ?? '',
		m.loadAverage === undefined ? '' : m.loadAverage.toFixed(1),
	]);
}
