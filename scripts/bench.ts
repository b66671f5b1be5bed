/**
 * `npm run bench`: the bundled contacts workflow's import ("Start import") in a real n8n against the sandboxes.
 *
 * 1. published: N seeded LexOffice contacts, both sandboxes enforcing the published limits.
 *    Wall time (n8n's execution stamps), requests per API (the sandboxes' logs), the floor those
 *    limits imply for that many requests (scripts/lib/floor.ts), wall/floor.
 * 2. naive: on the same n8n and sandboxes, a one-request-per-record import of a few records
 *    through the HTTP Request node (scripts/lib/naiveImport.ts); its time per record against the
 *    import's is the speed-up.
 * 3. unlimited: a fresh n8n and sandboxes with the limits off: n8n's CPU time per contact and peak
 *    RSS (its process group in /proc).
 * 4. faults: the import under 5 % random faults in both sandboxes, checked against a fault-free run
 *    and followed by a second run that must write nothing (scripts/lib/faultBench.ts).
 * 5. optime: the import against a Bitrix24 sandbox charging server time per write, so it meets
 *    OPERATION_TIME_LIMIT and has to wait for the window.
 * 6. bursts: answer times of bursts of LexOffice deliveries to the incremental sync
 *    (scripts/lib/burstBench.ts).
 * Every number printed is measured or computed from measured numbers and documented limits.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { PLAN_LIMITS } from '../nodes/Bitrix24/transport/limits';
import { bundledWorkflow, REPO_ROOT } from '../test/harness';
import { PUBLISHED_LIMITS as LEXOFFICE_LIMITS } from '../test/sandbox/lexoffice';
import { BENCH_USAGE, parseBenchOptions, type BenchOptions } from './lib/benchOptions';
import { bucketFloorSeconds, combinedFloorSeconds, minimalImportRequests, operatingBreakEvenMs } from './lib/floor';
import {
	FAULT_RATE,
	faultsPart,
	faultsRows,
	optimePart,
	optimeRows,
	type FaultsResult,
	type OptimeResult,
} from './lib/faultBench';
import { importStatistics, runManually, type ImportStatistics } from './lib/manualRun';
import { NAIVE_HEADER_CREDENTIAL, NAIVE_TRIGGER, naiveImportWorkflow } from './lib/naiveImport';
import { ProcessTreeSampler } from './lib/processTree';
import { BURSTS_HEADER, burstsPart, burstsRows, type BurstsResult } from './lib/burstBench';
import { bitrix24MethodOf, busiestMethod, requestStats, type RequestStats } from './lib/requestStats';
import {
	startN8nWithCredentials,
	startSandboxes,
	type Bitrix24Plan,
	type RunningN8n,
	type Sandboxes,
} from './lib/stack';
import { formatNumber, formatTable, type Cell } from './lib/table';
import { CONTACTS_WORKFLOW, manualTriggerName } from './lib/workflows';

const N8N_VERSION = '2.41.1';

interface ImportResult {
	contacts: number;
	wallSeconds: number;
	statistics: ImportStatistics | undefined;
	bitrix24Records: { contacts: number; companies: number; requisites: number; addresses: number };
	lexoffice: Omit<RequestStats, 'span' | 'callsByMethod'>;
	bitrix24: Omit<RequestStats, 'span'>;
	n8nCpuSeconds: number;
	n8nCpuMsPerContact: number;
	/** n8n's process group just before the run, and its peak during it. */
	n8nRssBeforeMb: number;
	n8nPeakRssMb: number;
	n8nProcesses: number;
}

interface RawStats {
	lexoffice: RequestStats;
	bitrix24: RequestStats;
}

interface FloorResult {
	lexofficeSeconds: number;
	bitrix24Seconds: number;
	/** Sum when all LexOffice calls came before all Bitrix24 calls, else the larger one. */
	combinedSeconds: number;
	sequential: boolean;
	/** Undefined when the floor is 0 (every request fit in the bursts). */
	wallOverFloor: number | undefined;
	/** The fewest requests this import could have needed (floor.ts), and the floor they imply. */
	minimalRequests: { lexoffice: number; bitrix24: number };
	minimalFloorSeconds: number;
	wallOverMinimalFloor: number | undefined;
	/** bitrix24-api.md §3.2 break-even for the busiest method (see floor.ts). */
	operatingTime?: { method: string; calls: number; breakEvenMsPerCall: number | undefined };
}

