import {
	DEFAULT_LEXOFFICE_RATE_LIMIT,
	lexofficeRequest,
	setLexofficeRateLimit,
	bucketKey,
} from '../../../nodes/Lexoffice/transport';
import { startLexofficeSandbox, type LexofficeSandbox } from '../../sandbox/lexoffice';
import { contactsNamed, executeContext, newCompanyContact } from './helpers';

/**
 * The client-side token bucket (lexoffice-api.md §2). Never asserts on time: only on what the
 * sandbox saw. Each test uses its own API key, so it starts with its own full bucket.
 */
describe('LexOffice rate limiting', () => {
	// Real seconds at 2 req/s (bounded: ~5 s for the longest test).
	jest.setTimeout(20_000);
	let sb: LexofficeSandbox;
	afterEach(async () => await sb?.close());

	test('with the published limits, a burst of 10 calls from two "workflows" is not throttled', async () => {
		setLexofficeRateLimit(DEFAULT_LEXOFFICE_RATE_LIMIT);
		sb = await startLexofficeSandbox({ limits: 'published', apiKey: 'burst-key-1' });
		// Two execution contexts with the same key share one bucket, like two workflows in one n8n.
		const workflows = [executeContext(sb), executeContext(sb)];
		const calls = Array.from({ length: 10 }, (_, i) =>
			lexofficeRequest.call(workflows[i % 2], { path: '/v1/profile' }),
		);
		await Promise.all(calls);
		expect(sb.requests.count({ status: 200 })).toBe(10);
		// We pace at 90 % of the limit, so only requests bunched in flight (a loaded test machine
		// delaying some more than others — the network jitter lexoffice-api.md §2 warns about) can
		// meet a full server bucket; at most one such refusal, against several without our limiter.
		expect(sb.requests.count({ status: 429 })).toBeLessThanOrEqual(1);
	});

	test('without our limiter the same burst is throttled by the sandbox (the test above can fail)', async () => {
		setLexofficeRateLimit({ capacity: 1000, refillPerSecond: 1000 });
		sb = await startLexofficeSandbox({ limits: 'published', apiKey: 'burst-key-2' });
		const ctx = executeContext(sb);
		await Promise.all(Array.from({ length: 6 }, () => lexofficeRequest.call(ctx, { path: '/v1/profile' })));
		// Every call still succeeds (429s are retried), but the sandbox had to refuse several.
		expect(sb.requests.count({ status: 200 })).toBe(6);
		expect(sb.requests.count({ status: 429 })).toBeGreaterThan(1);
	});

	test('when the server bucket is smaller than ours, 429s are retried until every call succeeds', async () => {
		setLexofficeRateLimit({ capacity: 10, refillPerSecond: 20 });
		sb = await startLexofficeSandbox({ limits: { capacity: 2, refillPerSecond: 5 }, apiKey: 'defeated-key' });
		const ctx = executeContext(sb);
		const results = await Promise.all(
			Array.from({ length: 8 }, () => lexofficeRequest.call(ctx, { path: '/v1/profile' })),
		);
		expect(results).toHaveLength(8);
		expect(sb.requests.count({ status: 429 })).toBeGreaterThan(0);
		expect(sb.requests.count({ status: 200 })).toBe(8);
	});

	test('a 429 answered POST is retried and creates exactly one contact', async () => {
		setLexofficeRateLimit({ capacity: 10, refillPerSecond: 20 });
		sb = await startLexofficeSandbox({ limits: { capacity: 1, refillPerSecond: 2 }, apiKey: 'post-key' });
		const ctx = executeContext(sb);
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

	test('the bucket is keyed by a hash of the key, never the key', () => {
		const key = bucketKey('my-secret-api-key');
		expect(key).not.toContain('my-secret-api-key');
		expect(key).toMatch(/^lexoffice:[0-9a-f]{64}$/);
		expect(bucketKey('my-secret-api-key')).toBe(key);
		expect(bucketKey('another-key')).not.toBe(key);
	});
});
