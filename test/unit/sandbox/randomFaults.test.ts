/**
 * Random faults (FaultOptions.rate; issue #10, item 4): a seeded share of requests fails with
 * 500/502/503/504 or a reset connection, before the request is processed or after it was processed
 * with its answer lost; controllable in-process and over `/_sandbox/faults`. Each sandbox answers
 * like its real gateway would.
 */
import { FaultInjector } from '../../sandbox/common';
import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../sandbox/bitrix24';
import { startLexofficeSandbox, type LexofficeSandbox } from '../../sandbox/lexoffice';

describe('FaultInjector: random faults', () => {
	const pattern = (seed: number, rate = 0.2) => {
		const faults = new FaultInjector();
		faults.set({ rate, seed });
		return Array.from({ length: 400 }, () => {
			const decision = faults.decide('POST', '/x');
			if (!decision) return '-';
			const kind = decision.kind === 'drop' ? 'reset' : String(decision.status);
			return `${kind}${decision.afterProcessing ? 'A' : 'B'}`;
		});
	};

	it('fails about the given share, reproducibly from the seed, with every kind before and after processing', () => {
		const run = pattern(5);
		expect(pattern(5)).toEqual(run);
		expect(pattern(6)).not.toEqual(run);
		const faults = run.filter((entry) => entry !== '-');
		expect(faults.length).toBeGreaterThan(400 * 0.1);
		expect(faults.length).toBeLessThan(400 * 0.3);
		expect(new Set(faults)).toEqual(
			new Set(['500A', '500B', '502A', '502B', '503A', '503B', '504A', '504B', 'resetA', 'resetB']),
		);
		expect(pattern(5, 0).every((entry) => entry === '-')).toBe(true);
	});

	it('counts what it injected, limited to the kinds and timing asked for', () => {
		const faults = new FaultInjector();
		faults.set({ rate: 1, kinds: [504], afterProcessingShare: 1 });
		for (let i = 0; i < 10; i++) faults.decide('POST', '/x');
		expect(faults.stats()).toEqual({ injected: 10, beforeProcessing: 0, afterProcessing: 10, byKind: { '504': 10 } });
		expect(() => faults.set({ rate: 2 })).toThrow(/between 0 and 1/);
		expect(() => faults.set({ rate: 0.1, kinds: [418 as 500] })).toThrow(/unknown fault kind/);
	});
});

describe('random faults over HTTP, as each API answers them', () => {
	let bitrix24: Bitrix24Sandbox;
	let lexoffice: LexofficeSandbox;
	beforeAll(async () => {
		bitrix24 = await startBitrix24Sandbox({ limits: 'off' });
		lexoffice = await startLexofficeSandbox();
	});
	afterAll(async () => await Promise.all([bitrix24.close(), lexoffice.close()]));

	const put = async (url: string, body: unknown) =>
		await fetch(`${url}/_sandbox/faults`, {
			method: 'PUT',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(body),
		});

	it('Bitrix24: a 503 from the gateway is an HTML page, never QUERY_LIMIT_EXCEEDED; after processing the write happened', async () => {
		expect((await put(bitrix24.url, { rate: 1, kinds: [503], afterProcessingShare: 1 })).status).toBe(200);
		const response = await fetch(`${bitrix24.webhookUrl}crm.contact.add`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ fields: { NAME: 'Verloren' } }),
		});
		expect(response.status).toBe(503);
		expect(response.headers.get('content-type')).toBe('text/html');
		expect(await response.text()).not.toContain('QUERY_LIMIT_EXCEEDED');
		expect(bitrix24.state.contacts.filter((row) => row.NAME === 'Verloren')).toHaveLength(1);
		const stats = (await (await fetch(`${bitrix24.url}/_sandbox/faults/stats`)).json()) as { injected: number };
		expect(stats.injected).toBe(1);
		expect(bitrix24.requests.last()).toMatchObject({ status: 503, fault: 'injected', processed: true });
		await fetch(`${bitrix24.url}/_sandbox/faults`, { method: 'DELETE' });
	});

	it('LexOffice: a random 500 carries the gateway\'s "Internal server error or rate limit exceeded"', async () => {
		await put(lexoffice.url, { rate: 1, kinds: [500], afterProcessingShare: 0 });
		const response = await fetch(`${lexoffice.url}/v1/profile`, {
			headers: { Authorization: `Bearer ${lexoffice.apiKey}` },
		});
		expect(response.status).toBe(500);
		expect(await response.json()).toEqual({ message: 'Internal server error or rate limit exceeded' });
		expect(lexoffice.faults.stats()).toMatchObject({ injected: 1, beforeProcessing: 1 });
		lexoffice.setFaults({});
	});
});