interface NaiveResult {
	records: number;
	wallSeconds: number;
	secondsPerRecord: number;
	lexofficeRequests: number;
	bitrix24Requests: number;
	refused: number;
	bitrix24ContactsCreated: number;
	/** naive s/record ÷ published import s/record, both measured in this run. */
	speedUp: number;
	/** secondsPerRecord × N, for the table only: an extrapolation, labelled as such. */
	extrapolatedSecondsForN: number;
}

async function withStack<T>(
	limits: 'published' | 'off',
	contacts: number,
	plan: Bitrix24Plan,
	work: (sandboxes: Sandboxes, running: RunningN8n) => Promise<T>,
): Promise<T> {
	const sandboxes = await startSandboxes({ limits, contacts });
	try {
		const running = await startN8nWithCredentials(sandboxes.endpoints(plan), 'bench');
		try {
			return await work(sandboxes, running);
		} finally {
			await running.n8n.stop();
		}
	} finally {
		await sandboxes.close();
	}
}

async function measuredImport(
	options: BenchOptions,
	sandboxes: Sandboxes,
	{ n8n, apiKey }: RunningN8n,
): Promise<{ result: ImportResult; raw: RawStats }> {
	const workflow = bundledWorkflow(CONTACTS_WORKFLOW);
	const trigger = manualTriggerName(workflow);
	if (!trigger) throw new Error(`${CONTACTS_WORKFLOW} has no manual trigger`);
	const { id } = await n8n.importWorkflow(workflow);
	sandboxes.lexoffice.requests.clear();
	sandboxes.bitrix24.requests.clear();
	if (n8n.pid === undefined) throw new Error('n8n has no pid');
	const sampler = new ProcessTreeSampler(n8n.pid);
	sampler.start();
	const run = await runManually(n8n, apiKey, id, trigger, { timeoutMs: options.timeoutMinutes * 60_000 }).catch(
		(error: unknown) => {
			sampler.stop();
			throw error;
		},
	);
	const usage = sampler.stop();
	if (run.error || run.execution.status !== 'success') {
		throw new Error(`the import ended ${run.execution.status}: ${run.error ?? 'no error message'}`);
	}
	const lexoffice = requestStats(sandboxes.lexoffice.requests.entries);
	const bitrix24 = requestStats(sandboxes.bitrix24.requests.calls(), bitrix24MethodOf);
	const { state } = sandboxes.bitrix24;
	const result: ImportResult = {
		contacts: options.contacts,
		wallSeconds: run.wallSeconds,
		statistics: importStatistics(run.execution),
		bitrix24Records: {
			contacts: state.contacts.length,
			companies: state.companies.length,
			requisites: state.requisites.length,
			addresses: state.addresses.length,
		},
		lexoffice: { sent: lexoffice.sent, refused: lexoffice.refused, accepted: lexoffice.accepted },
		bitrix24: {
			sent: bitrix24.sent,
			refused: bitrix24.refused,
			accepted: bitrix24.accepted,
			callsByMethod: bitrix24.callsByMethod,
		},
		n8nCpuSeconds: usage.cpuSeconds,
		n8nCpuMsPerContact: (usage.cpuSeconds * 1000) / options.contacts,
		n8nRssBeforeMb: usage.startRssBytes / 2 ** 20,
		n8nPeakRssMb: usage.peakRssBytes / 2 ** 20,
		n8nProcesses: usage.maxProcesses,
	};
	return { result, raw: { lexoffice, bitrix24 } };
}

