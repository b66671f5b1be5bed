/**
 * n8n in queue mode (n8n-community-nodes.md §5.4, §8.x): a private PostgreSQL cluster and a private
 * Redis on free loopback ports, the n8n main process, N workers and one webhook processor, all on
 * one N8N_USER_FOLDER (so one installed copy of the packed package) and one encryption key.
 * stop() ends every process it started, PostgreSQL and Redis included, and removes their files;
 * watchdogs do the same if the test process dies first.
 */
import { execFile, execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, statSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { freeLoopbackPorts, spawnManaged, type ManagedProcess } from './managedProcess';
import { spawnN8n, startN8n, type N8nInstance } from './n8nProcess';
import { packAndInstall, REPO_ROOT } from './packAndInstall';
import { pollUntil } from './poll';

const run = promisify(execFile);

export interface QueueStackOptions {
	/** Worker processes (default 2). */
	workers?: number;
	/** Executions one worker runs at once (`n8n worker --concurrency`, n8n's default 10). */
	concurrency?: number;
	/** Extra environment for every n8n process. */
	env?: Record<string, string>;
	/** Each n8n process writes a V8 CPU profile into this directory when it stops (NODE_OPTIONS=--cpu-prof). */
	cpuProfileDir?: string;
	/** Package directory to pack and install (default this repository). */
	installPackage?: string;
	readinessTimeoutMs?: number;
}

/** What queue mode needs from the machine, found or not. */
export interface QueuePrerequisites {
	/** Directory with initdb, postgres, pg_isready and createdb. */
	postgresBin?: string;
	redisServer?: string;
	/** Empty when everything is there; otherwise what is missing and how to install it. */
	missing: string[];
}

const INSTALL_HINT =
	'Install the Debian/Ubuntu packages with `sudo apt-get update && sudo apt-get install -y postgresql redis-server` ' +
	'(on other systems: PostgreSQL ≥ 13 server binaries and Redis ≥ 6). The stack starts private instances on ' +
	'loopback ports; no system service needs to run.';

function onPath(binary: string): string | undefined {
	for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
		const candidate = path.join(dir, binary);
		try {
			accessSync(candidate, constants.X_OK);
			return candidate;
		} catch {
			// not here
		}
	}
	return undefined;
}

/** Debian keeps the server binaries in /usr/lib/postgresql/<major>/bin, off PATH; the newest wins. */
function postgresBinDir(): string | undefined {
	const wanted = ['initdb', 'postgres', 'pg_isready', 'createdb'];
	const complete = (dir: string) => wanted.every((binary) => existsSync(path.join(dir, binary)));
	const root = '/usr/lib/postgresql';
	const versions = existsSync(root)
		? readdirSync(root)
				.filter((name) => /^\d+$/.test(name))
				.sort((a, b) => Number(b) - Number(a))
		: [];
	const candidates = [...versions.map((version) => path.join(root, version, 'bin'))];
	const initdb = onPath('initdb');
	if (initdb) candidates.push(path.dirname(initdb));
	return candidates.find(complete);
}

function postgresUser(): { uid: number; gid: number } | undefined {
	try {
		const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
		const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
		return { uid, gid };
	} catch {
		return undefined;
	}
}

const runningAsRoot = () => process.getuid?.() === 0;

/** What is missing, in words (pure, for the message and its test). */
export function missingPrerequisites(found: {
	postgresBin?: string;
	redisServer?: string;
	/** Root must hand PostgreSQL to the `postgres` user. */
	needsPostgresUser: boolean;
	hasPostgresUser: boolean;
}): string[] {
	const missing: string[] = [];
	if (!found.postgresBin)
		missing.push(
			'PostgreSQL server binaries (initdb, postgres, pg_isready, createdb; looked in /usr/lib/postgresql/*/bin and PATH)',
		);
	else if (found.needsPostgresUser && !found.hasPostgresUser) {
		missing.push('a `postgres` user (PostgreSQL refuses to run as root; the postgresql package creates it)');
	}
	if (!found.redisServer) missing.push('redis-server (looked on PATH, /usr/bin, /usr/local/bin)');
	return missing;
}

export function prerequisitesMessage(missing: string[]): string {
	return `n8n queue mode needs PostgreSQL and Redis on this machine. Missing: ${missing.join('; ')}. ${INSTALL_HINT}`;
}

