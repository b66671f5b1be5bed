import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * The n8n runtime installer's own steps (resume, sqlite3 build, checks, marker, repair) run for
 * real, with real npm, inside the environment an npm script gets — on a stand-in runtime of a few
 * files instead of 3 GB: a Node "24" that is this Node behind a wrapper, an n8n that answers
 * --version, and a "sqlite3" whose install script builds its "binding". The npm install step is
 * skipped the way the installer skips it after an interrupted run (its stamp says it finished).
 */

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const INSTALLER = path.join(REPO_ROOT, 'test', 'harness', 'install-n8n.sh');
// Builds run real npm processes; on a busy 2-core machine one run takes seconds.
const RUN_TIMEOUT_MS = 120_000;

interface Pins {
	n8n: string;
	node: string;
	nodePackage: string;
}

async function readPins(): Promise<Pins> {
	const script = await readFile(INSTALLER, 'utf8');
	const pin = (name: string) => {
		const match = new RegExp(`readonly ${name}='([^']+)'`).exec(script);
		if (!match) throw new Error(`${name} not found in ${INSTALLER}`);
		return match[1];
	};
	const arch = process.arch === 'x64' ? 'x64' : process.arch;
	return { n8n: pin('PINNED_N8N_VERSION'), node: pin('NODE_VERSION'), nodePackage: `node-${process.platform}-${arch}` };
}

/** What the stand-in sqlite3's install script saw of its environment. */
interface BuildRecord {
	ignoreScripts: string | null;
	nodedir: string | null;
	outerLifecycleEvent: string | null;
	outerPackageName: string | null;
}

/** Lays out "<cache>/n8n-lexoffice-bitrix24/n8n-<v>.partial" as a finished npm install leaves it. */
async function standInRuntime(cacheHome: string, pins: Pins, options: { n8nAnswers?: boolean } = {}): Promise<string> {
	const staging = path.join(cacheHome, 'n8n-lexoffice-bitrix24', `n8n-${pins.n8n}.partial`);
	const modules = path.join(staging, 'node_modules');
	const packageJson = `{"name":"n8n-e2e-runtime","private":true,"dependencies":{"n8n":"${pins.n8n}","${pins.nodePackage}":"${pins.node}"}}`;
	await mkdir(staging, { recursive: true });
	await writeFile(path.join(staging, 'package.json'), `${packageJson}\n`);
	await writeFile(path.join(staging, '.step-npm-install'), `${packageJson}\n`);

	const nodeBinDir = path.join(modules, pins.nodePackage, 'bin');
	await mkdir(nodeBinDir, { recursive: true });
	await writeFile(
		path.join(modules, pins.nodePackage, 'package.json'),
		JSON.stringify({ name: pins.nodePackage, version: pins.node }),
	);
	const nodeWrapper = path.join(nodeBinDir, 'node');
	await writeFile(
		nodeWrapper,
		`#!/bin/sh\nif [ "$1" = "--version" ]; then echo v${pins.node}; exit 0; fi\nexec "${process.execPath}" "$@"\n`,
	);
	await chmod(nodeWrapper, 0o755);

	await mkdir(path.join(modules, 'n8n', 'bin'), { recursive: true });
	await writeFile(path.join(modules, 'n8n', 'package.json'), JSON.stringify({ name: 'n8n', version: pins.n8n }));
	await writeStandInN8nCli(staging, pins, options.n8nAnswers ?? true);

	const sqlite = path.join(modules, 'sqlite3');
	await mkdir(sqlite, { recursive: true });
	await writeFile(
		path.join(sqlite, 'package.json'),
		JSON.stringify({ name: 'sqlite3', version: '5.1.7', main: 'sqlite3.js', scripts: { install: 'node build.js' } }),
	);
	// Like the real module: without a built binding, require('sqlite3') throws.
	await writeFile(
		path.join(sqlite, 'sqlite3.js'),
		"require('./build/Release/binding.json');\nexports.Database = class { close() {} };\n",
	);
	await writeFile(
		path.join(sqlite, 'build.js'),
		[
			"const fs = require('fs');",
			"fs.mkdirSync('build/Release', { recursive: true });",
			'const env = process.env;',
			'const record = {',
			'  ignoreScripts: env.npm_config_ignore_scripts ?? null,',
			'  nodedir: env.npm_config_nodedir ?? null,',
			'  outerLifecycleEvent: env.OUTER_LIFECYCLE_EVENT ?? null,',
			'  outerPackageName: env.npm_package_name === "n8n-nodes-lexoffice-bitrix24" ? env.npm_package_name : null,',
			'};',
			"fs.writeFileSync('build/Release/binding.json', JSON.stringify(record));",
		].join('\n'),
	);
	return staging;
}

async function writeStandInN8nCli(runtimeDir: string, pins: Pins, answers: boolean): Promise<void> {
	await writeFile(
		path.join(runtimeDir, 'node_modules', 'n8n', 'bin', 'n8n'),
		answers
			? `if (process.argv.includes('--version')) console.log('${pins.n8n}');\n`
			: "console.error('Error: Cannot find module @n8n/di'); process.exit(1);\n",
	);
}