function floorOf(result: ImportResult, raw: RawStats): FloorResult {
	const lexofficeSeconds = bucketFloorSeconds(raw.lexoffice.accepted, {
		capacity: LEXOFFICE_LIMITS.capacity,
		perSecond: LEXOFFICE_LIMITS.refillPerSecond,
	});
	const { capacity, drainPerSecond } = PLAN_LIMITS.standard;
	const bitrix24Seconds = bucketFloorSeconds(raw.bitrix24.accepted, { capacity, perSecond: drainPerSecond });
	const combined = combinedFloorSeconds(
		{ floorSeconds: lexofficeSeconds, span: raw.lexoffice.span },
		{ floorSeconds: bitrix24Seconds, span: raw.bitrix24.span },
	);
	const busiest = busiestMethod(raw.bitrix24);
	const records = result.bitrix24Records;
	const minimalRequests = minimalImportRequests(
		result.contacts,
		records.contacts + records.companies + records.requisites + records.addresses,
	);
	const minimalFloorSeconds =
		bucketFloorSeconds(minimalRequests.lexoffice, {
			capacity: LEXOFFICE_LIMITS.capacity,
			perSecond: LEXOFFICE_LIMITS.refillPerSecond,
		}) + bucketFloorSeconds(minimalRequests.bitrix24, { capacity, perSecond: drainPerSecond });
	return {
		minimalRequests,
		minimalFloorSeconds,
		wallOverMinimalFloor: minimalFloorSeconds > 0 ? result.wallSeconds / minimalFloorSeconds : undefined,
		lexofficeSeconds,
		bitrix24Seconds,
		combinedSeconds: combined.floorSeconds,
		sequential: combined.sequential,
		wallOverFloor: combined.floorSeconds > 0 ? result.wallSeconds / combined.floorSeconds : undefined,
		operatingTime: busiest && {
			...busiest,
			breakEvenMsPerCall: operatingBreakEvenMs(busiest.calls, result.wallSeconds),
		},
	};
}

async function naiveRun(
	options: BenchOptions,
	sandboxes: Sandboxes,
	{ n8n, apiKey }: RunningN8n,
	importSecondsPerRecord: number,
): Promise<NaiveResult> {
	await n8n.createCredential(NAIVE_HEADER_CREDENTIAL, 'httpHeaderAuth', {
		name: 'Authorization',
		value: `Bearer ${sandboxes.lexoffice.apiKey}`,
	});
	const records = Math.min(options.naiveRecords, options.contacts);
	const { id } = await n8n.importWorkflow(
		naiveImportWorkflow({
			lexofficeHost: sandboxes.lexoffice.url,
			bitrix24WebhookUrl: sandboxes.bitrix24.webhookUrl,
			records,
		}),
	);
	// Let both buckets refill after the import, so the baseline starts as idle as the import did.
	await new Promise((resolve) => setTimeout(resolve, 30_000));
	sandboxes.lexoffice.requests.clear();
	sandboxes.bitrix24.requests.clear();
	const contactsBefore = sandboxes.bitrix24.state.contacts.length;
	const run = await runManually(n8n, apiKey, id, NAIVE_TRIGGER, { timeoutMs: options.timeoutMinutes * 60_000 });
	if (run.error) throw new Error(`the naive import failed: ${run.error}`);
	const lexoffice = requestStats(sandboxes.lexoffice.requests.entries);
	const bitrix24 = requestStats(sandboxes.bitrix24.requests.calls());
	const secondsPerRecord = run.wallSeconds / records;
	return {
		records,
		wallSeconds: run.wallSeconds,
		secondsPerRecord,
		lexofficeRequests: lexoffice.sent,
		bitrix24Requests: bitrix24.sent,
		refused: lexoffice.refused + bitrix24.refused,
		bitrix24ContactsCreated: sandboxes.bitrix24.state.contacts.length - contactsBefore,
		speedUp: secondsPerRecord / importSecondsPerRecord,
		extrapolatedSecondsForN: secondsPerRecord * options.contacts,
	};
}

function machine() {
	const cpus = os.cpus();
	return {
		cpu: cpus[0]?.model ?? 'unknown',
		cores: cpus.length,
		memoryGb: Math.round(os.totalmem() / 2 ** 30),
		platform: `${os.platform()} ${os.release()}`,
		// Other work on the machine slows n8n down; the 1-minute load at the start says how busy it was.
		loadAverageAtStart: os.loadavg()[0],
		n8n: N8N_VERSION,
	};
}

const requestsCell = (stats: { sent: number; refused: number }) =>
	`${formatNumber(stats.sent)} (${formatNumber(stats.refused)} refused)`;

