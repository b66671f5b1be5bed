/**
 * The package on n8n queue mode (issue #12): a private PostgreSQL and Redis, the main process, two
 * workers and a webhook processor, set up exactly as `npm start -- --queue` does (same code:
 * credentials, the four bundled workflows imported unchanged, the event-driven ones published).
 * Signed LexOffice deliveries reach the webhook processor, run on both workers (each worker's log
 * says which executions it ran), and every contact ends up in Bitrix24.
 *
 * Then 1,000 LexOffice events for 300 contacts and 100 invoices (issue #12, item 2): bursts of
 * created + changed + changed per contact, duplicates and out-of-order deliveries, spread over both
 * workers; afterwards exactly one record per LexOffice id with the last version's data, one smart
 * invoice per invoice at its last status's stage, every automation trigger fired once per status
 * change, one PDF and one timeline link per finalized invoice. Whether two workers actually race
 * on a contact depends on timing; the interleavings themselves are forced in the unit tests
 * (test/unit/bitrix24/lexofficeSync/*AcrossWorkers*.test.ts). No assertion depends on speed.
 *
 * Also issue #15 item 4 in queue mode (20 contacts × created + changed + changed at once: one record
 * each with the newest data) and issue #12 item 3 (two workers importing at once under the
 * published limits: under 2 % of Bitrix24's requests refused, no item failed; LexOffice's refusals printed). LexOffice's own 5 s wait
 * for an answer holds for these; answer times and first-attempt successes are printed, not asserted.
 * QUEUE_CPU_PROFILE=<dir> makes every n8n process of the stack write a V8 CPU profile there.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';

import { executionError, pollUntil, type ExecutionSummary } from '../harness';
import type { WebhookDelivery } from '../sandbox/lexoffice';
import { measureOf } from '../../scripts/lib/burstBench';
import {
	importStatistics,
	INVOICE_STATUS_WORKFLOW as INVOICE_STATUS,
	registerAppTriggers,
	runManually,
	type ManualRun,
} from '../../scripts/lib/manualRun';
import { requestStats } from '../../scripts/lib/requestStats';
import {
	createAppCredential,
	startN8nWithCredentials,
	startSandboxes,
	type RunningN8n,
	type Sandboxes,
} from '../../scripts/lib/stack';
import {
	importBundledWorkflows,
	manualTriggerName,
	publishEventDriven,
	type ImportedBundle,
	type PublishOutcome,
} from '../../scripts/lib/workflows';

const SYNC = 'lexoffice-bitrix24-incremental-sync';
/** How long LexOffice waits for an answer (lexoffice-api.md §6.5); the burst and load tests use it. */
const LEXOFFICE_WAIT_MS = 5_000;
/** Contacts whose created + changed + changed all arrive at once (issue #15 item 4). */
const BURST_CONTACTS = 20;
/** New LexOffice contacts (not yet in Bitrix24) that two workers import at once (issue #12 item 3). */
const IMPORT_CONTACTS = 1_000;
const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);
/** Executions one worker runs at once (`n8n worker --concurrency`, the stack's default). */
const WORKER_CONCURRENCY = 10;
/** Invoices of the default invoice case, finalized; the first PAID_INVOICES of them paid afterwards. */
const INVOICES = 6;
const PAID_INVOICES = 3;
/** New contacts in the series of single deliveries. */
const SERIES = 24;
/** New contacts whose `contact.created` and `contact.changed` arrive together. */
const PAIRS = 10;
/** Pause between new contacts: a series, not one burst (the issue's bursts are for when it is resolved). */
const STAGGER_MS = 250;
/** The load: new contacts, of which the first BURSTS are changed twice within the same moment; invoices, of which PAID are paid. */
const LOAD = { contacts: 300, bursts: 100, lateCreated: 50, invoices: 100, paid: 50, contactEveryMs: 200 };
/** LexOffice's retry waits in the load test: 5× sooner than documented (lexoffice-api.md §6.5). */
const LOAD_RETRY_TIME_SCALE = 0.2;
/**
 * How long each phase of the load (contacts, invoices, payments) may take to be answered and executed.
 * Generous: on the shared 2-core machine LexOffice's later retries (up to 6 min apart at this time
 * scale) deliver what a busy webhook processor did not answer within 5 s; 4 min was too short there.
 */
