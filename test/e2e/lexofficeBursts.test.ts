/**
 * Bursts of LexOffice events in a real n8n 2.41.1 (one regular process, SQLite) running the
 * bundled incremental-sync workflow unchanged, against both sandboxes (issue #15):
 * 20 contacts × created + changed + changed at once end as one Bitrix24 record each with the
 * newest data; a delivery replayed after a restart of n8n starts nothing (issue #11 item 6);
 *
 * Not here: how fast each delivery is answered (issue #15 asks for 2xx within 1 s, also for 300
 * deliveries in 2 s). That depends on the machine, so it is no test of `npm test`; the records must
 * come out right even when LexOffice delivers again after a late answer, and that is asserted.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

import axios from 'axios';

import { bundledWorkflow, createSandboxCredentials, pollUntil, startN8n, type N8nInstance } from '../harness';
import { startBitrix24Sandbox } from '../sandbox/bitrix24';
import { startLexofficeSandbox, type WebhookDelivery } from '../sandbox/lexoffice';

type LexofficeSandbox = Awaited<ReturnType<typeof startLexofficeSandbox>>;
type Bitrix24Sandbox = Awaited<ReturnType<typeof startBitrix24Sandbox>>;

const SYNC = 'lexoffice-bitrix24-incremental-sync';
jest.setTimeout(300_000);
/**
 * n8n 2.41's default "vm" expression engine builds a fresh isolate for every webhook request of a
 * node other than n8n's own Webhook node (LiveWebhooks.webhookPhaseNeedsIsolate; the pool of 1 is
 * disposed and replenished after each request), before the trigger's code runs. In a burst that
 * alone takes longer than LexOffice's 5 s on a busy machine, whatever the trigger does. Set
 * BURSTS_N8N_ENGINE=vm to see it; the documented setting for burst-heavy installations is the
 * legacy engine (README, "Bursts of events").
 */
const N8N_ENV: Record<string, string> = { N8N_EXPRESSION_ENGINE: process.env.BURSTS_N8N_ENGINE ?? 'legacy' };