function report(
	options: BenchOptions,
	published?: ImportResult & { floor: FloorResult },
	unlimited?: ImportResult,
	naive?: NaiveResult,
): string {
	const sections: string[] = [];
	const columns: Array<[string, ImportResult | undefined]> = [
		['published limits', published],
		['limits off', unlimited],
	];
	const shown = columns.filter(([, result]) => result);
	const row = (label: string, cell: (result: ImportResult) => Cell): Cell[] => [
		label,
		...shown.map(([, result]) => cell(result as ImportResult)),
	];
	const rows: Cell[][] = [
		row('LexOffice contacts', (r) => r.contacts),
		row('wall time (s)', (r) => r.wallSeconds),
		row('LexOffice requests', (r) => requestsCell(r.lexoffice)),
		row('Bitrix24 requests', (r) => requestsCell(r.bitrix24)),
		row('Bitrix24 calls incl. batch sub-calls', (r) =>
			Object.entries(r.bitrix24.callsByMethod).reduce(
				(sum, [method, calls]) => (method === 'batch' ? sum : sum + calls),
				0,
			),
		),
		row('n8n CPU (s)', (r) => r.n8nCpuSeconds),
		row('n8n CPU per contact (ms)', (r) => r.n8nCpuMsPerContact),
		row('n8n RSS before the run (MB)', (r) => Math.round(r.n8nRssBeforeMb)),
		row('n8n peak RSS (MB)', (r) => Math.round(r.n8nPeakRssMb)),
		row('failures reported', (r) => r.statistics?.failures.length),
	];
	if (published) {
		const floorRows: Cell[][] = [
			['floor LexOffice (s)', published.floor.lexofficeSeconds],
			['floor Bitrix24 (s)', published.floor.bitrix24Seconds],
			[
				`floor combined (s, ${published.floor.sequential ? 'sum: APIs called one after the other' : 'max: calls overlapped'})`,
				published.floor.combinedSeconds,
			],
			['wall / floor', published.floor.wallOverFloor],
			[
				'minimal requests LexOffice / Bitrix24',
				`${published.floor.minimalRequests.lexoffice} / ${published.floor.minimalRequests.bitrix24}`,
			],
			['floor for the minimal requests (s)', published.floor.minimalFloorSeconds],
			['wall / minimal floor', published.floor.wallOverMinimalFloor],
		];
		rows.push(...floorRows.map(([label, value]) => [label, value, ...(unlimited ? [undefined] : [])]));
	}
	sections.push(
		`Import through n8n ${N8N_VERSION} (workflows/${CONTACTS_WORKFLOW}.json, "Start import")`,
		formatTable(['', ...shown.map(([label]) => label)], rows),
	);
	if (published && published.floor.combinedSeconds === 0) {
		sections.push(
			'Every request fit in the published bursts (LexOffice 2, Bitrix24 50), so the floor is 0 and this run says nothing about sustained speed: use more contacts.',
		);
	}
	if (unlimited) {
		sections.push(
			"Limits off: the sandboxes refuse nothing, but the nodes still pace to the credential's plan (Enterprise: burst 250, then 5 req/s), so that wall time is no speed claim; its CPU and RSS are the point.",
		);
	}
	const operating = published?.floor.operatingTime;
	if (operating?.breakEvenMsPerCall !== undefined) {
		sections.push(
			`Bitrix24 operating-time limit (§3.2, 480 s per method per 10 min): the busiest method, ${operating.method} (${formatNumber(operating.calls)} calls),` +
				` would reach it at the measured pace only above ${formatNumber(operating.breakEvenMsPerCall, 1)} ms of server time per call.`,
		);
	}
	if (naive) {
		sections.push(
			'',
			`Naive baseline: HTTP Request node, one LexOffice GET + one crm.contact.add per record, paced at 2 req/s per API`,
			formatTable(
				['', 'value'],
				[
					['records', naive.records],
					['wall time (s)', naive.wallSeconds],
					[
						'requests (LexOffice / Bitrix24)',
						`${naive.lexofficeRequests} / ${naive.bitrix24Requests} (${naive.refused} refused)`,
					],
					['Bitrix24 contacts created', naive.bitrix24ContactsCreated],
					['s per record', naive.secondsPerRecord],
					[`extrapolated to ${formatNumber(options.contacts)} contacts (s)`, naive.extrapolatedSecondsForN],
					['speed-up of the import (naive s/record ÷ import s/record)', naive.speedUp],
				],
			),
		);
	}
	return sections.join('\n');
}

