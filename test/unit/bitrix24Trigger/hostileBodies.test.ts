/**
 * Issue #11 item 1: every Bitrix24 Trigger URL refuses a stranger before doing work that grows
 * with the request. Each hostile body is handed to the trigger as n8n 2.41 hands it over (raw
 * bytes plus n8n's own parse, which is n8n's cost and not measured), and the CPU time of the
 * trigger's webhook() is measured with process.cpuUsage — never wall time.
 */
import type { INodeParameters } from 'n8n-workflow';

import { CALLER_BODY_LIMITS, nestCallerBody, readCallerText } from '../../../nodes/Bitrix24Trigger/formBody';
import { parseLikeN8n, runTriggerWebhook, type HandledCall, type TriggerSetup } from './triggerEndpoint';

const CPU_BUDGET_MS = 100;
const MEASURED_RUNS = 3;
const MEGABYTE = 1024 * 1024;
const TOKEN = 'the-configured-application-token';
const WEBHOOK_URL = 'https://acme.bitrix24.de/rest/1/abcdef1234567890/';

/** Repeats `unit` until the text is about `bytes` long, between `head` and `tail`. */
function filled(head: string, unit: string, tail: string, bytes: number): string {
	return `${head}${unit.repeat(Math.floor((bytes - head.length - tail.length) / unit.length))}${tail}`;
}

/** `{"k0":0,"k1":0,…}` of about `bytes` bytes. */
function manyJsonKeys(bytes: number): string {
	const entries: string[] = [];
	for (let length = 2; length < bytes - 16; length += entries[entries.length - 1].length + 1)
		entries.push(`"k${entries.length}":0`);
	return `{${entries.join(',')}}`;
}

type Shape = [name: string, contentType: string | undefined, body: (bytes: number) => string];

/** Each one blocked the event loop (quadratic `a[]`, no key limit) or crashed (recursion) before. */
const SHAPES: Shape[] = [
	['JSON with one huge `a[]` array', 'application/json', (bytes) => `{"a[]":[${filled('0', ',0', '', bytes - 10)}]}`],
	['JSON with many keys', 'application/json', (bytes) => manyJsonKeys(bytes)],
	[
		'JSON nested deep',
		'application/json',
		(bytes) => `${'{"a":'.repeat(Math.floor(bytes / 6))}1${'}'.repeat(Math.floor(bytes / 6))}`,
	],
	['urlencoded `a[]` pairs', 'application/x-www-form-urlencoded', (bytes) => filled('', 'a[]=0&', 'b=1', bytes)],
	['urlencoded key nested deep', 'application/x-www-form-urlencoded', (bytes) => filled('a', '[b]', '=1', bytes)],
	['text/plain `a[]` pairs', 'text/plain', (bytes) => filled('', 'a%5B%5D=0&', 'b=1', bytes)],
	['no Content-Type, `a[]` pairs', undefined, (bytes) => filled('', 'a[]=0&', 'b=1', bytes)],
	['no Content-Type, JSON `a[]` array', undefined, (bytes) => `{"a[]":[${filled('0', ',0', '', bytes - 10)}]}`],
];

const MODES: Array<[string, INodeParameters]> = [
	['CRM events', { mode: 'events', authentication: 'webhook', events: ['ONCRMCONTACTADD'] }],
	['placement', { mode: 'placement', authentication: 'webhook', placementResponse: 'responseNode' }],
	['app install', { mode: 'appInstall', expectedPortal: 'https://acme.bitrix24.de' }],
];

const setup = (parameters: INodeParameters): TriggerSetup => ({
	parameters,
	credentials: { bitrix24WebhookApi: { webhookUrl: WEBHOOK_URL, applicationToken: TOKEN } },
});

async function deliver(
	parameters: INodeParameters,
	contentType: string | undefined,
	text: string,
): Promise<{ handled: HandledCall; cpuMs: number }> {
	const rawBody = Buffer.from(text, 'utf8');
	let body: unknown;
	try {
		body = parseLikeN8n(contentType ?? '', rawBody);
	} catch {
		body = {}; // n8n answers 422 itself; the trigger would not even be called.
	}
	const headers: Record<string, string> = contentType ? { 'content-type': contentType } : {};
	const request = { method: 'POST', headers, query: {}, body, rawBody };
	// process.cpuUsage counts the whole process: the first call's module loading and JIT, and a
	// garbage collection of the 1 MB parse above, land in whichever call they happen to hit. The
	// least of a few runs is the trigger's own cost; a cost that grows with the body is in every run.
	let handled: HandledCall | undefined;
	let cpuMs = Infinity;
	for (let run = 0; run < MEASURED_RUNS; run++) {
		const before = process.cpuUsage();
		handled = await runTriggerWebhook(setup(parameters), request);
		const used = process.cpuUsage(before);
		cpuMs = Math.min(cpuMs, (used.user + used.system) / 1000);
	}
	return { handled: handled as HandledCall, cpuMs };
}