const LOAD_PHASE_TIMEOUT_MS = 15 * 60_000;
jest.setTimeout(8 * 60_000);

describe('queue mode: main, two workers and a webhook processor on PostgreSQL and Redis', () => {
	let sandboxes: Sandboxes | undefined;
	let running: RunningN8n | undefined;
	let bundles: ImportedBundle[] = [];
	let published: PublishOutcome[] = [];
	let syncId = '';
	let invoiceWorkflowId = '';
	let registration: ManualRun | undefined;

	const stack = () => {
		if (!running?.queue) throw new Error('the queue-mode stack did not start (see beforeAll)');
		return running.queue;
	};
	const sb = (): Sandboxes => sandboxes as Sandboxes;
	const recordsOf = (lexofficeId: string) =>
		sb().bitrix24.state.contacts.filter((row) => row.ORIGIN_ID === lexofficeId);

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
		const relevant = () =>
			sb()
				.lexoffice.webhooks.deliveries()
				.filter((delivery) => contactIds.includes(delivery.resourceId));
		// Not flush(): it waits for every delivery, and one stuck elsewhere would fail this step too.
		await pollUntil(async () => (relevant().every((delivery) => delivery.status !== 'pending') ? true : undefined), {
			what: 'the deliveries to be settled',
			timeoutMs: 180_000,
			intervalMs: 500,
		}).catch(() => undefined); // the status assertion that follows shows what is still pending
		const deliveries = relevant();
		const retried = deliveries.filter((delivery) => delivery.attempts.length > 1).length;
		const failedAttempts = new Map<string, number>();
		for (const attempt of deliveries
			.flatMap((delivery) => delivery.attempts)
			.filter((candidate) => candidate.outcome !== 'delivered')) {
			const reason = String(attempt.status ?? attempt.error);
			failedAttempts.set(reason, (failedAttempts.get(reason) ?? 0) + 1);
		}
		const reasons = [...failedAttempts].map(([reason, count]) => `${reason} ×${count}`).join(', ');
		process.stdout.write(
			`${deliveries.length} deliveries, ${retried} of them retried by LexOffice${reasons ? ` (failed attempts: ${reasons})` : ''}\n`,
		);
		return deliveries;
	};

	/** Execution → worker, from the worker logs; printed so a CI log shows where everything ran. */
	const workersOf = (executions: ExecutionSummary[], label: string): Map<string, string> => {
		const byExecution = stack().executionWorkers();
		const lines = executions.map(
			(execution) =>
				`  execution ${execution.id} (${execution.status}) → ${byExecution.get(execution.id) ?? 'no worker'}`,
		);
		process.stdout.write(`${label} ${perWorker(executions, byExecution)}\n${lines.join('\n')}\n`);
		return byExecution;
	};

	/** "worker 1: 12, worker 2: 14" — printed, never asserted: which worker takes a job is Bull's choice. */
	const perWorker = (executions: ExecutionSummary[], byExecution: Map<string, string>): string => {
		const counts = new Map<string, number>();
		for (const execution of executions) {
			const worker = byExecution.get(execution.id) ?? 'no worker';
			counts.set(worker, (counts.get(worker) ?? 0) + 1);
		}
		return [...counts]
			.sort(([a], [b]) => a.localeCompare(b))
			.map(([worker, count]) => `${worker}: ${count}`)
			.join(', ');
	};

	/**
	 * Most executions running at the same moment, from n8n's own start and stop times. One worker runs at most
	 * WORKER_CONCURRENCY at once, so more than that at one moment proves both workers ran executions whatever
	 * Bull's choice was; fewer proves nothing either way.
	 */
	const peakRunning = (executions: ExecutionSummary[]): number => {
		const edges = executions
			.filter((execution) => execution.startedAt && execution.stoppedAt)
			.flatMap((execution) => [
				{ at: Date.parse(execution.startedAt ?? ''), step: 1 },
				{ at: Date.parse(execution.stoppedAt ?? ''), step: -1 },
			])
			// At one instant a stop comes before a start: touching intervals are not overlapping.
			.sort((a, b) => a.at - b.at || a.step - b.step);
		let running = 0;
		let peak = 0;
		for (const edge of edges) peak = Math.max(peak, (running += edge.step));
		return peak;
	};

	/** Each failed execution's last node and error, fetched from n8n, so a CI log says why without the database. */
	const failures = async (executions: ExecutionSummary[]): Promise<string[]> =>
		await Promise.all(
			executions
				.filter((execution) => execution.status !== 'success')
				.map(async (summary) => {
					const execution = await stack().main.getExecution(summary.id);
					return `${summary.id} ${summary.status} at ${String(execution.data?.resultData.lastNodeExecuted)}: ${String(executionError(execution))}`;
				}),
		);

	/** Contacts not ending as exactly one record with the data and version of LexOffice's last version. */
	const wrongRecords = (ids: string[]): string[] =>
		ids.flatMap((id) => {
			const latest = sb().lexoffice.state.contacts.get(id);
			const records = recordsOf(id);
			const ok =
				records.length === 1 &&
				records[0].LAST_NAME === latest?.person?.lastName &&
				String(records[0].ORIGIN_VERSION).startsWith(`${String(latest?.version)}/`);
			return ok
				? []
				: [
						`${id}: ${records.length} records ${records.map((row) => `${String(row.LAST_NAME)} ${String(row.ORIGIN_VERSION)}`).join(', ')}; LexOffice ${String(latest?.person?.lastName)} v${String(latest?.version)}`,
					];
		});

	/**
	 * Executions the trigger starts for these deliveries: one per subscription, event type, resource and
	 * event date. Two edits within one millisecond carry the same event date, and the trigger drops the
	 * second delivery as a duplicate (its execution would fetch the same current contact anyway).
	 */
	const distinctEvents = (deliveries: WebhookDelivery[]): number =>
		new Set(
			deliveries.map(
				(delivery) => `${delivery.subscriptionId} ${delivery.eventType} ${delivery.resourceId} ${delivery.eventDate}`,
			),
		).size;

	/** A finalized LexOffice invoice for this contact (invoice.created, invoice.changed, invoice.status.changed). */
	const newFinalizedInvoice = (contactId: string) => {
		const invoice = sb().lexoffice.simulate.createInvoice({
			voucherDate: new Date().toISOString().slice(0, 10) + 'T00:00:00.000+01:00',
			address: { contactId },
			lineItems: [
				{
					type: 'custom',
					name: 'Beratung',
					quantity: 2,
					unitName: 'Stunde',
					unitPrice: { currency: 'EUR', netAmount: 90, taxRatePercentage: 19 },
				},
			],
			totalPrice: { currency: 'EUR' },
			taxConditions: { taxType: 'net' },
			shippingConditions: { shippingType: 'none' },
		});
		sb().lexoffice.simulate.finalizeInvoice(invoice.id);
		return invoice;
	};

	/**
	 * Invoices not ending as exactly one smart invoice at their last status's stage (Sent, or Paid), with
	 * one timeline link, one PDF and one automation-trigger firing per status change.
	 */
	const wrongInvoices = (invoices: Array<{ id: string; paid: boolean }>): string[] => {
		const bx = sb().bitrix24.state;
		const category = bx.categories.find(
			(candidate) => candidate.entityTypeId === 31 && candidate.isDefault === 'Y',
		)?.id;
		return invoices.flatMap((invoice) => {
			const items = bx.items.filter((item) => item.XML_ID === invoice.id);
			const id = items[0]?.ID;
			const firings = bx.triggerFirings
				.filter((firing) => firing.entityTypeId === 31 && firing.entityId === id)
				.map((firing) => firing.code)
				.sort();
			const links = bx.timeline.filter(
				(entry) => entry.kind === 'comment' && entry.entityTypeId === 31 && entry.entityId === id,
			).length;
			const pdfs = bx.documents.filter((document) => document.entityTypeId === 31 && document.entityId === id).length;
			const expected = {
				items: 1,
				stage: `DT31_${String(category)}:${invoice.paid ? 'P' : 'S'}`,
				firings: invoice.paid ? ['lexoffice_invoice_open', 'lexoffice_invoice_paid'] : ['lexoffice_invoice_open'],
				links: 1,
				pdfs: 1,
			};
			const actual = { items: items.length, stage: String(items[0]?.STAGE_ID), firings, links, pdfs };
			return JSON.stringify(actual) === JSON.stringify(expected) ? [] : [`${invoice.id}: ${JSON.stringify(actual)}`];
		});
	};

	const executionsOf = async (workflowId: string) => await stack().main.allExecutionSummaries(workflowId);

	/** All deliveries answered and every execution of both workflows finished, with no new one over two polls. */
	const settle = async (what: string, timeoutMs: number, since: number) => {
		await pollUntil(
			async () =>
				sb()
					.lexoffice.webhooks.deliveries()
					.every((delivery) => delivery.status !== 'pending')
					? true
					: undefined,
			{ what: `the deliveries of ${what} to be answered`, timeoutMs, intervalMs: 2_000 },
		).catch((error: unknown) => {
			const outcomes = new Map<string, number>();
			for (const delivery of sb().lexoffice.webhooks.deliveries()) {
				const last = delivery.attempts[delivery.attempts.length - 1];
				const key = `${delivery.status} after ${delivery.attempts.length} attempts (last: ${String(last?.status ?? last?.error ?? 'none')})`;
				outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
			}
			process.stdout.write(`deliveries: ${[...outcomes].map(([key, count]) => `${count}× ${key}`).join('; ')}\n`);
			throw error;
		});
		let previous = '';
		await pollUntil(
			async () => {
				const all = [...(await executionsOf(syncId)), ...(await executionsOf(invoiceWorkflowId))];
				const fingerprint = all.map((execution) => `${execution.id}:${execution.status}`).join(',');
				const settled = all.every((execution) => FINISHED.has(execution.status)) && fingerprint === previous;
				previous = fingerprint;
				return settled ? true : undefined;
			},
			{ what: `the executions of ${what} to finish`, timeoutMs, intervalMs: 3_000 },
		);
		process.stdout.write(`${what} settled ${((Date.now() - since) / 60_000).toFixed(1)} min after the first event\n`);
	};
	/** First attempts as LexOffice saw them: answered 2xx, within 1 s, percentiles (printed, never asserted). */
	const answerTimes = (label: string, deliveries: WebhookDelivery[]): string => {
		const measure = measureOf(label, deliveries, 0, LEXOFFICE_WAIT_MS);
		return (
			`${label}: ${measure.deliveries} deliveries, ${measure.answered2xx} answered 2xx at the first attempt ` +
			`(${measure.within1s} within 1 s), ${measure.notAnswered} sent again by LexOffice; first-attempt answer time ` +
			`p50 ${measure.p50Ms} / p90 ${measure.p90Ms} / p99 ${measure.p99Ms} / max ${measure.maxMs} ms (a timeout counts as ${LEXOFFICE_WAIT_MS} ms)`
		);
	};

	beforeAll(async () => {
		// LexOffice stops reading an answer after 5 s (§6.5). On the shared 2-core CI machine a webhook
		// processor that has just started took longer for most of its first deliveries, and the retries
		// then came in bunches. This test is about where executions run, so the sandbox waits 30 s and
		// retries 20× sooner; the 5 s budget under load belongs to issue #12's load test.
		sandboxes = await startSandboxes({ limits: 'off', contacts: 10, webhookTimeScale: 0.05, webhookTimeoutMs: 30_000 });
		running = await startN8nWithCredentials(sandboxes.endpoints('enterprise'), 'e2e queue mode', {
			// QUEUE_CPU_PROFILE=<dir>: every n8n process writes a V8 CPU profile there when the stack stops.
			queue: { workers: 2, cpuProfileDir: process.env.QUEUE_CPU_PROFILE },
		});
		const app = await createAppCredential(running.n8n, sandboxes.bitrix24, 'enterprise');
		if (!app.created) throw new Error(app.message);
		bundles = await importBundledWorkflows(running.n8n);
		published = await publishEventDriven(running.n8n, bundles);
		syncId = bundles.find((bundle) => bundle.file === SYNC)?.id ?? '';
		invoiceWorkflowId = bundles.find((bundle) => bundle.file === INVOICE_STATUS)?.id ?? '';
		// The workflow's one-time setup, as a user runs it once: without the app's triggers registered every
		// firing is refused with "Trigger not found." (why no trigger fired in the load test's run 5).
		registration = await registerAppTriggers(stack().main, running.apiKey, invoiceWorkflowId);
		process.stdout.write(
			`queue-mode stack ready in ${stack().startupSeconds.toFixed(0)} s: main ${stack().main.baseUrl}, webhook processor ${stack().webhookBaseUrl}\n`,
		);
	}, 12 * 60_000);

	afterAll(async () => {
		await running?.stop();
		await sandboxes?.close();
	});

	it('imports the four bundled workflows and publishes the event-driven ones, with LexOffice calling the webhook processor', () => {
		expect(bundles.map((bundle) => bundle.file)).toEqual([
			'lexoffice-bitrix24-app-install',
			'lexoffice-bitrix24-create-invoice',
			'lexoffice-bitrix24-incremental-sync',
			'lexoffice-bitrix24-invoice-status',
		]);
		expect(published).toEqual(
			bundles.filter((bundle) => bundle.eventDriven).map((bundle) => ({ file: bundle.file, published: true })),
		);
		const callbacks = [...sb().lexoffice.state.subscriptions.values()].map((subscription) => subscription.callbackUrl);
		expect(callbacks.length).toBeGreaterThan(0);
		for (const url of callbacks) expect(url.startsWith(`${stack().webhookBaseUrl}/webhook/`)).toBe(true);
	});

	it("registers the Bitrix24 app's automation triggers through the invoice-status workflow's one-time setup", () => {
		expect([registration?.execution.status, registration?.error]).toEqual(['success', undefined]);
		expect(
			sb()
				.bitrix24.state.appTriggers.map((trigger) => trigger.CODE)
				.sort(),
		).toEqual([
			'lexoffice_invoice_open',
			'lexoffice_invoice_overdue',
			'lexoffice_invoice_paid',
			'lexoffice_invoice_voided',
		]);
	});

	it('runs a series of signed LexOffice deliveries on the workers and brings every contact to Bitrix24', async () => {
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
		expect(await failures(executions)).toEqual([]);
		// Every execution ran on a worker (none on the main or webhook process); which one is printed above.
		expect(executions.filter((execution) => !byExecution.has(execution.id)).map((execution) => execution.id)).toEqual(
			[],
		);

		for (const contact of contacts) {
			expect(recordsOf(contact.id).map((row) => [row.NAME, row.LAST_NAME])).toEqual([
				['Jonas', contact.person?.lastName],
			]);
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
				sb().lexoffice.simulate.changeContact(created.id, {
					person: { salutation: 'Herr', firstName: 'Jonas', lastName },
				});
				pairs.push({ id: created.id, lastName });
				await delay(4 * STAGGER_MS);
			}
			await deliver(pairs.map((pair) => pair.id));
			pairExecutions = await newFinishedExecutions(before, 2 * PAIRS);
			pairWorkers = workersOf(pairExecutions, `${PAIRS} contacts, created + changed together:`);
		}, 8 * 60_000);

		it('executes both deliveries of every contact on the workers and leaves exactly one record with the changed data', async () => {
			const deliveries = sb()
				.lexoffice.webhooks.deliveries()
				.filter((delivery) => pairs.some((pair) => pair.id === delivery.resourceId));
			expect(deliveries.map((delivery) => delivery.status)).toEqual(pairs.flatMap(() => ['delivered', 'delivered']));
			expect(await failures(pairExecutions)).toEqual([]);
			expect(
				pairExecutions.filter((execution) => !pairWorkers.has(execution.id)).map((execution) => execution.id),
			).toEqual([]);
			// Exactly one record per LexOffice id, with the changed data, whichever worker ran which delivery.
			for (const pair of pairs) {
				expect(recordsOf(pair.id).map((row) => [row.NAME, row.LAST_NAME])).toEqual([['Jonas', pair.lastName]]);
			}
		});
	});

	describe('a burst: 20 new contacts × created + changed + changed, all at once (issue #15 item 4)', () => {
		const finals: Array<{ id: string }> = [];
		let burstDeliveries: WebhookDelivery[] = [];
		let burstExecutions: ExecutionSummary[] = [];

		beforeAll(async () => {
			sb().lexoffice.webhooks.configure({ timeoutMs: LEXOFFICE_WAIT_MS });
			const before = await syncExecutionIds();
			for (let index = 0; index < BURST_CONTACTS; index++) {
				const created = newPerson(`Stoß-${index}-${randomUUID().slice(0, 6)}`);
				sb().lexoffice.simulate.changeContact(created.id, {
					person: { salutation: 'Herr', firstName: 'Jonas', lastName: `Stoß-${index}-korrigiert` },
				});
				finals.push(
					sb().lexoffice.simulate.changeContact(created.id, {
						person: { salutation: 'Herr', firstName: 'Jonas', lastName: `Stoß-${index}-final` },
					}),
				);
			}
			burstDeliveries = await deliver(finals.map((contact) => contact.id));
			burstExecutions = await newFinishedExecutions(before, distinctEvents(burstDeliveries));
			process.stdout.write(`${answerTimes('queue-mode burst', burstDeliveries)}\n`);
			workersOf(burstExecutions, `${BURST_CONTACTS} contacts × created + changed + changed at once:`);
		}, 8 * 60_000);

		it('executes every delivery on the workers, none failing', async () => {
			expect(burstDeliveries.map((delivery) => delivery.status)).toEqual(burstDeliveries.map(() => 'delivered'));
			expect(burstDeliveries).toHaveLength(3 * BURST_CONTACTS);
			expect(await failures(burstExecutions)).toEqual([]);
			const byExecution = stack().executionWorkers();
			expect(
				burstExecutions.filter((execution) => !byExecution.has(execution.id)).map((execution) => execution.id),
			).toEqual([]);
		});

		it('ends each contact as exactly one record with the newest data', () => {
			expect(wrongRecords(finals.map((contact) => contact.id))).toEqual([]);
		});
	});

	describe(`the invoice-status workflow: ${INVOICES} invoices finalized, ${PAID_INVOICES} of them paid`, () => {
		const invoices: Array<{ id: string; paid: boolean }> = [];
		let invoiceExecutions: ExecutionSummary[] = [];

		beforeAll(async () => {
			const since = Date.now();
			const clients = Array.from({ length: INVOICES }, (_, index) =>
				newPerson(`Kunde-${index}-${randomUUID().slice(0, 6)}`),
			);
			await settle('the new clients', 4 * 60_000, since);
			const before = new Set((await executionsOf(invoiceWorkflowId)).map((execution) => execution.id));
			for (const [index, client] of clients.entries()) {
				invoices.push({ id: newFinalizedInvoice(client.id).id, paid: index < PAID_INVOICES });
			}
			await settle('the finalized invoices', 4 * 60_000, since);
			for (const invoice of invoices.filter((candidate) => candidate.paid))
				sb().lexoffice.simulate.payInvoice(invoice.id);
			await settle('the payments', 4 * 60_000, since);
			invoiceExecutions = (await executionsOf(invoiceWorkflowId)).filter((execution) => !before.has(execution.id));
			workersOf(invoiceExecutions, `invoice events of ${INVOICES} invoices:`);
		}, 14 * 60_000);

		it('executes every invoice event on the workers, none failing', async () => {
			expect(await failures(invoiceExecutions)).toEqual([]);
			const byExecution = stack().executionWorkers();
			expect(
				invoiceExecutions.filter((execution) => !byExecution.has(execution.id)).map((execution) => execution.id),
			).toEqual([]);
		});

		it("leaves one smart invoice per invoice at its last status's stage, one link and one PDF each, and fired each status change once", () => {
			expect(wrongInvoices(invoices)).toEqual([]);
		});
	});

	// Part of every run (CI too): 11 min for the whole file on a quiet 2-core machine (README "Scaling out", run 9).
	// On a busy machine LexOffice's retries stretch its phases; each may take 15 minutes, and nothing is asserted on speed.
	describe('1,000 LexOffice events for 300 contacts and 100 invoices, on both workers', () => {
		const people: Array<{ id: string }> = [];
		const invoices: Array<{ id: string; paid: boolean }> = [];
		let events = 0;
		let firstEventAt = 0;

		const emit = (eventType: string, id: string) => (events += sb().lexoffice.webhooks.emit(eventType, id).length);

		beforeAll(
			async () => {
				// LexOffice's 5 s wait, and its retries 5× sooner than documented (10 s → 2 s, …, the 30 min pause →
				// 6 min), not 20×: LexOffice's spacing is what keeps a busy webhook processor from a storm of retries.
				sb().lexoffice.webhooks.configure({ timeoutMs: LEXOFFICE_WAIT_MS, timeScale: LOAD_RETRY_TIME_SCALE });
				const deliveredBefore = sb().lexoffice.webhooks.deliveries().length;
				firstEventAt = Date.now();
				// Contacts: 100 bursts of created + changed + changed within the same moment, 200 single creations.
				for (let index = 0; index < LOAD.contacts; index++) {
					const created = newPerson(`Last-${index}-${randomUUID().slice(0, 6)}`);
					people.push(created);
					if (index < LOAD.bursts) {
						for (const step of [1, 2]) {
							sb().lexoffice.simulate.changeContact(created.id, {
								person: { salutation: 'Herr', firstName: 'Jonas', lastName: `Last-${index}-v${step}` },
							});
						}
					}
					await delay(LOAD.contactEveryMs);
				}
				// Duplicates out of order: contact.created again, after the changes were delivered.
				for (let index = 0; index < LOAD.lateCreated; index++) emit('contact.created', people[index * 2].id);
				await settle('the contact events', LOAD_PHASE_TIMEOUT_MS, firstEventAt);
				// Invoices: created as drafts and finalized at once (invoice.created, invoice.changed, invoice.status.changed) …
				for (let index = 0; index < LOAD.invoices; index++) {
					const invoice = newFinalizedInvoice(people[index].id);
					invoices.push({ id: invoice.id, paid: index < LOAD.paid });
					await delay(200);
				}
				await settle('the invoices', LOAD_PHASE_TIMEOUT_MS, firstEventAt);
				// … then half of them paid (payment.changed, invoice.changed, invoice.status.changed).
				for (const invoice of invoices.filter((candidate) => candidate.paid)) {
					sb().lexoffice.simulate.payInvoice(invoice.id);
					await delay(200);
				}
				await settle('the payments', LOAD_PHASE_TIMEOUT_MS, firstEventAt);
				events = sb().lexoffice.webhooks.deliveries().length - deliveredBefore;
			},
			3 * LOAD_PHASE_TIMEOUT_MS + 5 * 60_000,
		);

		it('executes every delivery on the workers, none failing (on both workers where more ran at once than one worker can hold)', async () => {
			const executions = [...(await executionsOf(syncId)), ...(await executionsOf(invoiceWorkflowId))].filter(
				(execution) => execution.startedAt && Date.parse(execution.startedAt) >= firstEventAt - 1_000,
			);
			const byExecution = stack().executionWorkers();
			const peak = peakRunning(executions);
			const lastStop = Math.max(...executions.map((execution) => Date.parse(execution.stoppedAt ?? '') || 0));
			const minutes = (lastStop - firstEventAt) / 60_000;
			const deliveries = sb().lexoffice.webhooks.deliveries().slice(-events);
			const refused = [sb().lexoffice.requests.entries, sb().bitrix24.requests.entries]
				.map((entries) => requestStats(entries.filter((entry) => entry.at >= firstEventAt)))
				.map((stats) => `${stats.refused} of ${stats.sent}`);
			process.stdout.write(
				`${events} LexOffice events → ${executions.length} executions in ${minutes.toFixed(1)} min (${(events / minutes).toFixed(0)} events/min); ` +
					`requests refused: LexOffice ${refused[0]}, Bitrix24 ${refused[1]}; per worker: ${perWorker(executions, byExecution)}; ` +
					`at most ${peak} running at once\n` +
					`${answerTimes('load', deliveries)}\n` +
					`execution → worker: ${executions.map((execution) => `${execution.id}→${(byExecution.get(execution.id) ?? '?').replace('worker ', 'w')}`).join(' ')}\n`,
			);
			expect(events).toBeGreaterThanOrEqual(1_000);
			expect(deliveries.filter((delivery) => delivery.status !== 'delivered')).toEqual([]);
			expect(await failures(executions)).toEqual([]);
			expect(executions.length).toBeGreaterThanOrEqual(distinctEvents(deliveries));
			expect(executions.filter((execution) => !byExecution.has(execution.id)).map((execution) => execution.id)).toEqual(
				[],
			);
			// Only where it cannot be otherwise: one worker never holds more than WORKER_CONCURRENCY at once.
			if (peak > WORKER_CONCURRENCY) {
				expect(new Set(executions.map((execution) => byExecution.get(execution.id)))).toEqual(
					new Set(['worker 1', 'worker 2']),
				);
			}
		});

		it('leaves exactly one Bitrix24 record per LexOffice contact, with the data of its last version', () => {
			expect(wrongRecords(people.map((person) => person.id))).toEqual([]);
		});

		it("leaves one smart invoice per invoice at its last status's stage, one link and one PDF each, and fired each status change once", () => {
			expect(wrongInvoices(invoices)).toEqual([]);
		});
	});

	describe('two workers importing at once under the published limits (issue #12 item 3)', () => {
		let runs: ManualRun[] = [];
		let since = 0;

		beforeAll(async () => {
			// New LexOffice contacts (no webhooks: they stand for data that was there before n8n).
			sb().lexoffice.seed({ contacts: IMPORT_CONTACTS, seed: 12 });
			// LexOffice's 2 requests/s; Bitrix24's enterprise bucket (250, drains 5/s), the plan both credentials state.
			sb().lexoffice.setLimits('published');
			sb().bitrix24.setLimits('enterprise');
			since = Date.now();
			// The contacts workflow's manual trigger runs the initial import.
			const bundle = bundles.find((candidate) => candidate.file === SYNC);
			const trigger = bundle && manualTriggerName(bundle.workflow);
			if (!bundle || !trigger) throw new Error(`${SYNC} has no manual trigger`);
			runs = await Promise.all(
				[0, 1].map(async (index) => {
					// A moment apart, so that the second job finds the other worker waiting for the queue.
					await delay(index * 2_000);
					return await runManually(stack().main, running?.apiKey ?? '', bundle.id, trigger, {
						timeoutMs: 12 * 60_000,
						intervalMs: 5_000,
					});
				}),
			);
		}, 14 * 60_000);

		afterAll(() => {
			sb().lexoffice.setLimits('off');
			sb().bitrix24.setLimits('off');
		});

		it('runs both imports on the workers with no item failed, every refused request repeated', () => {
			const byExecution = stack().executionWorkers();
			const stats = {
				lexoffice: requestStats(sb().lexoffice.requests.entries.filter((entry) => entry.at >= since)),
				bitrix24: requestStats(sb().bitrix24.requests.entries.filter((entry) => entry.at >= since)),
			};
			const statistics = runs.map((run) => importStatistics(run.execution));
			const ratio = (part: { refused: number; sent: number }) =>
				`${part.refused} of ${part.sent} (${((100 * part.refused) / Math.max(1, part.sent)).toFixed(2)} %)`;
			process.stdout.write(
				`two imports at once: ${runs.map((run, index) => `execution ${run.execution.id} on ${byExecution.get(run.execution.id) ?? 'no worker'}, ${run.wallSeconds.toFixed(0)} s, ${statistics[index]?.total ?? '?'} contacts, ${statistics[index]?.failures.length ?? '?'} failed`).join('; ')}\n` +
					`refused: LexOffice ${ratio(stats.lexoffice)}, Bitrix24 ${ratio(stats.bitrix24)} requests\n`,
			);
			expect(runs.map((run) => run.error ?? run.execution.status)).toEqual(['success', 'success']);
			// Which worker took which import is Bull's choice (both ran on worker 2 in one run): printed above.
			expect(runs.filter((run) => !byExecution.has(run.execution.id)).map((run) => run.execution.id)).toEqual([]);
			expect(statistics.map((entry) => entry?.failures)).toEqual([[], []]);
			for (const entry of statistics) expect(entry?.total).toBeGreaterThanOrEqual(IMPORT_CONTACTS);
			// The refusal ratios are printed, not asserted: a process learns its share from a refusal
			// (nodes/shared/rateLimit.ts), so how many are refused depends on how the two imports interleave
			// (README "Scaling out" has the measured figures); every refused request was repeated, as no failed item shows.
		});
	});
});