/** The environment `npm test` hands its scripts: the project's .npmrc as npm_config_*, its .bin on PATH. */
function npmScriptEnvironment(cacheHome: string): NodeJS.ProcessEnv {
	return {
		HOME: process.env.HOME,
		PATH: `${path.join(REPO_ROOT, 'node_modules', '.bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`,
		XDG_CACHE_HOME: cacheHome,
		npm_config_ignore_scripts: 'true',
		npm_config_nodedir: '/nonexistent-nodedir-from-the-outer-npm',
		npm_lifecycle_event: 'test',
		npm_package_name: 'n8n-nodes-lexoffice-bitrix24',
		OUTER_LIFECYCLE_EVENT: 'test',
	};
}

function runInstaller(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
	return new Promise((resolve, reject) => {
		const child = spawn('bash', [INSTALLER], { env, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		child.on('error', reject);
		child.on('close', (code) => resolve({ code, stdout, stderr }));
	});
}

describe('install-n8n.sh run from an npm script', () => {
	let cacheHome: string;
	let pins: Pins;

	beforeEach(async () => {
		cacheHome = await mkdtemp(path.join(os.tmpdir(), 'install-n8n-test-'));
		pins = await readPins();
	});
	afterEach(async () => {
		await rm(cacheHome, { recursive: true, force: true });
	});

	const finalDir = () => path.join(cacheHome, 'n8n-lexoffice-bitrix24', `n8n-${pins.n8n}`);
	const bindingRecord = async (dir: string) =>
		JSON.parse(
			await readFile(path.join(dir, 'node_modules', 'sqlite3', 'build', 'Release', 'binding.json'), 'utf8'),
		) as BuildRecord;

	it(
		'builds sqlite3 although npm_config_ignore_scripts=true is inherited, checks, then marks complete',
		async () => {
			const staging = await standInRuntime(cacheHome, pins);

			const result = await runInstaller(npmScriptEnvironment(cacheHome));

			expect(result.stderr).toContain('resuming an unfinished install');
			expect(result.code).toBe(0);
			const dir = finalDir();
			expect(JSON.parse(result.stdout.trim().split('\n').pop() ?? '')).toEqual({
				dir,
				nodeBin: path.join(dir, 'node_modules', pins.nodePackage, 'bin', 'node'),
				n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
			});
			expect(await readFile(path.join(dir, '.install-complete'), 'utf8')).toBe(`n8n@${pins.n8n} node@${pins.node}\n`);
			expect(existsSync(staging)).toBe(false);
			// The build ran with the installer's settings, none of the outer npm script's.
			expect(await bindingRecord(dir)).toEqual({
				ignoreScripts: expect.not.stringMatching(/^true$/),
				nodedir: path.join(staging, 'node_modules', pins.nodePackage),
				outerLifecycleEvent: null,
				outerPackageName: null,
			});
		},
		RUN_TIMEOUT_MS,
	);

	it(
		'repairs a runtime marked complete whose sqlite3 binding no longer loads, and says so',
		async () => {
			await standInRuntime(cacheHome, pins);
			expect((await runInstaller(npmScriptEnvironment(cacheHome))).code).toBe(0);
			await rm(path.join(finalDir(), 'node_modules', 'sqlite3', 'build'), { recursive: true });

			const result = await runInstaller(npmScriptEnvironment(cacheHome));

			expect(result.stderr).toMatch(
				/cached runtime in .* is broken \(Node .* cannot load sqlite3's native binding\); repairing it/,
			);
			expect(result.code).toBe(0);
			expect(existsSync(path.join(finalDir(), '.install-complete'))).toBe(true);
			expect(await bindingRecord(finalDir())).toMatchObject({ outerLifecycleEvent: null });
		},
		RUN_TIMEOUT_MS,
	);

	it(
		'never marks a runtime complete whose n8n does not answer --version, and completes it on the next run',
		async () => {
			const staging = await standInRuntime(cacheHome, pins, { n8nAnswers: false });

			const failed = await runInstaller(npmScriptEnvironment(cacheHome));

			expect(failed.code).not.toBe(0);
			expect(failed.stderr).toContain('failed its check: `n8n --version` failed');
			expect(existsSync(finalDir())).toBe(false);
			expect(existsSync(path.join(staging, '.install-complete'))).toBe(false);

			await writeStandInN8nCli(staging, pins, true);
			const repaired = await runInstaller(npmScriptEnvironment(cacheHome));

			expect(repaired.stderr).toContain('resuming an unfinished install');
			expect(repaired.code).toBe(0);
			expect(existsSync(path.join(finalDir(), '.install-complete'))).toBe(true);
		},
		RUN_TIMEOUT_MS,
	);

	it(
		'hands out a complete, working runtime without touching it',
		async () => {
			await standInRuntime(cacheHome, pins);
			expect((await runInstaller(npmScriptEnvironment(cacheHome))).code).toBe(0);
			const before = await readFile(
				path.join(finalDir(), 'node_modules', 'sqlite3', 'build', 'Release', 'binding.json'),
				'utf8',
			);

			const again = await runInstaller(npmScriptEnvironment(cacheHome));

			expect(again.code).toBe(0);
			expect(again.stderr).toBe('');
			expect(
				await readFile(path.join(finalDir(), 'node_modules', 'sqlite3', 'build', 'Release', 'binding.json'), 'utf8'),
			).toBe(before);
		},
		RUN_TIMEOUT_MS,
	);
});
