import {
	bucketKey,
	DEFAULT_LEXOFFICE_RATE_LIMIT,
	lexofficeRateLimit,
	lexofficeRequest,
} from '../../../nodes/Lexoffice/transport';
import type { ExecuteContext } from 'n8n-core';

import { startLexofficeSandbox, type LexofficeSandbox } from '../../sandbox/lexoffice';
import { clientLimit, contactsNamed, executeContext, newCompanyContact, UNLIMITED } from './helpers';

/**
 * The client-side token bucket (lexoffice-api.md §2). Never asserts on time: only on what the
 * sandbox saw. Each test uses its own API key, so it starts with its own full bucket.
 */
/** The context with every request's send time recorded (as the transport hands it to n8n). */
function recordingSends(ctx: ExecuteContext, sentAt: number[]): ExecuteContext {
	const send = ctx.helpers.httpRequestWithAuthentication;
	ctx.helpers.httpRequestWithAuthentication = async function (this: unknown, ...args: Parameters<typeof send>) {
		sentAt.push(Date.now());
		return await send.apply(this as ExecuteContext, args);
	};
	return ctx;
}

/** How many of these send times a server token bucket with these numbers would have refused. */
function refusalsOfBucket(sentAt: number[], limit: { capacity: number; refillPerSecond: number }): number {
	let tokens = limit.capacity;
	let refused = 0;
	let last = sentAt[0] ?? 0;
	for (const at of [...sentAt].sort((a, b) => a - b)) {
		tokens = Math.min(limit.capacity, tokens + ((at - last) / 1000) * limit.refillPerSecond);
		last = at;
		if (tokens >= 1) tokens -= 1;
		else refused += 1;
	}
	return refused;
}

/**
 * A server clock that stands still until the sandbox has refused `refusals` requests, then runs:
 * while it stands, the bucket does not refill, so the refusals happen however slow this machine is.
 */
function stoppedUntilRefusals(sandbox: () => LexofficeSandbox | undefined, refusals: number): () => number {
	const stoppedAt = Date.now();
	let offset: number | undefined;
	return () => {
		if (offset === undefined && (sandbox()?.requests.count({ status: 429 }) ?? 0) >= refusals)
			offset = Date.now() - stoppedAt;
		return offset === undefined ? stoppedAt : Date.now() - offset;
	};
}

describe('LexOffice rate limiting', () => {
	// Real seconds at 2 req/s (bounded: ~5 s for the longest test).
	jest.setTimeout(20_000);
	let sb: LexofficeSandbox;
	afterEach(async () => await sb?.close());

	test('with the published limits, a burst of 10 calls from two "workflows" is paced within LexOffice\'s bucket', async () => {
		sb = await startLexofficeSandbox({ apiKey: 'burst-key-1' });
		// No limit in the credential: its defaults, LexOffice's published 2 requests/s.
		const limits = {};
		// Two execution contexts with the same key share one bucket, like two workflows in one n8n.
		const sentAt: number[] = [];
		const workflows = [
			recordingSends(executeContext(sb, { limits }), sentAt),
			recordingSends(executeContext(sb, { limits }), sentAt),
		];
		const calls = Array.from({ length: 10 }, (_, i) =>
			lexofficeRequest.call(workflows[i % 2], { path: '/v1/profile' }),
		);
		await Promise.all(calls);
		expect(sb.requests.count({ status: 200 })).toBe(10);
		// Judged on when the client sent, not when the server got around to it: a stalled machine can
		// bunch arrivals, but a client that paces within the published bucket never sends over it.
		expect(refusalsOfBucket(sentAt, { capacity: 2, refillPerSecond: 2 })).toBe(0);
	});

	test('without our limiter the same burst is throttled by the sandbox (the test above can fail)', async () => {
		const limits = UNLIMITED;
		const sentAt: number[] = [];
		sb = await startLexofficeSandbox({
			limits: 'published',
			apiKey: 'burst-key-2',
			limiterClock: stoppedUntilRefusals(() => sb, 4),
		});
		const ctx = recordingSends(executeContext(sb, { limits }), sentAt);
		await Promise.all(Array.from({ length: 6 }, () => lexofficeRequest.call(ctx, { path: '/v1/profile' })));
		// Every call still succeeds (429s are retried), but the sandbox had to refuse the 4 over its bucket.
		expect(sb.requests.count({ status: 200 })).toBe(6);
		expect(sb.requests.count({ status: 429 })).toBeGreaterThanOrEqual(4);
		expect(refusalsOfBucket(sentAt.slice(0, 6), { capacity: 2, refillPerSecond: 2 })).toBeGreaterThan(0);
	});

	test('when the server bucket is smaller than ours, 429s are retried until every call succeeds', async () => {
		const limits = clientLimit({ capacity: 10, refillPerSecond: 20 });
		sb = await startLexofficeSandbox({
			limits: { capacity: 2, refillPerSecond: 5 },
			apiKey: 'defeated-key',
			limiterClock: stoppedUntilRefusals(() => sb, 6),
		});
		const ctx = executeContext(sb, { limits });
		const results = await Promise.all(
			Array.from({ length: 8 }, () => lexofficeRequest.call(ctx, { path: '/v1/profile' })),
		);
		expect(results).toHaveLength(8);
		expect(sb.requests.count({ status: 429 })).toBeGreaterThanOrEqual(6);
		expect(sb.requests.count({ status: 200 })).toBe(8);
	});

	test('a 429 answered POST is retried and creates exactly one contact', async () => {
		const limits = clientLimit({ capacity: 10, refillPerSecond: 20 });
		sb = await startLexofficeSandbox({
			limits: { capacity: 1, refillPerSecond: 2 },
			apiKey: 'post-key',
			limiterClock: stoppedUntilRefusals(() => sb, 1),
		});
		const ctx = executeContext(sb, { limits });
		// Spend the sandbox's only token so the POST meets a 429 first.
		await lexofficeRequest.call(ctx, { path: '/v1/profile' });
		const result = await lexofficeRequest.call(ctx, {
			method: 'POST',
			path: '/v1/contacts',
			body: newCompanyContact('Einmalig GmbH'),
		});
		expect(result).toMatchObject({ id: expect.any(String), version: 1 });
		const posts = sb.requests.filter({ method: 'POST' }).map((r) => r.status);
		expect(posts[0]).toBe(429);
		expect(posts[posts.length - 1]).toBe(201);
		expect(posts.filter((status) => status === 201)).toHaveLength(1);
		expect(contactsNamed(sb, 'Einmalig GmbH')).toBe(1);
	});

	test("the credential sets the client-side limit; without settings it is LexOffice's published one, paced at 90 %", () => {
		expect(DEFAULT_LEXOFFICE_RATE_LIMIT).toEqual({ capacity: 1, refillPerSecond: 1.8 });
		expect(lexofficeRateLimit({})).toEqual(DEFAULT_LEXOFFICE_RATE_LIMIT);
		expect(lexofficeRateLimit({ requestsPerSecond: 5, burst: 3 })).toEqual({ capacity: 3, refillPerSecond: 4.5 });
		expect(lexofficeRateLimit({ requestsPerSecond: 0, burst: -1 })).toEqual(DEFAULT_LEXOFFICE_RATE_LIMIT);
	});

	test('the bucket is keyed by a hash of the key, never the key', () => {
		const key = bucketKey('my-secret-api-key');
		expect(key).not.toContain('my-secret-api-key');
		expect(key).toMatch(/^lexoffice:[0-9a-f]{64}$/);
		expect(bucketKey('my-secret-api-key')).toBe(key);
		expect(bucketKey('another-key')).not.toBe(key);
	});
});
