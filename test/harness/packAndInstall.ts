import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** The parts of package.json that n8n reads. */
export interface PackageManifest {
	name: string;
	version: string;
	n8n: { n8nNodesApiVersion: number; nodes: string[]; credentials: string[] };
}

export interface InstalledPackage {
	manifest: PackageManifest;
	/** `<userFolder>/.n8n/nodes/node_modules/<name>`, where n8n's community-package loader scans. */
	dir: string;
}

export async function readManifest(packageDir: string = REPO_ROOT): Promise<PackageManifest> {
	return JSON.parse(await readFile(path.join(packageDir, 'package.json'), 'utf8')) as PackageManifest;
}

/**
 * Installs the package the way a user gets it: `npm pack` (so `files` in package.json decides what
 * ships) and untar into n8n's community-package directory, giving the published type names
 * `<package>.<node>` (n8n-community-nodes.md §5.3, §8). No `npm install`: the package has no runtime
 * dependencies, and n8n itself strips dev/peer dependencies.
 */
export async function packAndInstall(userFolder: string, packageDir: string = REPO_ROOT): Promise<InstalledPackage> {
	const manifest = await readManifest(packageDir);
	const declared = [...manifest.n8n.nodes, ...manifest.n8n.credentials];
	const missing = declared.filter((file) => !existsSync(path.join(packageDir, file)));
	if (missing.length > 0) {
		throw new Error(`build output missing (run \`npm run build\` first): ${missing.join(', ')}`);
	}

	const packDir = await mkdtemp(path.join(os.tmpdir(), 'n8n-e2e-pack-'));
	try {
		// --ignore-scripts: the build already ran; packing must not rebuild or mutate the tree.
		const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', packDir], {
			cwd: packageDir,
		});
		const [{ filename }] = JSON.parse(stdout) as Array<{ filename: string }>;
		const dir = path.join(userFolder, '.n8n', 'nodes', 'node_modules', manifest.name);
		await rm(dir, { recursive: true, force: true });
		await mkdir(dir, { recursive: true });
		await run('tar', ['-xzf', path.join(packDir, path.basename(filename)), '-C', dir, '--strip-components=1']);
		return { manifest, dir };
	} finally {
		await rm(packDir, { recursive: true, force: true });
	}
}
