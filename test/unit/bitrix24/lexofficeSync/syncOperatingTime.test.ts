/**
 * Bitrix24's operating-time limit (bitrix24-api.md §3.2; issue #10, item 5): the sandbox charges
 * server time per call (accounted, not slept) and refuses a method once 480 s were spent in its
 * 10-minute window. Sandbox and client share a virtual clock, so the waits cost no real time and
 * the test asserts on what the sandbox saw and on the waits the client chose, not on wall time.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { operatingTimeGuard } from '../../../../nodes/Bitrix24/transport/limits';
import { systemClock } from '../../../../nodes/shared/rateLimit';
import { crmSnapshot, startBitrix24Sandbox, type Bitrix24Sandbox } from '../../../sandbox/bitrix24';
import { generateLexofficeContacts, type SeedContact } from '../../../sandbox/seed';
import { runBitrix24 } from '../crm/helpers';
import { restCalls } from '../helpers';

const asItems = (contacts: SeedContact[]): INodeExecutionData[] =>
	contacts.map((contact) => ({ json: structuredClone(contact) as unknown as IDataObject }));

/** 2 s per write: 240 writes of one method fill its 480 s budget (as 9,600 writes of 50 ms would). */
const WRITE_MS = 2000;
const WINDOW_MS = 600_000;
const LIMIT_MS = 480_000;

describe('Sync Contacts against the operating-time limit', () => {
	jest.setTimeout(120_000);
	const clock = { time: Date.UTC(2026, 0, 5, 8, 0, 0), waits: [] as number[] };
	const virtual = {
		now: () => clock.time,
		sleep: async (ms: number) => {
			clock.waits.push(ms);
			clock.time += ms;
			await Promise.resolve();
		},
	};
	let sb: Bitrix24Sandbox;
	beforeAll(async () => {
		sb = await startBitrix24Sandbox({
			now: virtual.now,
			// The leaky bucket stays out of the way (the client paces to Enterprise); 480 s per 600 s as published.
			limits: {
				capacity: 100_000,
				drainPerSecond: 1000,
				operatingLimitSeconds: LIMIT_MS / 1000,
				operatingWindowSeconds: WINDOW_MS / 1000,
			},
			executionTimeMs: { write: WRITE_MS, read: 0 },
		});
		operatingTimeGuard.useClock(virtual);
	});
	afterAll(async () => {
		operatingTimeGuard.useClock(systemClock);
		await sb.close();
	});

	it('an import that meets OPERATION_TIME_LIMIT completes with no failures, waiting no longer than the limit requires', async () => {
		const contacts = generateLexofficeContacts(300, 31);
		const startedAt = clock.time;
		const { json } = await runBitrix24(sb, {
			parameters: {
				resource: 'lexofficeSync',
				operation: 'syncContacts',
				contact: '={{ $json }}',
				responsibleUserId: '3',
			},
			items: asItems(contacts),
		});

		expect(json.filter((outcome) => outcome.action === 'failed')).toEqual([]);
		// Every LexOffice contact is there once and complete (same content as the mapping's count says).
		const snapshot = crmSnapshot(sb.state);
		expect(new Set(snapshot.companies.map((row) => row.origin)).size).toBe(snapshot.companies.length);
		expect(new Set(snapshot.contacts.map((row) => row.origin)).size).toBe(snapshot.contacts.length);
		expect(json.filter((outcome) => outcome.action === 'created')).toHaveLength(
			contacts.filter((contact) => !contact.archived).length,
		);

		// The limit was really met: the busiest method needed more server time than one window allows.
		const writesByMethod = new Map<string, number>();
		for (const call of restCalls(sb).filter((entry) => entry.status === 200)) {
			for (const method of call.batchMethods ?? []) writesByMethod.set(method, (writesByMethod.get(method) ?? 0) + 1);
		}
		const [busiest, busiestCalls] = [...writesByMethod]
			.filter(([method]) => /\.(add|update)$/.test(method))
			.sort((a, b) => b[1] - a[1])[0];
		expect(busiestCalls * WRITE_MS).toBeGreaterThan(LIMIT_MS);

		// The client waited, and only as long as the window required: its waits add up to less than
		// one window per window-full of server time beyond the first, and each wait ended when the
		// sandbox's oldest one-minute slice had left the window (nothing refused right after it).
		const waited = clock.time - startedAt;
		const windowsNeeded = Math.ceil((busiestCalls * WRITE_MS) / LIMIT_MS);
		expect(clock.waits.length).toBeGreaterThan(0);
		expect(waited).toBeGreaterThan(0);
		expect(waited).toBeLessThanOrEqual((windowsNeeded - 1) * WINDOW_MS + 60_000);
		const refusedSubCalls = restCalls(sb).filter((entry) => entry.status === 429).length;
		expect({ busiest, refusedSubCalls }).toEqual({ busiest, refusedSubCalls: 0 });
	});
});