function expectRefusedWithoutExecution(handled: HandledCall, statuses: number[]): void {
	expect(handled.error).toBeUndefined();
	expect(handled.result?.workflowData).toBeUndefined();
	expect(handled.result?.noWebhookResponse).toBe(true);
	expect(statuses).toContain(handled.statusCode);
}

describe.each(MODES)('%s: hostile bodies are refused cheaply, no execution starts', (_mode, parameters) => {
	it.each(SHAPES)(
		'1 MB, %s: refused (413) within the CPU budget',
		async (_shape, contentType, body) => {
			const { handled, cpuMs } = await deliver(parameters, contentType, body(MEGABYTE));
			expectRefusedWithoutExecution(handled, [413]);
			expect(cpuMs).toBeLessThan(CPU_BUDGET_MS);
		},
		120_000,
	);

	it.each(SHAPES)(
		'just under the size limit, %s, from a stranger: refused within the CPU budget',
		async (_shape, contentType, body) => {
			const { handled, cpuMs } = await deliver(parameters, contentType, body(CALLER_BODY_LIMITS.maxBytes - 64));
			expectRefusedWithoutExecution(handled, [400, 401]);
			expect(cpuMs).toBeLessThan(CPU_BUDGET_MS);
		},
		120_000,
	);
});

describe('the limits hold for a caller who knows the token', () => {
	// The token itself passes, so what refuses these is the key-count or depth limit.
	const withToken: Array<[string, string, string]> = [
		[
			'urlencoded `a[]` pairs',
			'application/x-www-form-urlencoded',
			filled(`auth%5Bapplication_token%5D=${TOKEN}&APPLICATION_TOKEN=${TOKEN}&`, 'a[]=0&', 'b=1', 60_000),
		],
		[
			'urlencoded key nested deep',
			'application/x-www-form-urlencoded',
			filled(`auth%5Bapplication_token%5D=${TOKEN}&APPLICATION_TOKEN=${TOKEN}&a`, '[b]', '=1', 60_000),
		],
		[
			'JSON `a[]` array',
			'application/json',
			`{"auth":{"application_token":"${TOKEN}"},"APPLICATION_TOKEN":"${TOKEN}","a[]":[${filled('0', ',0', '', 60_000)}]}`,
		],
		[
			'JSON nested deep',
			'application/json',
			`{"auth":{"application_token":"${TOKEN}"},"APPLICATION_TOKEN":"${TOKEN}","x":${'{"a":'.repeat(9_000)}1${'}'.repeat(9_000)}}`,
		],
	];

	it.each(withToken)(
		'%s: 400 within the CPU budget, no execution',
		async (_shape, contentType, text) => {
			expect(text.length).toBeLessThanOrEqual(CALLER_BODY_LIMITS.maxBytes);
			for (const [, parameters] of MODES.slice(0, 2)) {
				const { handled, cpuMs } = await deliver(parameters, contentType, text);
				expectRefusedWithoutExecution(handled, [400]);
				expect(handled.responseBody).toMatch(/more than 1000 keys|deeper than 8 levels/);
				expect(cpuMs).toBeLessThan(CPU_BUDGET_MS);
			}
		},
		120_000,
	);
});

describe('the parser stays linear', () => {
	it('numbers 999 `a[]` entries in order, as PHP does', () => {
		const pairs = readCallerText(Array.from({ length: 999 }, (_v, index) => `a[]=${index}`).join('&'));
		const nested = nestCallerBody(pairs as never) as { a: Record<string, string> };
		expect(Object.keys(nested.a)).toHaveLength(999);
		expect(nested.a['998']).toBe('998');
	});

	it('continues the numbering after an explicit index, and keeps JSON array elements together', () => {
		expect(nestCallerBody(readCallerText('a[5]=x&a[]=y') as never)).toEqual({ a: { 5: 'x', 6: 'y' } });
		expect(nestCallerBody(readCallerText('{"a":[{"x":1,"y":2},{"x":3}]}') as never)).toEqual({
			a: { 0: { x: 1, y: 2 }, 1: { x: 3 } },
		});
	});
});
