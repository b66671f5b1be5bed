/**
 * One server process the harness starts and must not leave behind (n8n main, worker or webhook
 * processor, PostgreSQL, Redis): its own process group, a log file, stop/kill for the whole group,
 * and a watchdog that cleans up when the test process dies without calling stop().
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

/** Set N8N_E2E_KEEP=1 to keep user folders, data directories and logs after stop() for debugging. */
export const KEEP_FILES = process.env.N8N_E2E_KEEP === '1';
const LOG_TAIL_LINES = 60;

export async function freeLoopbackPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const address = server.address();
	await new Promise<void>((resolve) => server.close(() => resolve()));
	if (typeof address !== 'object' || !address) throw new Error('could not get a free port');
	return address.port;
}

/** `count` distinct free ports (a probed port is free again at once, so the OS may hand it out twice). */
export async function freeLoopbackPorts(count: number): Promise<number[]> {
	const ports = new Set<number>();
	while (ports.size < count) ports.add(await freeLoopbackPort());
	return [...ports];
}

export interface SpawnManagedOptions {
	/** Short name for messages, e.g. "n8n worker 1" or "postgres". */
	name: string;
	bin: string;
	args: string[];
	cwd: string;
	env: Record<string, string>;
	logFile: string;
	/** Run as this user (root starting PostgreSQL, which refuses to run as root). */
	uid?: number;
	gid?: number;
	/** Signal for a graceful stop; PostgreSQL's SIGTERM waits for clients, SIGINT does not. */
	stopSignal?: NodeJS.Signals;
	/** Removed by stop() (and by the watchdog), unless N8N_E2E_KEEP=1. */
	ownedDirs?: string[];
}

export class ManagedProcess {
	private readonly exited: Promise<void>;
	private stopped = false;

	constructor(
		readonly name: string,
		readonly logFile: string,
		private readonly child: ChildProcess,
		private readonly stopSignal: NodeJS.Signals,
		private readonly ownedDirs: string[],
	) {
		this.exited = new Promise((resolve) => {
			if (child.exitCode !== null || child.signalCode !== null) resolve();
			else child.once('exit', () => resolve());
		});
	}

	get running(): boolean {
		return this.child.exitCode === null && this.child.signalCode === null;
	}

	get exitCode(): number | null {
		return this.child.exitCode;
	}

	/** The leader's pid; also its process group (n8n's task runners included), e.g. for /proc accounting. */
	get pid(): number | undefined {
		return this.child.pid;
	}

	logTail(lines = LOG_TAIL_LINES): string {
		try {
			return readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
		} catch {
			return '(no log)';
		}
	}

	/** The whole log, e.g. to see which worker ran which execution. */
	log(): string {
		try {
			return readFileSync(this.logFile, 'utf8');
		} catch {
			return '';
		}
	}

	/** Kills the group at once, as a crash or a power cut would, then cleans up as stop() does. */
	async kill(): Promise<void> {
		if (this.stopped) return;
		killGroup(this.child, 'SIGKILL');
		await this.exited;
		await this.stop();
	}

	/** Stops the group (graceful, then SIGKILL after 15 s), then removes the owned dirs. Idempotent. */
	async stop(): Promise<void> {
		if (this.stopped) return;
		this.stopped = true;
		killGroup(this.child, this.stopSignal);
		const timer = new AbortController();
		const graceful = await Promise.race([
			this.exited.then(() => true),
			delay(15_000, false, { signal: timer.signal }).catch(() => false),
		]);
		timer.abort();
		// Even after a clean exit, a child (n8n's task runner) may linger in the group.
		killGroup(this.child, 'SIGKILL');
		if (!graceful) await this.exited;
		if (KEEP_FILES) {
			if (this.ownedDirs.length > 0) process.stderr.write(`N8N_E2E_KEEP=1: kept ${this.ownedDirs.join(', ')}\n`);
			return;
		}
		for (const dir of this.ownedDirs) await rm(dir, { recursive: true, force: true });
	}
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		// ESRCH: the group is already gone.
	}
}

/**
 * If this (jest) process dies without calling stop(), the server would live on; a detached
 * watchdog signals the process group once our pid disappears (and removes the owned dirs), and
 * exits by itself when the group is gone.
 */
function spawnWatchdog(groupPid: number, signal: NodeJS.Signals, dirsToRemove: string[]): void {
	const script = `
		while kill -0 "$1" 2>/dev/null && kill -0 -- "-$2" 2>/dev/null; do sleep 1; done
		kill -"$3" -- "-$2" 2>/dev/null || exit 0
		sleep 10
		kill -KILL -- "-$2" 2>/dev/null
		shift 3
		rm -rf -- "$@"`;
	const args = [String(process.pid), String(groupPid), signal.replace(/^SIG/, ''), ...(KEEP_FILES ? [] : dirsToRemove)];
	const watchdog = spawn('bash', ['-c', script, 'e2e-watchdog', ...args], { detached: true, stdio: 'ignore' });
	watchdog.unref();
}

/** Starts the process as the leader of its own group, output to `logFile`, watched by a watchdog. */
export function spawnManaged(options: SpawnManagedOptions): ManagedProcess {
	const logFd = openSync(options.logFile, 'a');
	const child = spawn(options.bin, options.args, {
		cwd: options.cwd,
		env: options.env,
		stdio: ['ignore', logFd, logFd],
		// Own process group, so stop() can signal the server and its children together.
		detached: true,
		...(options.uid === undefined ? {} : { uid: options.uid }),
		...(options.gid === undefined ? {} : { gid: options.gid }),
	});
	closeSync(logFd);
	// A failed spawn reports through 'error' (ENOENT, EACCES); without a listener it would crash jest.
	child.once('error', () => undefined);
	if (child.pid === undefined) throw new Error(`could not spawn ${options.bin} (${options.name})`);
	const stopSignal = options.stopSignal ?? 'SIGTERM';
	const ownedDirs = options.ownedDirs ?? [];
	spawnWatchdog(child.pid, stopSignal, ownedDirs);
	return new ManagedProcess(options.name, options.logFile, child, stopSignal, ownedDirs);
}
