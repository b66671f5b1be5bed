/**
 * `npm start`: the local stack for trying the package without accounts. Starts both sandboxes
 * (German test data, published rate limits) and a real n8n 2.41.1 with the freshly packed package,
 * creates the credentials, imports every workflow in workflows/, publishes the event-driven ones,
 * runs the contacts workflow's import once and prints its statistics, then keeps running until Ctrl-C.
 *
 * With LEXOFFICE_API_KEY and BITRIX24_WEBHOOK_URL set it uses those real services instead (no
 * sandboxes). The import then runs only with RUN_IMPORT=1: it writes into your real Bitrix24.
 *
 * `npm start -- --queue` starts n8n in queue mode instead (README "Scaling out"): a private
 * PostgreSQL and Redis, the main process, two workers (QUEUE_WORKERS=N for more) and a webhook
 * processor, all with the package; everything else as above, executions running on the workers.
 */
import { DEFAULT_OWNER, type QueueStack } from '../test/harness';
import {
	formatStatistics,
	importStatistics,
	INVOICE_STATUS_WORKFLOW,
	registerAppTriggers,
	REGISTER_TRIGGERS,
	runManually,
} from './lib/manualRun';
import { processTreeRssBytes } from './lib/processTree';
import {
	createAppCredential,
	CREDENTIAL_NAMES,
	realEndpointsFromEnv,
	startN8nWithCredentials,
	startSandboxes,
	type Sandboxes,
	type ServiceEndpoints,
} from './lib/stack';
import { CONTACTS_WORKFLOW, importBundledWorkflows, manualTriggerName, publishEventDriven } from './lib/workflows';

const CONTACTS = Number(process.env.SANDBOX_CONTACTS ?? 120);
const IMPORT_TIMEOUT_MS = 60 * 60_000;
const QUEUE = process.argv.slice(2).includes('--queue');
const QUEUE_WORKERS = Number(process.env.QUEUE_WORKERS ?? 2);

const megabytes = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;

/** Where each queue-mode process is, and its resident memory (process and children) right now. */
function describeQueue(stack: QueueStack): string[] {
	const rss = (pid: number | undefined) => (pid === undefined ? 0 : processTreeRssBytes(pid));
	const rows = stack.processes.map((process) => ({ name: process.name, rss: rss(process.pid), log: process.logFile }));
	const total = rows.reduce((sum, row) => sum + row.rss, 0);
	return [
		`queue mode:  main ${stack.main.baseUrl}, ${stack.workers.length} workers, webhook processor ${stack.webhookBaseUrl} (production webhooks)`,
		`PostgreSQL:  psql -h 127.0.0.1 -p ${stack.postgres.port} -U ${stack.postgres.user} ${stack.postgres.database}`,
		`Redis:       redis-cli -p ${stack.redis.port}`,
		`started in ${stack.startupSeconds.toFixed(0)} s; resident memory now (each process with its children, shared pages counted per process):`,
		...rows.map((row) => `  ${row.name.padEnd(12)} ${megabytes(row.rss).padStart(8)}   log ${row.log}`),
		`  ${'total'.padEnd(12)} ${megabytes(total).padStart(8)}`,
		'Which worker ran an execution: grep "Worker started execution <id>" in the worker logs.',
	];
}