export function queuePrerequisites(): QueuePrerequisites {
	const postgresBin = postgresBinDir();
	const redisServer =
		onPath('redis-server') ?? ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((file) => existsSync(file));
	const needsPostgresUser = runningAsRoot();
	const missing = missingPrerequisites({
		postgresBin,
		redisServer,
		needsPostgresUser,
		hasPostgresUser: needsPostgresUser && postgresUser() !== undefined,
	});
	return { postgresBin, redisServer, missing };
}

/** Throws one message naming everything missing and how to install it. */
export function assertQueuePrerequisites(): Required<Omit<QueuePrerequisites, 'missing'>> {
	const found = queuePrerequisites();
	if (found.missing.length > 0 || !found.postgresBin || !found.redisServer)
		throw new Error(prerequisitesMessage(found.missing));
	return { postgresBin: found.postgresBin, redisServer: found.redisServer };
}

/** A temp dir every parent of which the postgres user can pass (root's TMPDIR may not be). */
async function tempDirFor(prefix: string, owner?: { uid: number; gid: number }): Promise<string> {
	const passable = (dir: string): boolean =>
		dir === path.dirname(dir) || ((statSync(dir).mode & 0o001) !== 0 && passable(path.dirname(dir)));
	const base = owner && !passable(os.tmpdir()) ? '/tmp' : os.tmpdir();
	const dir = await mkdtemp(path.join(base, prefix));
	if (owner) await chown(dir, owner.uid, owner.gid);
	return dir;
}

export interface PostgresServer {
	port: number;
	database: string;
	user: string;
	process: ManagedProcess;
}

/** A throw-away cluster: trust auth on 127.0.0.1 only, no fsync (its data dies with the test). */
async function startPostgres(binDir: string, logDir: string): Promise<PostgresServer> {
	const owner = runningAsRoot() ? postgresUser() : undefined;
	const root = await tempDirFor('n8n-queue-pg-', owner);
	const dataDir = path.join(root, 'data');
	const asOwner = owner ? { uid: owner.uid, gid: owner.gid } : {};
	const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };
	try {
		await run(
			path.join(binDir, 'initdb'),
			['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'],
			{
				cwd: root,
				env,
				...asOwner,
			},
		);
	} catch (error) {
		await rm(root, { recursive: true, force: true });
		const { stderr, stdout } = error as { stderr?: string; stdout?: string };
		throw new Error(`initdb failed: ${(error as Error).message}\n${stdout ?? ''}${stderr ?? ''}`);
	}
	const [port] = await freeLoopbackPorts(1);
	const server = spawnManaged({
		name: 'postgres',
		bin: path.join(binDir, 'postgres'),
		args: [
			'-D',
			dataDir,
			'-p',
			String(port),
			'-h',
			'127.0.0.1',
			'-k',
			root,
			'-c',
			'fsync=off',
			'-c',
			'synchronous_commit=off',
			'-c',
			'full_page_writes=off',
		],
		cwd: root,
		env,
		logFile: path.join(logDir, 'postgres.log'),
		// SIGTERM is PostgreSQL's "smart" shutdown, which waits for every client to leave.
		stopSignal: 'SIGINT',
		ownedDirs: [root],
		...asOwner,
	});
	try {
		await pollUntil(
			async () => {
				if (!server.running) throw new Error(`postgres exited during startup (code ${server.exitCode})`);
				const ready = await run(
					path.join(binDir, 'pg_isready'),
					['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres'],
					{ env },
				).then(
					() => true,
					() => undefined,
				);
				return ready;
			},
			{ what: `PostgreSQL on port ${port}`, timeoutMs: 60_000, intervalMs: 200 },
		);
		await run(path.join(binDir, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'n8n'], { env });
	} catch (error) {
		const tail = server.logTail();
		await server.stop();
		throw new Error(`${(error as Error).message}\n--- postgres log tail ---\n${tail}`);
	}
	return { port, database: 'n8n', user: 'postgres', process: server };
}

export interface RedisServer {
	port: number;
	process: ManagedProcess;
}

/** Answers true once Redis replies +PONG on the port. */
async function redisPing(port: number): Promise<true | undefined> {
	return await new Promise((resolve) => {
		const socket = connect(port, '127.0.0.1');
		let answer = '';
		socket.setTimeout(2_000, () => socket.destroy());
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (chunk) => {
			answer += chunk.toString();
			if (answer.includes('\r\n')) socket.end();
		});
		socket.on('close', () => resolve(answer.startsWith('+PONG') ? true : undefined));
		socket.on('error', () => undefined);
	});
}

