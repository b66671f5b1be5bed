/**
 * The package on n8n queue mode (issue #12): a private PostgreSQL and Redis, the main process, two
 * workers and a webhook processor, set up exactly as `npm start -- --queue` does (same code:
 * credentials, the five bundled workflows imported unchanged, the event-driven ones published).
 * Signed LexOffice deliveries reach the webhook processor, run on both workers (each worker's log
 * says which executions it ran), and every contact ends up in Bitrix24.
 *
 * Not asserted yet: exactly one Bitrix24 record per LexOffice id when two workers race on one contact
 * (issue #12, item 4). Whether two workers race depends on timing, so a test that expects the
 * duplicate could fail on a fast machine; the exactly-once check belongs here once the package
 * holds it across workers.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';

import { pollUntil, type ExecutionSummary } from '../harness';
import { createAppCredential, startN8nWithCredentials, startSandboxes, type RunningN8n, type Sandboxes } from '../../scripts/lib/stack';
import { importBundledWorkflows, publishEventDriven, type ImportedBundle, type PublishOutcome } from '../../scripts/lib/workflows';

const SYNC = 'lexoffice-bitrix24-incremental-sync';
const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);
/** New contacts in the series of single deliveries. */
const SERIES = 24;
/** New contacts whose `contact.created` and `contact.changed` arrive together. */
const PAIRS = 10;
/** Pause between new contacts: a series, not one burst (the issue's bursts are for when it is resolved). */
const STAGGER_MS = 250;
jest.setTimeout(8 * 60_000);

