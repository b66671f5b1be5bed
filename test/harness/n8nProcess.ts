import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

import axios from 'axios';

import { ensureN8n } from './ensureN8n';
import { N8nClient } from './n8nClient';
import { REPO_ROOT, packAndInstall } from './packAndInstall';
import { pollUntil } from './poll';

export interface StartN8nOptions {
	/** Extra environment for n8n (overrides the harness defaults). */
	env?: Record<string, string>;
	/** Use this N8N_USER_FOLDER (kept on stop); default: a temp dir removed on stop. */
	userFolder?: string;
	/** Package directory to `npm pack` and install before starting; `null` installs nothing. */
	installPackage?: string | null;
	readinessTimeoutMs?: number;
}

/** Fixed so encrypted credentials stay readable across restarts of the same user folder. */
export const E2E_ENCRYPTION_KEY = 'e2e-fixed-encryption-key-not-secret';

/** Set N8N_E2E_KEEP=1 to keep user folders and logs after stop() for debugging. */
const KEEP_FILES = process.env.N8N_E2E_KEEP === '1';
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

/** A running n8n: the API client plus lifecycle (stop, logs). */
export class N8nInstance extends N8nClient {
	private readonly exited: Promise<void>;
	private stopped = false;

	constructor(
		baseUrl: string,
		readonly port: number,
		readonly userFolder: string,
		readonly logFile: string,
		private readonly child: ChildProcess,
		private readonly ownedDirs: string[],
	) {
		super(baseUrl, () => `\n--- last ${LOG_TAIL_LINES} lines of ${logFile} ---\n${this.logTail()}`);
		this.exited = new Promise((resolve) => {
			if (child.exitCode !== null || child.signalCode !== null) resolve();
			else child.once('exit', () => resolve());
		});
	}

	get running(): boolean {
		return this.child.exitCode === null && this.child.signalCode === null;
	}

	/** n8n's pid; also its process group (task runners included), e.g. for /proc accounting. */
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

	/**
	 * Kills n8n and its task runners at once, as a crash or a power cut would: running executions
	 * get no chance to finish. The user folder stays when it was passed in (start again on it).
	 */
	async kill(): Promise<void> {
		if (this.stopped) return;
		killGroup(this.child, 'SIGKILL');
		await this.exited;
		await this.stop();
	}

