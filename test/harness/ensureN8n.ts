import { spawnSync } from 'node:child_process';
import path from 'node:path';

/** Where the pinned n8n and its Node 24 runtime live (outside this package's node_modules). */
export interface N8nRuntime {
	dir: string;
	/** Node 24 binary that runs n8n; its directory goes first on n8n's PATH (task runners use it). */
	nodeBin: string;
	/** n8n's CLI entry script, run as `nodeBin n8nBin start`. */
	n8nBin: string;
}

const INSTALL_SCRIPT = path.join(__dirname, 'install-n8n.sh');

let cached: N8nRuntime | undefined;

/**
 * Returns the cached n8n runtime, installing it first when missing (minutes, once per machine).
 * The shell script is the single source of truth for versions and cache layout, so .ci/run and
 * jest share it; when the cache is complete the script only prints the paths.
 */
export function ensureN8n(): N8nRuntime {
	if (cached) return cached;
	const result = spawnSync('bash', [INSTALL_SCRIPT], {
		stdio: ['ignore', 'pipe', 'inherit'],
		encoding: 'utf8',
	});
	if (result.status !== 0) {
		throw new Error(`${INSTALL_SCRIPT} failed (exit ${result.status ?? result.signal}); see its output above`);
	}
	const lastLine = result.stdout.trim().split('\n').pop() ?? '';
	cached = JSON.parse(lastLine) as N8nRuntime;
	return cached;
}