describe('bursts of LexOffice events in a real n8n', () => {
	let n8n: N8nInstance | undefined;
	let lexoffice: LexofficeSandbox | undefined;
	let bitrix24: Bitrix24Sandbox | undefined;
	let userFolder = '';
	let apiKey = '';
	let syncId = '';

	const api = (): N8nInstance => {
		if (!n8n) throw new Error('n8n did not start (see beforeAll)');
		return n8n;
	};
	const lx = (): LexofficeSandbox => lexoffice as LexofficeSandbox;
	const bx = (): Bitrix24Sandbox => bitrix24 as Bitrix24Sandbox;
	// The template carries no webhookId: n8n gives each import its own (issue #13).
	let triggerWebhookId = '';
	const callbackUrl = () => api().webhookUrl(`${triggerWebhookId}/webhook`);
	/** Deliveries LexOffice would send again: not answered 2xx at their first attempt (§6.5). */
	const deliveredTwice = (deliveries: WebhookDelivery[]) =>
		deliveries
			.filter((delivery) => {
				const [first] = delivery.attempts;
				return (
					delivery.attempts.length !== 1 || first.status === undefined || first.status < 200 || first.status >= 300
				);
			})
			.map(
				(delivery) =>
					`${delivery.eventType} ${delivery.resourceId}: ${JSON.stringify(delivery.attempts.map((attempt) => [attempt.status ?? attempt.error, attempt.answeredAfterMs]))}`,
			);
	/** Lets every first attempt finish (a retry follows only a late or bad answer; the records must be right either way). */
	const firstAttempts = async () => await lx().webhooks.flush({ timeoutMs: 60_000, pendingRetries: false });

	/** Waits until no new execution has appeared for a while (executions start after the fetch, paced at 2/s). */
	const executionsSettled = async () => {
		let last = -1;
		await pollUntil(
			async () => {
				const count = (await api().executionSummaries(syncId)).filter(
					(execution) => execution.finished || execution.status !== 'running',
				).length;
				const running = (await api().executionSummaries(syncId)).some((execution) =>
					['new', 'running'].includes(execution.status),
				);
				const stable = count === last && !running;
				last = count;
				return stable ? true : undefined;
			},
			{ what: 'executions to stop appearing', timeoutMs: 180_000, intervalMs: 5_000 },
		);
	};

	beforeAll(async () => {
		lexoffice = await startLexofficeSandbox({ limits: 'off', timeScale: 0.001 });
		bitrix24 = await startBitrix24Sandbox({ limits: 'off' });
		userFolder = await mkdtemp(path.join(os.tmpdir(), 'n8n-e2e-bursts-'));
		n8n = await startN8n({ userFolder, env: N8N_ENV });
		({ apiKey } = await createSandboxCredentials(n8n, lexoffice, bitrix24));
		syncId = (await n8n.importWorkflow(bundledWorkflow(SYNC))).id;
		triggerWebhookId = await n8n.webhookIdOf(syncId, 'Contact created or changed');
		await n8n.publish(syncId);
		await n8n.waitPublished(syncId);
	}, 10 * 60_000);

	afterAll(async () => {
		await n8n?.stop();
		await lexoffice?.close();
		await bitrix24?.close();
		if (userFolder) await rm(userFolder, { recursive: true, force: true });
	}, 60_000);

	it('ends 20 contacts × created + changed + changed, all at once, as one record each with the newest data', async () => {
		const finals = Array.from({ length: 20 }, (_, n) => {
			const created = lx().simulate.createContact({
				version: 0,
				roles: { customer: {} },
				person: { salutation: 'Herr', firstName: 'Jörg', lastName: `Bäcker-${n}` },
				emailAddresses: { private: [`joerg.baecker.${n}.${randomUUID().slice(0, 6)}@example.de`] },
			} as never);
			// A typo fixed right after saving, twice: three events within a second.
			lx().simulate.changeContact(created.id, {
				person: { salutation: 'Herr', firstName: 'Jörg', lastName: `Bäcker-${n}-korrigiert` },
			});
			return lx().simulate.changeContact(created.id, {
				person: { salutation: 'Herr', firstName: 'Jörg', lastName: `Bäcker-${n}-final` },
			});
		});
		await firstAttempts();
		const burst = lx()
			.webhooks.deliveries()
			.filter((delivery) => finals.some((contact) => contact.id === delivery.resourceId));
		// How many LexOffice would send again (answered late or not 2xx): reported, not asserted (machine speed).
		process.stdout.write(
			`bursts: ${deliveredTwice(burst).length} of ${burst.length} deliveries not answered 2xx at the first attempt\n`,
		);
		await pollUntil(
			async () =>
				finals.every((contact) =>
					bx().state.contacts.some(
						(row) => row.ORIGIN_ID === contact.id && String(row.ORIGIN_VERSION).startsWith(`${contact.version}/`),
					),
				)
					? true
					: undefined,
			{ what: 'the newest version of every contact in Bitrix24', timeoutMs: 180_000, intervalMs: 1_000 },
		);
		await executionsSettled();

		const perContact = finals.map((contact) => {
			const records = bx().state.contacts.filter((row) => row.ORIGIN_ID === contact.id);
			return {
				id: contact.id,
				records: records.length,
				lastName: records[0]?.LAST_NAME,
				version: String(records[0]?.ORIGIN_VERSION).split('/')[0],
			};
		});
		expect(perContact).toEqual(
			finals.map((contact, n) => ({
				id: contact.id,
				records: 1,
				lastName: `Bäcker-${n}-final`,
				version: String(contact.version),
			})),
		);
		expect(bx().state.requisites.filter((row) => finals.some((contact) => contact.id === row.XML_ID))).toHaveLength(
			finals.length,
		);
	});

	it('starts nothing for a delivery replayed after n8n restarted', async () => {
		const delivered = lx()
			.webhooks.deliveries()
			.find((delivery) => delivery.status === 'delivered');
		if (!delivered) throw new Error('no delivery was delivered in the test before');
		await api().stop();
		n8n = await startN8n({ userFolder, installPackage: null, env: N8N_ENV });
		await n8n.login();
		n8n.useApiKey(apiKey);
		await pollUntil(
			async () =>
				(await axios.head(callbackUrl(), { validateStatus: () => true, proxy: false })).status === 200
					? true
					: undefined,
			{ what: 'the trigger to be live again after the restart', timeoutMs: 60_000 },
		);
		// A started execution would load the contact (Get the contact): count those reads.
		const reads = () => lx().requests.count({ method: 'GET', pathIncludes: `/v1/contacts/${delivered.resourceId}` });
		const before = reads();
		const replay = await axios.post(callbackUrl(), delivered.body, {
			headers: { 'Content-Type': 'application/json', 'X-Lxo-Signature': delivered.signature },
			validateStatus: () => true,
			proxy: false,
		});
		expect([replay.status, replay.data]).toEqual([200, { message: 'Duplicate delivery; ignored' }]);
		// Give a (wrongly) started execution time to show up before comparing.
		await delay(3_000);
		expect(reads()).toBe(before);
	});
});