describe('queue mode: main, two workers and a webhook processor on PostgreSQL and Redis', () => {
	let sandboxes: Sandboxes | undefined;
	let running: RunningN8n | undefined;
	let bundles: ImportedBundle[] = [];
	let published: PublishOutcome[] = [];
	let syncId = '';

	const stack = () => {
		if (!running?.queue) throw new Error('the queue-mode stack did not start (see beforeAll)');
		return running.queue;
	};
	const sb = (): Sandboxes => sandboxes as Sandboxes;
	const recordsOf = (lexofficeId: string) => sb().bitrix24.state.contacts.filter((row) => row.ORIGIN_ID === lexofficeId);

	const newPerson = (lastName: string) =>
		sb().lexoffice.simulate.createContact({
			version: 0,
			roles: { customer: {} },
			person: { salutation: 'Herr', firstName: 'Jonas', lastName },
		} as never);

	const syncExecutionIds = async (): Promise<Set<string>> =>
		new Set((await stack().main.executionSummaries(syncId)).map((execution) => execution.id));

	/** Waits until at least `count` executions of the sync started after `before`, all finished; returns them. */
	const newFinishedExecutions = async (before: Set<string>, count: number): Promise<ExecutionSummary[]> =>
		await pollUntil(
			async () => {
				const fresh = (await stack().main.executionSummaries(syncId)).filter((execution) => !before.has(execution.id));
				return fresh.length >= count && fresh.every((execution) => FINISHED.has(execution.status)) ? fresh : undefined;
			},
			{ what: `${count} finished executions of the incremental sync`, timeoutMs: 180_000, intervalMs: 1_000 },
		);

	/** Flushes LexOffice's deliveries of these contacts (retries included) and says how many needed a retry. */
	const deliver = async (contactIds: string[]) => {
		const relevant = () => sb().lexoffice.webhooks.deliveries().filter((delivery) => contactIds.includes(delivery.resourceId));
		// Not flush(): it waits for every delivery, and one stuck elsewhere would fail this step too.
		await pollUntil(async () => (relevant().every((delivery) => delivery.status !== 'pending') ? true : undefined), {
			what: 'the deliveries to be settled',
			timeoutMs: 180_000,
			intervalMs: 500,
		}).catch(() => undefined); // the status assertion that follows shows what is still pending
		const deliveries = relevant();
		const retried = deliveries.filter((delivery) => delivery.attempts.length > 1).length;
		const failedAttempts = new Map<string, number>();
		for (const attempt of deliveries.flatMap((delivery) => delivery.attempts).filter((candidate) => candidate.outcome !== 'delivered')) {
			const reason = String(attempt.status ?? attempt.error);
			failedAttempts.set(reason, (failedAttempts.get(reason) ?? 0) + 1);
		}
		const reasons = [...failedAttempts].map(([reason, count]) => `${reason} ×${count}`).join(', ');
		process.stdout.write(`${deliveries.length} deliveries, ${retried} of them retried by LexOffice${reasons ? ` (failed attempts: ${reasons})` : ''}\n`);
		return deliveries;
	};

	/** Execution → worker, from the worker logs; printed so a CI log shows where everything ran. */
	const workersOf = (executions: ExecutionSummary[], label: string): Map<string, string> => {
		const byExecution = stack().executionWorkers();
		const lines = executions.map((execution) => `  execution ${execution.id} (${execution.status}) → ${byExecution.get(execution.id) ?? 'no worker'}`);
		process.stdout.write(`${label}\n${lines.join('\n')}\n`);
		return byExecution;
	};

	beforeAll(async () => {
		// LexOffice stops reading an answer after 5 s (§6.5). On the shared 2-core CI machine a webhook
		// processor that has just started took longer for most of its first deliveries, and the retries
		// then came in bunches. This test is about where executions run, so the sandbox waits 30 s and
		// retries 20× sooner; the 5 s budget under load belongs to issue #12's load test.
		sandboxes = await startSandboxes({ limits: 'off', contacts: 10, webhookTimeScale: 0.05, webhookTimeoutMs: 30_000 });
		running = await startN8nWithCredentials(sandboxes.endpoints('enterprise'), 'e2e queue mode', { queue: { workers: 2 } });
		const app = await createAppCredential(running.n8n, sandboxes.bitrix24, 'enterprise');
		if (!app.created) throw new Error(app.message);
		bundles = await importBundledWorkflows(running.n8n);
		published = await publishEventDriven(running.n8n, bundles);
		syncId = bundles.find((bundle) => bundle.file === SYNC)?.id ?? '';
		process.stdout.write(
			`queue-mode stack ready in ${stack().startupSeconds.toFixed(0)} s: main ${stack().main.baseUrl}, webhook processor ${stack().webhookBaseUrl}\n`,
		);
	}, 12 * 60_000);

	afterAll(async () => {
		await running?.stop();
		await sandboxes?.close();
	});

	it('imports the five bundled workflows and publishes the event-driven ones, with LexOffice calling the webhook processor', () => {
		expect(bundles.map((bundle) => bundle.file)).toEqual([
			'lexoffice-bitrix24-app-install',
			'lexoffice-bitrix24-create-invoice',
			'lexoffice-bitrix24-incremental-sync',
			'lexoffice-bitrix24-initial-import',
			'lexoffice-bitrix24-invoice-status',
		]);
		expect(published).toEqual(bundles.filter((bundle) => bundle.eventDriven).map((bundle) => ({ file: bundle.file, published: true })));
		const callbacks = [...sb().lexoffice.state.subscriptions.values()].map((subscription) => subscription.callbackUrl);
		expect(callbacks.length).toBeGreaterThan(0);
		for (const url of callbacks) expect(url.startsWith(`${stack().webhookBaseUrl}/webhook/`)).toBe(true);
	});

	it('runs a series of signed LexOffice deliveries on both workers and brings every contact to Bitrix24', async () => {
		const before = await syncExecutionIds();
		const contacts = [];
		for (let index = 0; index < SERIES; index++) {
			contacts.push(newPerson(`Reihe-${index}-${randomUUID().slice(0, 6)}`));
			await delay(STAGGER_MS);
		}
		const deliveries = await deliver(contacts.map((contact) => contact.id));
		expect(deliveries.map((delivery) => delivery.status)).toEqual(contacts.map(() => 'delivered'));

		const executions = await newFinishedExecutions(before, SERIES);
		const byExecution = workersOf(executions, `${SERIES} contact.created deliveries:`);
		expect(executions.map((execution) => execution.status)).toEqual(executions.map(() => 'success'));
		const workers = executions.map((execution) => byExecution.get(execution.id));
		expect(workers.filter((worker) => worker === undefined)).toEqual([]);
		expect(new Set(workers)).toEqual(new Set(['worker 1', 'worker 2']));

		for (const contact of contacts) {
			expect(recordsOf(contact.id).map((row) => [row.NAME, row.LAST_NAME])).toEqual([['Jonas', contact.person?.lastName]]);
		}
	});

	describe('contact.created and contact.changed of a new contact arriving together', () => {
		const pairs: Array<{ id: string; lastName: string }> = [];
		let pairExecutions: ExecutionSummary[] = [];
		let pairWorkers = new Map<string, string>();

		beforeAll(async () => {
			const before = await syncExecutionIds();
			for (let index = 0; index < PAIRS; index++) {
				const created = newPerson(`Paar-${index}-${randomUUID().slice(0, 6)}`);
				const lastName = `Paar-${index}-geändert`;
				sb().lexoffice.simulate.changeContact(created.id, { person: { salutation: 'Herr', firstName: 'Jonas', lastName } });
				pairs.push({ id: created.id, lastName });
				await delay(4 * STAGGER_MS);
			}
			await deliver(pairs.map((pair) => pair.id));
			pairExecutions = await newFinishedExecutions(before, 2 * PAIRS);
			pairWorkers = workersOf(pairExecutions, `${PAIRS} contacts, created + changed together:`);
		}, 8 * 60_000);

		it('executes both deliveries of every contact, spread over both workers, and the contact reaches Bitrix24', () => {
			const deliveries = sb().lexoffice.webhooks.deliveries().filter((delivery) => pairs.some((pair) => pair.id === delivery.resourceId));
			expect(deliveries.map((delivery) => delivery.status)).toEqual(pairs.flatMap(() => ['delivered', 'delivered']));
			expect(pairExecutions.map((execution) => execution.status)).toEqual(pairExecutions.map(() => 'success'));
			expect(new Set(pairExecutions.map((execution) => pairWorkers.get(execution.id)))).toEqual(new Set(['worker 1', 'worker 2']));
			for (const pair of pairs) expect(recordsOf(pair.id).length).toBeGreaterThanOrEqual(1);
		});
	});
});