/** In memory only: no RDB snapshots, no append-only file. */
async function startRedis(redisServer: string, logDir: string): Promise<RedisServer> {
	const dir = await mkdtemp(path.join(os.tmpdir(), 'n8n-queue-redis-'));
	const [port] = await freeLoopbackPorts(1);
	const server = spawnManaged({
		name: 'redis',
		bin: redisServer,
		args: [
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			dir,
			'--daemonize',
			'no',
		],
		cwd: dir,
		env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
		logFile: path.join(logDir, 'redis.log'),
		ownedDirs: [dir],
	});
	try {
		await pollUntil(
			async () => {
				if (!server.running) throw new Error(`redis-server exited during startup (code ${server.exitCode})`);
				return await redisPing(port);
			},
			{ what: `Redis on port ${port}`, timeoutMs: 30_000, intervalMs: 200 },
		);
	} catch (error) {
		const tail = server.logTail();
		await server.stop();
		throw new Error(`${(error as Error).message}\n--- redis log tail ---\n${tail}`);
	}
	return { port, process: server };
}

/**
 * What a webhook processor needs for bursts of LexOffice deliveries (README "Scaling out"). With
 * n8n 2.41's default `vm` expression engine, LiveWebhooks takes an expression isolate for every
 * request of a community trigger before the trigger runs, and builds a new one (≈250 ms of CPU,
 * synchronously) for the next; the blocked event loop also misses the database ping, whose 5 s
 * timeout turns every request into `503 Database is not ready!` until the next ping. Lazy
 * acquisition builds an isolate only when an expression is evaluated, and the LexOffice Trigger
 * 1.1 evaluates none before its answer, so a delivery costs the webhook processor no isolate.
 */
export const WEBHOOK_PROCESSOR_ENV: Readonly<Record<string, string>> = {
	N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true',
};

/**
 * Workers: with the `vm` engine each execution's first expression builds an isolate (≈250 ms of
 * CPU, synchronously; lazy acquisition does not help, the workflows evaluate expressions): about
 * 35–38 s per worker in the load test's CPU profile, taken from the webhook processor on a shared
 * machine. The `legacy` engine (n8n's engine before 2.x, expressions in the worker's own context)
 * builds none. README "Scaling out" has the figures and the trade-off.
 */
export const WORKER_ENV: Readonly<Record<string, string>> = { N8N_EXPRESSION_ENGINE: 'legacy' };