async function main(): Promise<void> {
	const stops: Array<() => Promise<void>> = [];
	const stopAll = async () => {
		for (const stop of stops.reverse()) await stop().catch((error) => console.error(error));
	};
	process.once('SIGINT', () => void stopAll().then(() => process.exit(0)));
	process.once('SIGTERM', () => void stopAll().then(() => process.exit(0)));

	try {
		const real = realEndpointsFromEnv(process.env);
		let sandboxes: Sandboxes | undefined;
		let endpoints: ServiceEndpoints;
		if (real) {
			console.log('LEXOFFICE_API_KEY and BITRIX24_WEBHOOK_URL are set: using the real services, no sandboxes.');
			endpoints = real;
		} else {
			console.log('Starting the LexOffice and Bitrix24 sandboxes…');
			sandboxes = await startSandboxes({ limits: 'published', contacts: CONTACTS, seedBitrix24: true });
			stops.push(async () => await sandboxes?.close());
			endpoints = sandboxes.endpoints('standard');
		}

		console.log(
			QUEUE
				? `Starting n8n 2.41.1 in queue mode: PostgreSQL, Redis, main, ${QUEUE_WORKERS} workers and a webhook processor, each with the package (the first run installs n8n and Node.js 24: 6 to 18 minutes on 2 cores)…`
				: 'Starting n8n 2.41.1 with the package installed (the first run installs n8n and Node.js 24: 6 to 18 minutes on 2 cores)…',
		);
		const running = await startN8nWithCredentials(
			endpoints,
			'npm start',
			QUEUE ? { queue: { workers: QUEUE_WORKERS } } : {},
		);
		const { n8n, apiKey } = running;
		stops.push(running.stop);
		const app = await createAppCredential(n8n, sandboxes?.bitrix24, endpoints.bitrix24.plan);
		console.log(app.message);

		const bundles = await importBundledWorkflows(n8n);
		console.log(`Imported ${bundles.length} workflows: ${bundles.map((bundle) => bundle.file).join(', ')}`);
		for (const outcome of await publishEventDriven(n8n, bundles)) {
			console.log(
				outcome.published
					? `published ${outcome.file}`
					: `NOT published ${outcome.file}: ${outcome.error}\n  (it stays imported; fix the cause and publish it in the editor${real ? '. Real LexOffice/Bitrix24 must reach this n8n over public HTTPS for events' : ''})`,
			);
		}

		const invoiceBundle = bundles.find((bundle) => bundle.file === INVOICE_STATUS_WORKFLOW);
		if (invoiceBundle && app.created) {
			const registered = await registerAppTriggers(n8n, apiKey, invoiceBundle.id);
			console.log(
				registered.error
					? `The app's automation triggers were not registered: ${registered.error}`
					: `Registered the app's automation triggers ("${REGISTER_TRIGGERS}" of ${INVOICE_STATUS_WORKFLOW})`,
			);
		}

		const importBundle = bundles.find((bundle) => bundle.file === CONTACTS_WORKFLOW);
		const trigger = importBundle && manualTriggerName(importBundle.workflow);
		if (!importBundle || !trigger) {
			console.log(`No ${CONTACTS_WORKFLOW}.json with a manual trigger in workflows/: import skipped.`);
		} else if (real && process.env.RUN_IMPORT !== '1') {
			console.log(
				'Import not run: it would write into your real Bitrix24. Run "Start import" in the editor (try Dry Run first) or start with RUN_IMPORT=1.',
			);
		} else {
			console.log(
				`Running the contacts workflow's import (${real ? 'real services' : `${CONTACTS} sandbox contacts at the published rate limits`})…`,
			);
			const run = await runManually(n8n, apiKey, importBundle.id, trigger, { timeoutMs: IMPORT_TIMEOUT_MS });
			const statistics = importStatistics(run.execution);
			if (run.error) console.log(`The import ended ${run.execution.status}: ${run.error}`);
			if (statistics) console.log(`Import, ${run.wallSeconds.toFixed(1)} s:\n${formatStatistics(statistics)}`);
		}

		console.log(
			[
				'',
				`n8n:         ${n8n.baseUrl}`,
				`login:       ${DEFAULT_OWNER.email} / ${DEFAULT_OWNER.password}`,
				`credentials: "${CREDENTIAL_NAMES.lexoffice}", "${CREDENTIAL_NAMES.bitrix24Webhook}"${app.created ? `, "${CREDENTIAL_NAMES.bitrix24App}"` : ''}`,
				...(sandboxes
					? [
							`LexOffice sandbox: ${sandboxes.lexoffice.url} (${CONTACTS} contacts; state under ${sandboxes.lexoffice.url}/_sandbox/)`,
							`Bitrix24 sandbox:  ${sandboxes.bitrix24.url} (state under ${sandboxes.bitrix24.url}/_sandbox/)`,
						]
					: []),
				...(running.queue ? describeQueue(running.queue) : [`n8n log:     ${n8n.logFile}`]),
				'',
				'Press Ctrl-C to stop everything.',
			].join('\n'),
		);
	} catch (error) {
		console.error(error);
		await stopAll();
		process.exit(1);
	}
}

void main();
