/** Command line and environment of `npm run bench`. Pure. */

export const BENCH_PARTS = ['published', 'naive', 'unlimited', 'faults', 'optime', 'bursts'] as const;
export type BenchPart = (typeof BENCH_PARTS)[number];

export interface BenchOptions {
	/** LexOffice contacts to import (BENCH_CONTACTS, --contacts). */
	contacts: number;
	/** Records for the naive baseline, ≤ 250 (BENCH_NAIVE, --naive). */
	naiveRecords: number;
	parts: BenchPart[];
	/** Where the JSON goes (BENCH_OUT, --out). */
	out: string;
	/** Upper bound for one import run (BENCH_TIMEOUT_MINUTES, --timeout-minutes). */
	timeoutMinutes: number;
	/** Contacts for the faults part (BENCH_FAULT_CONTACTS, --fault-contacts). */
	faultContacts: number;
	/** Contacts for the operating-time part (BENCH_OPTIME_CONTACTS, --optime-contacts). */
	optimeContacts: number;
	/** Server time charged per Bitrix24 write in the operating-time part (BENCH_OPTIME_WRITE_MS, --optime-write-ms). */
	optimeWriteMs: number;
	/** Operating-time window in seconds, the limit scaled with it (480/600; BENCH_OPTIME_WINDOW, --optime-window). */
	optimeWindowSeconds: number;
}

export const BENCH_USAGE = `npm run bench -- [--contacts=10000] [--naive=50] [--parts=published,naive,unlimited] [--out=bench-results/latest.json] [--timeout-minutes=240]
  published  the initial import with the published rate limits on (wall time, requests, floor)
  naive      the one-request-per-record baseline through the HTTP Request node (needs published)
  unlimited  the initial import with the sandboxes' limits off (CPU per contact, peak RSS)
  faults     [--fault-contacts=2000] the import with 5 % random faults in both sandboxes, checked against a fault-free run
  optime     [--optime-contacts=10000 --optime-write-ms=50 --optime-window=600] the import meeting Bitrix24's operating-time limit
  bursts     answer times of 60 deliveries at once and 300 within 2 s to the incremental sync, per n8n setting
             (BENCH_BURSTS_SETTINGS: n8n defaults, lazy isolates, legacy engine; BENCH_BURSTS_CPU_PROFILE=<dir>: n8n CPU profiles;
             BENCH_BURSTS_ENV=NAME=value;…: more n8n settings; BENCH_BURSTS_SIZES=60,300; BENCH_BURSTS_WORKFLOW=sync|trigger-only;
             BENCH_BURSTS_REPLAY=1: the same deliveries again, answered as duplicates)
Environment: BENCH_CONTACTS, BENCH_NAIVE, BENCH_PARTS, BENCH_OUT, BENCH_TIMEOUT_MINUTES, BENCH_FAULT_CONTACTS,
BENCH_OPTIME_CONTACTS, BENCH_OPTIME_WRITE_MS, BENCH_OPTIME_WINDOW.`;

function positiveInteger(name: string, raw: string, max = Number.MAX_SAFE_INTEGER): number {
	const value = Number(raw);
	if (!Number.isInteger(value) || value < 1 || value > max)
		throw new Error(`${name} must be a whole number from 1 to ${max}, got '${raw}'`);
	return value;
}

export function parseBenchOptions(argv: string[], env: Record<string, string | undefined>): BenchOptions {
	const flags = new Map<string, string>();
	for (const arg of argv) {
		const match = /^--([a-z-]+)=(.*)$/.exec(arg);
		if (!match) throw new Error(`unknown argument '${arg}'\n${BENCH_USAGE}`);
		flags.set(match[1], match[2]);
	}
	const known = new Set([
		'contacts',
		'naive',
		'parts',
		'out',
		'timeout-minutes',
		'fault-contacts',
		'optime-contacts',
		'optime-write-ms',
		'optime-window',
	]);
	for (const flag of flags.keys()) if (!known.has(flag)) throw new Error(`unknown option --${flag}\n${BENCH_USAGE}`);
	const setting = (flag: string, variable: string, fallback: string) => flags.get(flag) ?? env[variable] ?? fallback;

	const parts = setting('parts', 'BENCH_PARTS', 'published,naive,unlimited')
		.split(',')
		.map((part) => part.trim())
		.filter(Boolean);
	const unknownParts = parts.filter((part) => !(BENCH_PARTS as readonly string[]).includes(part));
	if (unknownParts.length > 0 || parts.length === 0)
		throw new Error(`--parts takes ${BENCH_PARTS.join(', ')}; got '${parts.join(',')}'`);
	if (parts.includes('naive') && !parts.includes('published')) {
		throw new Error('the naive baseline runs against the published limits: add published to --parts');
	}
	return {
		contacts: positiveInteger('--contacts', setting('contacts', 'BENCH_CONTACTS', '10000')),
		// One LexOffice page holds at most 250 contacts (lexoffice-api.md, contacts paging).
		naiveRecords: positiveInteger('--naive', setting('naive', 'BENCH_NAIVE', '50'), 250),
		parts: BENCH_PARTS.filter((part) => parts.includes(part)),
		out: setting('out', 'BENCH_OUT', 'bench-results/latest.json'),
		timeoutMinutes: positiveInteger('--timeout-minutes', setting('timeout-minutes', 'BENCH_TIMEOUT_MINUTES', '240')),
		faultContacts: positiveInteger('--fault-contacts', setting('fault-contacts', 'BENCH_FAULT_CONTACTS', '2000')),
		optimeContacts: positiveInteger('--optime-contacts', setting('optime-contacts', 'BENCH_OPTIME_CONTACTS', '10000')),
		optimeWriteMs: positiveInteger('--optime-write-ms', setting('optime-write-ms', 'BENCH_OPTIME_WRITE_MS', '50')),
		optimeWindowSeconds: positiveInteger('--optime-window', setting('optime-window', 'BENCH_OPTIME_WINDOW', '600')),
	};
}