	/** Stops n8n and everything it spawned (task runners), then removes the temp dirs. Idempotent. */
	async stop(): Promise<void> {
		if (this.stopped) return;
		this.stopped = true;
		killGroup(this.child, 'SIGTERM');
		const timer = new AbortController();
		const graceful = await Promise.race([
			this.exited.then(() => true),
			delay(15_000, false, { signal: timer.signal }).catch(() => false),
		]);
		timer.abort();
		// Even after a clean exit, a task runner may linger in the group.
		killGroup(this.child, 'SIGKILL');
		if (!graceful) await this.exited;
		if (KEEP_FILES) {
			process.stderr.write(`N8N_E2E_KEEP=1: kept ${this.ownedDirs.join(', ')}\n`);
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
 * If this (jest) process dies without calling stop(), n8n would live on; a detached watchdog kills
 * n8n's process group once our pid disappears (and removes the temp dirs), and exits by itself
 * when n8n is gone.
 */
function spawnWatchdog(n8nPid: number, dirsToRemove: string[]): void {
	const script = `
		while kill -0 "$1" 2>/dev/null && kill -0 -- "-$2" 2>/dev/null; do sleep 1; done
		kill -TERM -- "-$2" 2>/dev/null || exit 0
		sleep 10
		kill -KILL -- "-$2" 2>/dev/null
		shift 2
		rm -rf -- "$@"`;
	const args = [String(process.pid), String(n8nPid), ...(KEEP_FILES ? [] : dirsToRemove)];
	const watchdog = spawn('bash', ['-c', script, 'n8n-e2e-watchdog', ...args], {
		detached: true,
		stdio: 'ignore',
	});
	watchdog.unref();
}

/** n8n's environment: hermetic (no inherited NODE_ENV=test, NODE_OPTIONS, npm_config_* …). */
function n8nEnvironment(
	nodeBin: string,
	userFolder: string,
	port: number,
	brokerPort: number,
	extra: Record<string, string>,
): Record<string, string> {
	const baseUrl = `http://127.0.0.1:${port}/`;
	const inherited: Record<string, string> = {};
	for (const name of ['LANG', 'TZ', 'TMPDIR']) {
		const value = process.env[name];
		if (value !== undefined) inherited[name] = value;
	}
	return {
		...inherited,
		// n8n spawns its JS task runner as the first `node` on PATH (n8n-community-nodes.md §8).
		PATH: `${path.dirname(nodeBin)}${path.delimiter}${process.env.PATH ?? '/usr/bin:/bin'}`,
		HOME: userFolder,
		NODE_ENV: 'production',
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: E2E_ENCRYPTION_KEY,
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_PORT: String(port),
		N8N_EDITOR_BASE_URL: baseUrl,
		N8N_WEBHOOK_URL: baseUrl,
		WEBHOOK_URL: baseUrl,
		DB_TYPE: 'sqlite',
		N8N_RUNNERS_MODE: 'internal',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		...extra,
	};
}

/**
 * Starts the cached n8n 2.41.1 on free loopback ports with our packed package installed, and
 * resolves once `/healthz/readiness` says migrations are done and the server is up (§8).
 */
export async function startN8n(options: StartN8nOptions = {}): Promise<N8nInstance> {
	const runtime = ensureN8n();
	const ownedDirs: string[] = [];
	const userFolder = options.userFolder ?? (await mkdtemp(path.join(os.tmpdir(), 'n8n-e2e-user-')));
	if (!options.userFolder) ownedDirs.push(userFolder);
	const logDir = await mkdtemp(path.join(os.tmpdir(), 'n8n-e2e-log-'));
	ownedDirs.push(logDir);

	const installPackage = options.installPackage === undefined ? REPO_ROOT : options.installPackage;
	if (installPackage !== null) await packAndInstall(userFolder, installPackage);

	const port = await freeLoopbackPort();
	let brokerPort = await freeLoopbackPort();
	// The first port is free again once probed, so the OS may hand it out twice.
	while (brokerPort === port) brokerPort = await freeLoopbackPort();
	const logFile = path.join(logDir, 'n8n.log');
	const logFd = openSync(logFile, 'a');
	const child = spawn(runtime.nodeBin, [runtime.n8nBin, 'start'], {
		// n8n reads .env from its working directory; the user folder has none.
		cwd: userFolder,
		env: n8nEnvironment(runtime.nodeBin, userFolder, port, brokerPort, options.env ?? {}),
		stdio: ['ignore', logFd, logFd],
		// Own process group, so stop() can signal n8n and its task runners together.
		detached: true,
	});
	closeSync(logFd);
	if (child.pid === undefined) {
		await Promise.all(ownedDirs.map((dir) => rm(dir, { recursive: true, force: true })));
		throw new Error(`could not spawn ${runtime.nodeBin}`);
	}
	spawnWatchdog(child.pid, ownedDirs);

	const baseUrl = `http://127.0.0.1:${port}`;
	const instance = new N8nInstance(baseUrl, port, userFolder, logFile, child, ownedDirs);
	try {
		await pollUntil(
			async () => {
				if (!instance.running) throw new Error(`n8n exited during startup (code ${child.exitCode})`);
				const response = await axios
					.get(`${baseUrl}/healthz/readiness`, { validateStatus: () => true, proxy: false, timeout: 5_000 })
					.catch(() => undefined);
				return response?.status === 200 ? true : undefined;
			},
			{ what: `n8n readiness on port ${port}`, timeoutMs: options.readinessTimeoutMs ?? 120_000, intervalMs: 250 },
		);
	} catch (error) {
		const tail = instance.logTail();
		await instance.stop();
		throw new Error(`${(error as Error).message}\n--- n8n log tail ---\n${tail}`);
	}
	return instance;
}
