import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import axios from 'axios';

import { ensureN8n } from './ensureN8n';
import { freeLoopbackPorts, spawnManaged, type ManagedProcess } from './managedProcess';
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
	/** Listen on this port (default: a free one), e.g. when N8N_WEBHOOK_URL must be known first. */
	port?: number;
	/** For messages (default "n8n"). */
	name?: string;
}

/** Fixed so encrypted credentials stay readable across restarts of the same user folder. */
export const E2E_ENCRYPTION_KEY = 'e2e-fixed-encryption-key-not-secret';

/** The three n8n process kinds (n8n-community-nodes.md §5.4, §8.x). */
export type N8nCommand = 'start' | 'worker' | 'webhook';

/** A running n8n main process: the API client plus lifecycle (stop, logs). */
export class N8nInstance extends N8nClient {
	constructor(
		baseUrl: string,
		readonly port: number,
		readonly userFolder: string,
		readonly process: ManagedProcess,
	) {
		super(baseUrl, () => `\n--- last lines of ${process.logFile} ---\n${process.logTail()}`);
	}

	get logFile(): string {
		return this.process.logFile;
	}

	get running(): boolean {
		return this.process.running;
	}

	/** n8n's pid; also its process group (task runners included), e.g. for /proc accounting. */
	get pid(): number | undefined {
		return this.process.pid;
	}

	logTail(lines?: number): string {
		return this.process.logTail(lines);
	}

	/**
	 * Kills n8n and its task runners at once, as a crash or a power cut would: running executions
	 * get no chance to finish. The user folder stays when it was passed in (start again on it).
	 */
	async kill(): Promise<void> {
		await this.process.kill();
	}

	/** Stops n8n and everything it spawned (task runners), then removes the temp dirs. Idempotent. */
	async stop(): Promise<void> {
		await this.process.stop();
	}
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
		// Every process (main, each worker, the webhook processor) needs a broker port of its own (§8.x).
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

export interface SpawnN8nOptions {
	command: N8nCommand;
	/** Extra CLI arguments, e.g. `--concurrency=5` for a worker. */
	args?: string[];
	/** For messages, e.g. "n8n worker 1". */
	name: string;
	userFolder: string;
	logFile: string;
	/** N8N_PORT (main, webhook processor) or the worker's health-check port. */
	port: number;
	/** Path on `port` that answers 200 once the process is ready. */
	readinessPath: string;
	env?: Record<string, string>;
	/** Removed on stop. */
	ownedDirs?: string[];
	readinessTimeoutMs?: number;
}

/**
 * Starts one n8n process of the cached n8n 2.41.1 (the package must already be in
 * `<userFolder>/.n8n/nodes`) and resolves once its readiness path answers 200 (§8); on failure
 * it is stopped and the error carries its log tail.
 */
export async function spawnN8n(options: SpawnN8nOptions): Promise<ManagedProcess> {
	const runtime = ensureN8n();
	const [brokerPort] = (await freeLoopbackPorts(2)).filter((port) => port !== options.port);
	const child = spawnManaged({
		name: options.name,
		bin: runtime.nodeBin,
		args: [runtime.n8nBin, options.command, ...(options.args ?? [])],
		// n8n reads .env from its working directory; the user folder has none.
		cwd: options.userFolder,
		env: n8nEnvironment(runtime.nodeBin, options.userFolder, options.port, brokerPort, options.env ?? {}),
		logFile: options.logFile,
		ownedDirs: options.ownedDirs,
	});
	const url = `http://127.0.0.1:${options.port}${options.readinessPath}`;
	try {
		await pollUntil(
			async () => {
				if (!child.running) throw new Error(`${options.name} exited during startup (code ${child.exitCode})`);
				const response = await axios
					.get(url, { validateStatus: () => true, proxy: false, timeout: 5_000 })
					.catch(() => undefined);
				return response?.status === 200 ? true : undefined;
			},
			{
				what: `${options.name} readiness at ${url}`,
				timeoutMs: options.readinessTimeoutMs ?? 120_000,
				intervalMs: 250,
			},
		);
	} catch (error) {
		const tail = child.logTail();
		await child.stop();
		throw new Error(`${(error as Error).message}\n--- ${options.name} log tail ---\n${tail}`);
	}
	return child;
}

/**
 * Starts the cached n8n 2.41.1 on free loopback ports with our packed package installed, and
 * resolves once `/healthz/readiness` says migrations are done and the server is up (§8).
 */
export async function startN8n(options: StartN8nOptions = {}): Promise<N8nInstance> {
	ensureN8n();
	const ownedDirs: string[] = [];
	const userFolder = options.userFolder ?? (await mkdtemp(path.join(os.tmpdir(), 'n8n-e2e-user-')));
	if (!options.userFolder) ownedDirs.push(userFolder);
	const logDir = await mkdtemp(path.join(os.tmpdir(), 'n8n-e2e-log-'));
	ownedDirs.push(logDir);

	try {
		const installPackage = options.installPackage === undefined ? REPO_ROOT : options.installPackage;
		if (installPackage !== null) await packAndInstall(userFolder, installPackage);
		const port = options.port ?? (await freeLoopbackPorts(1))[0];
		const main = await spawnN8n({
			command: 'start',
			name: options.name ?? 'n8n',
			userFolder,
			logFile: path.join(logDir, 'n8n.log'),
			port,
			readinessPath: '/healthz/readiness',
			env: options.env,
			ownedDirs,
			readinessTimeoutMs: options.readinessTimeoutMs,
		});
		return new N8nInstance(`http://127.0.0.1:${port}`, port, userFolder, main);
	} catch (error) {
		// spawnN8n removed the dirs if it got that far; this covers a failed install.
		await Promise.all(ownedDirs.map((dir) => rm(dir, { recursive: true, force: true })));
		throw error;
	}
}
