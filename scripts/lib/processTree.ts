/**
 * CPU time and resident memory of n8n and everything it spawned (task runners), read from /proc.
 * The harness starts n8n as the leader of its own process group, so "the tree" is that group.
 * Linux only.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcStat {
	pid: number;
	parentPid: number;
	processGroup: number;
	/** utime + stime in clock ticks (the process itself, not its waited-for children). */
	cpuTicks: number;
	/** Resident set size in pages. */
	rssPages: number;
}

/** Parses /proc/<pid>/stat; the command name (field 2) may contain spaces and parentheses. Pure. */
export function parseProcStat(text: string): ProcStat {
	const close = text.lastIndexOf(')');
	const pid = Number(text.slice(0, text.indexOf(' ')));
	// Fields from 3 (state) on; field k of proc(5) is rest[k - 3].
	const rest = text
		.slice(close + 2)
		.trim()
		.split(/\s+/);
	const field = (k: number) => Number(rest[k - 3]);
	return { pid, parentPid: field(4), processGroup: field(5), cpuTicks: field(14) + field(15), rssPages: field(24) };
}

function readStat(pid: string): ProcStat | undefined {
	try {
		return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
	} catch {
		return undefined; // exited between readdir and read
	}
}

function allProcesses(): ProcStat[] {
	return readdirSync('/proc')
		.filter((name) => /^\d+$/.test(name))
		.map(readStat)
		.filter((stat): stat is ProcStat => stat !== undefined);
}

function groupMembers(processGroup: number): ProcStat[] {
	return allProcesses().filter((stat) => stat.processGroup === processGroup);
}

/**
 * Resident memory of a process and all its descendants, by parent pid: unlike the group, this
 * includes children that left it (PostgreSQL's backends call setsid). Shared pages count once per
 * process, so this is an upper bound.
 */
export function processTreeRssBytes(rootPid: number): number {
	const processes = allProcesses();
	const inTree = new Set([rootPid]);
	for (let grew = true; grew; ) {
		grew = false;
		for (const stat of processes) {
			if (!inTree.has(stat.pid) && inTree.has(stat.parentPid)) {
				inTree.add(stat.pid);
				grew = true;
			}
		}
	}
	const pages = processes.filter((stat) => inTree.has(stat.pid)).reduce((sum, stat) => sum + stat.rssPages, 0);
	return pages * getconf('PAGESIZE', 4096);
}

function getconf(name: string, fallback: number): number {
	try {
		return Number(execFileSync('getconf', [name], { encoding: 'utf8' }).trim()) || fallback;
	} catch {
		return fallback;
	}
}

export interface TreeUsage {
	cpuSeconds: number;
	/** RSS of the group at start(), before the measured work. */
	startRssBytes: number;
	peakRssBytes: number;
	/** Most processes seen in the group at once (n8n plus its task runners). */
	maxProcesses: number;
	samples: number;
}

/**
 * Samples the group every `intervalMs` from start() to stop(). CPU is the sum over processes of
 * (last seen − first seen) ticks, so a process that starts mid-run counts from zero; one that
 * exits loses at most its last interval. Peak RSS is the largest sum over the group at one sample.
 */
export class ProcessTreeSampler {
	private readonly ticksPerSecond = getconf('CLK_TCK', 100);
	private readonly pageBytes = getconf('PAGESIZE', 4096);
	private readonly firstTicks = new Map<number, number>();
	private readonly lastTicks = new Map<number, number>();
	private startRssPages = 0;
	private peakRssPages = 0;
	private maxProcesses = 0;
	private samples = 0;
	private timer: NodeJS.Timeout | undefined;

	constructor(
		private readonly processGroup: number,
		private readonly intervalMs = 250,
	) {}

	start(): void {
		this.sample(true);
		this.timer = setInterval(() => this.sample(false), this.intervalMs);
	}

	stop(): TreeUsage {
		if (this.timer) clearInterval(this.timer);
		this.sample(false);
		let ticks = 0;
		for (const [pid, last] of this.lastTicks) ticks += last - (this.firstTicks.get(pid) ?? 0);
		return {
			cpuSeconds: ticks / this.ticksPerSecond,
			startRssBytes: this.startRssPages * this.pageBytes,
			peakRssBytes: this.peakRssPages * this.pageBytes,
			maxProcesses: this.maxProcesses,
			samples: this.samples,
		};
	}

	private sample(first: boolean): void {
		const members = groupMembers(this.processGroup);
		let rssPages = 0;
		for (const member of members) {
			if (first) this.firstTicks.set(member.pid, member.cpuTicks);
			this.lastTicks.set(member.pid, member.cpuTicks);
			rssPages += member.rssPages;
		}
		if (first) this.startRssPages = rssPages;
		this.peakRssPages = Math.max(this.peakRssPages, rssPages);
		this.maxProcesses = Math.max(this.maxProcesses, members.length);
		this.samples++;
	}
}