const WORKER_STARTED = /Worker started execution (\S+) \(job/g;

export class QueueStack {
	constructor(
		readonly main: N8nInstance,
		readonly workers: ManagedProcess[],
		readonly webhook: ManagedProcess,
		/** Base of production webhook URLs (the webhook processor), e.g. http://127.0.0.1:PORT */
		readonly webhookBaseUrl: string,
		readonly postgres: PostgresServer,
		readonly redis: RedisServer,
		/** Seconds from startQueueStack() until every process was ready. */
		readonly startupSeconds: number,
		private readonly ownedDirs: string[],
	) {}

	/** Every process of the stack, for accounting and for stop(). */
	get processes(): ManagedProcess[] {
		return [this.main.process, ...this.workers, this.webhook, this.postgres.process, this.redis.process];
	}

	/**
	 * Which worker ran each execution, read from the workers' logs (`Worker started execution <id>`,
	 * n8n-community-nodes.md §8.x): execution id → worker name. An execution a worker picked up again
	 * after a crash would appear under both; the last one wins.
	 */
	executionWorkers(): Map<string, string> {
		const byExecution = new Map<string, string>();
		for (const worker of this.workers) {
			for (const match of worker.log().matchAll(WORKER_STARTED)) byExecution.set(match[1], worker.name);
		}
		return byExecution;
	}

	/** Production webhook URL on the webhook processor (`<webhookId>/<path>` for node webhooks). */
	webhookUrl(webhookPath: string): string {
		return `${this.webhookBaseUrl}/webhook/${webhookPath.replace(/^\/+/, '')}`;
	}

	/** Stops the n8n processes first (they hold connections), then Redis and PostgreSQL. Idempotent. */
	async stop(): Promise<void> {
		await Promise.allSettled([this.webhook.stop(), ...this.workers.map((worker) => worker.stop())]);
		await this.main.stop();
		await Promise.allSettled([this.redis.process.stop(), this.postgres.process.stop()]);
		for (const dir of this.ownedDirs) await rm(dir, { recursive: true, force: true });
	}
}

/**
 * Starts PostgreSQL and Redis, then the main process (it runs the migrations), then the workers
 * and the webhook processor, each ready by its own health check. On failure everything started so
 * far is stopped and the error says which part failed (with its log tail).
 */
export async function startQueueStack(options: QueueStackOptions = {}): Promise<QueueStack> {
	const startedAt = Date.now();
	const { postgresBin, redisServer } = assertQueuePrerequisites();
	const workerCount = options.workers ?? 2;
	const userFolder = await mkdtemp(path.join(os.tmpdir(), 'n8n-queue-user-'));
	const logDir = await mkdtemp(path.join(os.tmpdir(), 'n8n-queue-log-'));
	const started: Array<{ stop(): Promise<void> }> = [];
	const cleanUp = async () => {
		for (const part of started.reverse()) await part.stop().catch(() => undefined);
		await Promise.all([userFolder, logDir].map(async (dir) => await rm(dir, { recursive: true, force: true })));
	};
	try {
		// One copy of the package for every process: they share N8N_USER_FOLDER (§8.x).
		await packAndInstall(userFolder, options.installPackage ?? REPO_ROOT);
		const [postgres, redis] = await Promise.all([
			startPostgres(postgresBin, logDir).then((server) => (started.push(server.process), server)),
			startRedis(redisServer, logDir).then((server) => (started.push(server.process), server)),
		]);
		const [mainPort, webhookPort, ...workerPorts] = await freeLoopbackPorts(2 + workerCount);
		const webhookBaseUrl = `http://127.0.0.1:${webhookPort}`;
		const shared: Record<string, string> = {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_DATABASE: postgres.database,
			DB_POSTGRESDB_USER: postgres.user,
			DB_POSTGRESDB_PASSWORD: '',
			// n8n's default of 2 connections per process queues a burst of webhook deliveries behind the
			// database; LexOffice stops reading an answer after 5 s (lexoffice-api.md §6.5).
			DB_POSTGRESDB_POOL_SIZE: '10',
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			// Production webhook URLs (e.g. a trigger's subscription callback) point at the webhook processor.
			N8N_WEBHOOK_URL: `${webhookBaseUrl}/`,
			WEBHOOK_URL: `${webhookBaseUrl}/`,
			N8N_EDITOR_BASE_URL: `http://127.0.0.1:${mainPort}/`,
			// Runs started in the editor or over REST go to the workers too.
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			...options.env,
		};
		if (options.cpuProfileDir) {
			shared.NODE_OPTIONS = `--cpu-prof --cpu-prof-dir=${options.cpuProfileDir}`;
			shared.N8N_GRACEFUL_SHUTDOWN_TIMEOUT = '5';
		}
		const readinessTimeoutMs = options.readinessTimeoutMs ?? 180_000;
		const main = await startN8n({
			name: 'n8n main',
			userFolder,
			installPackage: null,
			port: mainPort,
			env: shared,
			readinessTimeoutMs,
		});
		started.push(main);
		const spawned = await Promise.allSettled([
			spawnN8n({
				command: 'webhook',
				name: 'n8n webhook',
				userFolder,
				logFile: path.join(logDir, 'webhook.log'),
				port: webhookPort,
				readinessPath: '/healthz/readiness',
				env: { ...shared, ...WEBHOOK_PROCESSOR_ENV },
				readinessTimeoutMs,
			}),
			...workerPorts.map(
				async (port, index) =>
					await spawnN8n({
						command: 'worker',
						args: [`--concurrency=${options.concurrency ?? 10}`],
						name: `worker ${index + 1}`,
						userFolder,
						logFile: path.join(logDir, `worker-${index + 1}.log`),
						port,
						readinessPath: '/healthz/readiness',
						env: {
							...shared,
							...WORKER_ENV,
							QUEUE_HEALTH_CHECK_ACTIVE: 'true',
							QUEUE_HEALTH_CHECK_PORT: String(port),
							N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
						},
						readinessTimeoutMs,
					}),
			),
		]);
		for (const outcome of spawned) if (outcome.status === 'fulfilled') started.push(outcome.value);
		const failed = spawned.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
		if (failed) throw failed.reason;
		const [webhook, ...workers] = spawned.map((outcome) => (outcome as PromiseFulfilledResult<ManagedProcess>).value);
		return new QueueStack(main, workers, webhook, webhookBaseUrl, postgres, redis, (Date.now() - startedAt) / 1000, [
			userFolder,
			logDir,
		]);
	} catch (error) {
		await cleanUp();
		throw error;
	}
}