async function main(): Promise<void> {
	let options: BenchOptions;
	try {
		options = parseBenchOptions(process.argv.slice(2), process.env);
	} catch (error) {
		console.error((error as Error).message);
		process.exitCode = 2;
		return;
	}
	if (process.platform !== 'linux')
		console.warn('CPU and RSS come from /proc: on this platform the unlimited part will fail.');
	const speedParts = options.parts.some((part) => part === 'published' || part === 'unlimited');
	console.log(
		`bench: ${options.parts.join(', ')}${speedParts ? `; ${options.contacts} contacts` : ''}${options.parts.includes('naive') ? `, naive ${options.naiveRecords}` : ''}`,
	);
	const startedAt = new Date().toISOString();
	const machineInfo = machine();
	let published: (ImportResult & { floor: FloorResult }) | undefined;
	let naive: NaiveResult | undefined;
	let unlimited: ImportResult | undefined;

	if (options.parts.includes('published')) {
		console.log('published limits: starting sandboxes and n8n, then the import (this is the slow part)…');
		await withStack('published', options.contacts, 'standard', async (sandboxes, running) => {
			const { result, raw } = await measuredImport(options, sandboxes, running);
			published = { ...result, floor: floorOf(result, raw) };
			console.log(`  import done in ${formatNumber(result.wallSeconds, 1)} s`);
			if (options.parts.includes('naive')) {
				console.log(`naive baseline: ${options.naiveRecords} records…`);
				naive = await naiveRun(options, sandboxes, running, result.wallSeconds / options.contacts);
			}
		});
	}
	if (options.parts.includes('unlimited')) {
		// The nodes still pace themselves to the credential's plan; Enterprise is the fastest one.
		console.log('limits off: fresh sandboxes and n8n, Bitrix24 credential on the Enterprise plan…');
		await withStack('off', options.contacts, 'enterprise', async (sandboxes, running) => {
			unlimited = (await measuredImport(options, sandboxes, running)).result;
		});
	}

	let faults: FaultsResult | undefined;
	let optime: OptimeResult | undefined;
	if (options.parts.includes('faults')) {
		console.log(
			`faults: ${options.faultContacts} contacts, a fault-free run, a run under ${FAULT_RATE * 100} % faults, a second run…`,
		);
		faults = await faultsPart(options);
	}
	if (options.parts.includes('optime')) {
		console.log(
			`optime: ${options.optimeContacts} contacts, ${options.optimeWriteMs} ms per write, window ${options.optimeWindowSeconds} s…`,
		);
		optime = await optimePart(options);
	}

	let bursts: BurstsResult | undefined;
	if (options.parts.includes('bursts')) {
		console.log('bursts: LexOffice deliveries to the published incremental sync, per n8n setting…');
		bursts = await burstsPart();
	}

	if (published || unlimited || naive) console.log(`\n${report(options, published, unlimited, naive)}`);
	if (faults) console.log(`\nImport under faults\n${formatTable(['', 'value'], faultsRows(faults))}`);
	if (optime)
		console.log(`\nImport meeting Bitrix24's operating-time limit\n${formatTable(['', 'value'], optimeRows(optime))}`);
	if (bursts)
		console.log(
			`\nAnswers to bursts of LexOffice deliveries (first attempts; LexOffice waits 5 s)\n${formatTable(BURSTS_HEADER, burstsRows(bursts))}`,
		);
	const out = path.resolve(REPO_ROOT, options.out);
	mkdirSync(path.dirname(out), { recursive: true });
	writeFileSync(
		out,
		`${JSON.stringify({ startedAt, machine: machineInfo, options, published, naive, unlimited, faults, optime, bursts }, null, '\t')}\n`,
	);
	console.log(
		`\nMachine: ${machineInfo.cpu}, ${machineInfo.cores} cores, ${machineInfo.memoryGb} GB; load ${machineInfo.loadAverageAtStart.toFixed(2)} at start.\nJSON: ${out}`,
	);
}

main().catch((error: unknown) => {
	console.error(error);
	console.error(`\n${BENCH_USAGE}`);
	process.exitCode = 1;
});
