/**
 * Standalone LexOffice sandbox:  npx tsx test/sandbox/lexoffice/cli.ts [flags]
 *
 *   --port N              (env LEXOFFICE_SANDBOX_PORT, default 0 = any free port)
 *   --host H              (env LEXOFFICE_SANDBOX_HOST, default 127.0.0.1)
 *   --api-key K           (env LEXOFFICE_SANDBOX_API_KEY, default sandbox-api-key)
 *   --contacts N          seed contacts (env LEXOFFICE_SANDBOX_CONTACTS, default 30)
 *   --invoices N          seed invoices (env LEXOFFICE_SANDBOX_INVOICES, default 20)
 *   --seed N              PRNG seed (env LEXOFFICE_SANDBOX_SEED, default 1)
 *   --limits L            off | published | capacity/refillPerSecond (env LEXOFFICE_SANDBOX_LIMITS, default published)
 *   --time-scale X        webhook retry delay factor (env LEXOFFICE_SANDBOX_TIME_SCALE, default 1)
 *   --search-window N     voucherlist window (env LEXOFFICE_SANDBOX_SEARCH_WINDOW, default 10000)
 *   --strict-probe        subscription HEAD probe demands 2xx
 *   --http-callbacks P    loopback | any | none (default loopback)
 *
 * Prints URL, API key and the path of the webhook public key (PEM), then runs until Ctrl+C.
 * Steer it over HTTP under /_sandbox/ (see control.ts).
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { parseLimitSetting } from '../common';
import { startLexofficeSandbox } from './index';

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			port: { type: 'string' },
			host: { type: 'string' },
			'api-key': { type: 'string' },
			contacts: { type: 'string' },
			invoices: { type: 'string' },
			seed: { type: 'string' },
			limits: { type: 'string' },
			'time-scale': { type: 'string' },
			'search-window': { type: 'string' },
			'strict-probe': { type: 'boolean' },
			'http-callbacks': { type: 'string' },
		},
	});
	const env = process.env;
	const number = (flag: string | undefined, variable: string, fallback: number) =>
		Number(flag ?? env[variable] ?? fallback);
	const httpCallbacks = values['http-callbacks'] ?? env.LEXOFFICE_SANDBOX_HTTP_CALLBACKS ?? 'loopback';
	if (!['loopback', 'any', 'none'].includes(httpCallbacks)) throw new Error(`--http-callbacks: ${httpCallbacks}`);

	const sandbox = await startLexofficeSandbox({
		port: number(values.port, 'LEXOFFICE_SANDBOX_PORT', 0),
		host: values.host ?? env.LEXOFFICE_SANDBOX_HOST ?? '127.0.0.1',
		apiKey: values['api-key'] ?? env.LEXOFFICE_SANDBOX_API_KEY,
		seed: {
			contacts: number(values.contacts, 'LEXOFFICE_SANDBOX_CONTACTS', 30),
			invoices: number(values.invoices, 'LEXOFFICE_SANDBOX_INVOICES', 20),
			seed: number(values.seed, 'LEXOFFICE_SANDBOX_SEED', 1),
		},
		limits: parseLimitSetting(values.limits ?? env.LEXOFFICE_SANDBOX_LIMITS ?? 'published'),
		timeScale: number(values['time-scale'], 'LEXOFFICE_SANDBOX_TIME_SCALE', 1),
		searchWindow: number(values['search-window'], 'LEXOFFICE_SANDBOX_SEARCH_WINDOW', 10_000),
		strictProbe: values['strict-probe'] ?? env.LEXOFFICE_SANDBOX_STRICT_PROBE === 'true',
		allowHttpCallbacks: httpCallbacks as 'loopback' | 'any' | 'none',
	});
	const publicKeyPath = join(tmpdir(), `lexoffice-sandbox-${new URL(sandbox.url).port}.pub.pem`);
	writeFileSync(publicKeyPath, sandbox.publicKeyPem);

	console.log(`LexOffice sandbox listening on ${sandbox.url}`);
	console.log(`API key:          ${sandbox.apiKey}`);
	console.log(`Public key (PEM): ${publicKeyPath}`);
	console.log(`Organization id:  ${sandbox.organizationId}`);
	console.log(`Control API:      ${sandbox.url}/_sandbox/state`);

	const stop = () => {
		void sandbox.close().then(() => process.exit(0));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
