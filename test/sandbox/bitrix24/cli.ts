/**
 * Standalone Bitrix24 sandbox:  npx tsx test/sandbox/bitrix24/cli.ts [flags]
 *
 *   --port N                 (env BITRIX24_SANDBOX_PORT, default 0 = any free port)
 *   --host H                 (env BITRIX24_SANDBOX_HOST, default 127.0.0.1)
 *   --limits L               off | published | enterprise | capacity/drainPerSecond (env BITRIX24_SANDBOX_LIMITS, default published)
 *   --webhook-secret S       secret of user 1's incoming webhook (env BITRIX24_SANDBOX_WEBHOOK_SECRET, default random)
 *   --client-id ID           local app client_id (env BITRIX24_SANDBOX_CLIENT_ID, default random local.…)
 *   --client-secret S        (env BITRIX24_SANDBOX_CLIENT_SECRET, default random)
 *   --redirect-uri URL       where /oauth/authorize/ redirects (env BITRIX24_SANDBOX_REDIRECT_URI; default: the caller's redirect_uri)
 *   --contacts N --companies N --invoices N --seed N   German CRM seed (env BITRIX24_SANDBOX_CONTACTS …; default 20/8/6, seed 1; 0/0/0 = empty)
 *   --preset-offset N        requisite preset ids start at N+1 (default 6)
 *   --invoice-category N     default smart-invoice category id (default 7)
 *   --strict-handlers        refuse loopback/private handler URLs like the real portal
 *
 * Prints the URLs and credentials, then runs until Ctrl+C. Steer it over HTTP under /_sandbox/
 * (see control.ts; GET /_sandbox/info repeats what is printed here).
 */
import { parseArgs } from 'node:util';

import { startBitrix24Sandbox } from './index';
import { parseBitrix24Limits } from './limits';

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			port: { type: 'string' },
			host: { type: 'string' },
			limits: { type: 'string' },
			'webhook-secret': { type: 'string' },
			'client-id': { type: 'string' },
			'client-secret': { type: 'string' },
			'redirect-uri': { type: 'string' },
			contacts: { type: 'string' },
			companies: { type: 'string' },
			invoices: { type: 'string' },
			seed: { type: 'string' },
			'preset-offset': { type: 'string' },
			'invoice-category': { type: 'string' },
			'strict-handlers': { type: 'boolean' },
		},
	});
	const env = process.env;
	const number = (flag: string | undefined, variable: string, fallback: number) =>
		Number(flag ?? env[variable] ?? fallback);
	const text = (flag: string | undefined, variable: string) => flag ?? env[variable];
	const seed = {
		contacts: number(values.contacts, 'BITRIX24_SANDBOX_CONTACTS', 20),
		companies: number(values.companies, 'BITRIX24_SANDBOX_COMPANIES', 8),
		invoices: number(values.invoices, 'BITRIX24_SANDBOX_INVOICES', 6),
		seed: number(values.seed, 'BITRIX24_SANDBOX_SEED', 1),
	};

	const sandbox = await startBitrix24Sandbox({
		port: number(values.port, 'BITRIX24_SANDBOX_PORT', 0),
		host: text(values.host, 'BITRIX24_SANDBOX_HOST') ?? '127.0.0.1',
		limits: parseBitrix24Limits(text(values.limits, 'BITRIX24_SANDBOX_LIMITS') ?? 'published'),
		webhookSecret: text(values['webhook-secret'], 'BITRIX24_SANDBOX_WEBHOOK_SECRET'),
		oauth: {
			clientId: text(values['client-id'], 'BITRIX24_SANDBOX_CLIENT_ID'),
			clientSecret: text(values['client-secret'], 'BITRIX24_SANDBOX_CLIENT_SECRET'),
			redirectUri: text(values['redirect-uri'], 'BITRIX24_SANDBOX_REDIRECT_URI'),
		},
		presetIdOffset: number(values['preset-offset'], 'BITRIX24_SANDBOX_PRESET_OFFSET', 6),
		invoiceCategoryId: number(values['invoice-category'], 'BITRIX24_SANDBOX_INVOICE_CATEGORY', 7),
		allowLoopbackHandlers: !(values['strict-handlers'] ?? env.BITRIX24_SANDBOX_STRICT_HANDLERS === 'true'),
		seed: seed.contacts + seed.companies + seed.invoices > 0 ? seed : false,
	});

	console.log(`Bitrix24 sandbox listening on ${sandbox.url}`);
	console.log(`Incoming webhook:  ${sandbox.webhookUrl}`);
	console.log(`OAuth client_id:   ${sandbox.oauth.clientId}`);
	console.log(`OAuth secret:      ${sandbox.oauth.clientSecret}`);
	console.log(`Token URL:         ${sandbox.oauth.tokenUrl}`);
	console.log(`Authorize URL:     ${sandbox.oauth.authorizeUrl}`);
	console.log(`Application token: ${sandbox.oauth.applicationToken}`);
	console.log(`Control API:       ${sandbox.url}/_sandbox/info`);

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
