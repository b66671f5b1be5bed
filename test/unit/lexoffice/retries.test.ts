import { NodeApiError } from 'n8n-workflow';

import { isUncertainWrite, lexofficeRequest, RETRY_POLICY } from '../../../nodes/Lexoffice/transport';
import { startLexofficeSandbox, type LexofficeSandbox } from '../../sandbox/lexoffice';
import { contactsNamed, executeContext, newCompanyContact } from './helpers';

/** Retries: lexoffice-api.md §2 and §7.1; ARCHITECTURE.md "Transports". */
describe('LexOffice transport retries', () => {
	// Backoff waits are real (bounded by RETRY_POLICY: a few seconds at most per test).
	jest.setTimeout(30_000);
	let sb: LexofficeSandbox;
	beforeAll(async () => {
		sb = await startLexofficeSandbox({ seed: { contacts: 3 } });
	});
	afterAll(async () => await sb.close());
	beforeEach(() => sb.reset());

	const profile = () => lexofficeRequest.call(executeContext(sb), { path: '/v1/profile' });
	const createContact = (name: string, method: 'POST' | 'PUT' = 'POST', path = '/v1/contacts') =>
		lexofficeRequest.call(executeContext(sb), { method, path, body: newCompanyContact(name) });

	test('a GET is retried after 503 and after a dropped connection', async () => {
		sb.setFaults({
			failNext: [
				{ method: 'GET', pathIncludes: '/v1/profile', status: 503, body: { message: null } },
				{ method: 'GET', pathIncludes: '/v1/profile', dropConnection: true },
			],
		});
		await expect(profile()).resolves.toMatchObject({ organizationId: sb.organizationId });
		expect(sb.requests.filter({ pathIncludes: '/v1/profile' }).map((r) => r.status)).toEqual([503, 0, 200]);
	});

	test('a GET gives up after a bounded number of attempts with LexOffice message', async () => {
		sb.setFaults({ failNext: [{ method: 'GET', status: 502, body: { message: 'Bad Gateway' }, times: 100 }] });
		const error = await profile().catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).message).toBe('Bad Gateway');
		expect((error as NodeApiError).httpCode).toBe('502');
		expect(sb.requests.count({ status: 502 })).toBe(RETRY_POLICY.failureRetries + 1);
	});

	test('a POST answered 504 after processing is not retried: one contact, error says it may have been processed', async () => {
		sb.setFaults({ failNext: [{ method: 'POST', pathIncludes: '/v1/contacts', status: 504, afterProcessing: true }] });
		const error = await createContact('Gateway Timeout GmbH').catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).httpCode).toBe('504');
		expect((error as NodeApiError).message).toBe('Endpoint request timed out');
		expect((error as NodeApiError).description).toMatch(/may have processed/);
		expect((error as NodeApiError).description).toMatch(/Check in LexOffice/);
		expect(sb.requests.count({ method: 'POST' })).toBe(1);
		expect(contactsNamed(sb, 'Gateway Timeout GmbH')).toBe(1);
	});

	test('a POST whose connection drops after processing is not retried', async () => {
		sb.setFaults({
			failNext: [{ method: 'POST', pathIncludes: '/v1/contacts', dropConnection: true, afterProcessing: true }],
		});
		const error = await createContact('Verbindungsabbruch KG').catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).message).toMatch(/may have been processed/);
		expect(sb.requests.count({ method: 'POST' })).toBe(1);
		expect(contactsNamed(sb, 'Verbindungsabbruch KG')).toBe(1);
	});

	test('a PUT answered 503 is not retried either', async () => {
		const [contact] = sb.state.contacts.values();
		sb.setFaults({ failNext: [{ method: 'PUT', status: 503, body: { message: 'Service Unavailable' } }] });
		const error = await createContact('Egal', 'PUT', `/v1/contacts/${contact.id}`).catch((e: unknown) => e);
		expect((error as NodeApiError).httpCode).toBe('503');
		expect(sb.requests.count({ method: 'PUT' })).toBe(1);
	});

	test('a 500 that says "rate limit exceeded" is retried for a GET, but not for a POST (it is also the gateway\'s generic 500 text)', async () => {
		const rateLimit500 = { status: 500, body: { message: 'Internal server error or rate limit exceeded' }, times: 2 };
		sb.setFaults({ failNext: [{ method: 'GET', pathIncludes: '/v1/profile', ...rateLimit500 }] });
		await expect(profile()).resolves.toMatchObject({ organizationId: sb.organizationId });
		expect(sb.requests.filter({ method: 'GET' }).map((r) => r.status)).toEqual([500, 500, 200]);

		sb.setFaults({
			failNext: [{ method: 'POST', pathIncludes: '/v1/contacts', afterProcessing: true, ...rateLimit500 }],
		});
		const error = await createContact('Drosselung AG').catch((e: unknown) => e);
		expect((error as NodeApiError).httpCode).toBe('500');
		expect((error as NodeApiError).description).toMatch(/may have processed/);
		expect(isUncertainWrite(error)).toBe(true);
		expect(sb.requests.filter({ method: 'POST' }).map((r) => r.status)).toEqual([500]);
		expect(contactsNamed(sb, 'Drosselung AG')).toBe(1);
	});

	test('a POST refused with 429 is repeated (LexOffice did not perform it)', async () => {
		sb.setFaults({ failNext: [{ method: 'POST', pathIncludes: '/v1/contacts', status: 429, times: 2 }] });
		await expect(createContact('Wartezeit OHG')).resolves.toMatchObject({ id: expect.any(String) });
		expect(sb.requests.filter({ method: 'POST' }).map((r) => r.status)).toEqual([429, 429, 201]);
		expect(contactsNamed(sb, 'Wartezeit OHG')).toBe(1);
	});

	test('no POST is ever repeated after a 5xx or a reset connection, before or after processing', async () => {
		// Every POST meets a random fault: 500 (with the "rate limit exceeded" text), 502, 503, 504 or a reset.
		sb.setFaults({ rate: 1, seed: 3 });
		const names = Array.from({ length: 30 }, (_, index) => `Störung ${index} GmbH`);
		const errors = [];
		for (const name of names) errors.push(await createContact(name).catch((e: unknown) => e));
		const stats = sb.faults.stats();
		expect(stats.injected).toBe(30);
		expect(Object.keys(stats.byKind).sort()).toEqual(['500', '502', '503', '504', 'reset']);
		expect(stats.afterProcessing).toBeGreaterThan(0);
		expect(stats.beforeProcessing).toBeGreaterThan(0);
		expect(sb.requests.count({ method: 'POST' })).toBe(30);
		expect(errors.every(isUncertainWrite)).toBe(true);
		for (const name of names) expect(contactsNamed(sb, name)).toBeLessThanOrEqual(1);
	});

	test('a plain 500 on POST is not retried', async () => {
		sb.setFaults({ failNext: [{ method: 'POST', status: 500, body: { message: null } }] });
		const error = await createContact('Fehler GmbH').catch((e: unknown) => e);
		expect((error as NodeApiError).httpCode).toBe('500');
		expect(sb.requests.count({ method: 'POST' })).toBe(1);
		expect(contactsNamed(sb, 'Fehler GmbH')).toBe(0);
	});

	test('a refused connection says the request was not sent', async () => {
		const closed = await startLexofficeSandbox();
		const ctx = executeContext(closed);
		await closed.close();
		const error = await lexofficeRequest
			.call(ctx, { method: 'POST', path: '/v1/contacts', body: newCompanyContact('Niemand') })
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).message).toBe('Could not connect to LexOffice');
		expect((error as NodeApiError).description).toMatch(/not sent/);
	});
});
