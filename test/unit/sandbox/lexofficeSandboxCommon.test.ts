/** The shared sandbox core (test/sandbox/common), exercised over real HTTP. */
import { Agent, request as httpRequest } from 'node:http';

import {
	FaultInjector,
	RequestLog,
	SandboxRateLimiter,
	ServerTokenBucket,
	json,
	mountControlApi,
	parseFormBody,
	parseLimitSetting,
	startSandboxServer,
	type ApiRequest,
	type LimitSetting,
	type RunningServer,
} from '../../sandbox/common';

describe('parseFormBody (PHP bracket keys)', () => {
	it('nests bracket keys, appends [] and turns 0..n-1 keys into arrays', () => {
		const body = parseFormBody(
			'FIELDS[TITLE]=M%C3%BCller&FIELDS[EMAIL][0][VALUE]=a%40b.de&FIELDS[EMAIL][0][VALUE_TYPE]=WORK&tags[]=x&tags[]=y&auth[domain]=p.bitrix24.de&plain=1',
		);
		expect(body).toEqual({
			FIELDS: { TITLE: 'Müller', EMAIL: [{ VALUE: 'a@b.de', VALUE_TYPE: 'WORK' }] },
			tags: ['x', 'y'],
			auth: { domain: 'p.bitrix24.de' },
			plain: '1',
		});
	});

	it('keeps non-sequential numeric keys as an object', () => {
		expect(parseFormBody('a[1]=x&a[3]=y')).toEqual({ a: { '1': 'x', '3': 'y' } });
	});
});

describe('FaultInjector', () => {
	it('consumes failNext rules in order, only for matching requests', () => {
		const faults = new FaultInjector((status) => ({ defaultFor: status }));
		faults.set({ failNext: [{ method: 'POST', pathIncludes: '/contacts', status: 504, times: 2 }] });
		expect(faults.decide('GET', '/v1/contacts')).toBeUndefined();
		expect(faults.decide('POST', '/v1/contacts')).toEqual({
			kind: 'respond',
			status: 504,
			body: { defaultFor: 504 },
			afterProcessing: false,
		});
		expect(faults.decide('POST', '/v1/contacts')?.kind).toBe('respond');
		expect(faults.decide('POST', '/v1/contacts')).toBeUndefined();
	});

	it('draws random rates reproducibly from the seed', () => {
		const pattern = (seed: number) => {
			const faults = new FaultInjector();
			faults.set({ errorRate: 0.3, dropRate: 0.1, seed });
			return Array.from({ length: 50 }, () => faults.decide('GET', '/x')?.kind ?? '-').join('');
		};
		expect(pattern(7)).toBe(pattern(7));
		expect(pattern(7)).not.toBe(pattern(8));
		expect(pattern(7)).toMatch(/respond/);
		expect(pattern(7)).toMatch(/drop/);
	});
});

describe('ServerTokenBucket / SandboxRateLimiter', () => {
	it('grants exactly `capacity` tokens in a synchronous burst', () => {
		const bucket = new ServerTokenBucket(5, 0.001);
		const granted = Array.from({ length: 20 }, () => bucket.tryTake()).filter(Boolean).length;
		expect(granted).toBe(5);
	});

	it('switches between off, published and explicit numbers', () => {
		const limiter = new SandboxRateLimiter({ capacity: 2, refillPerSecond: 0.001 });
		expect(Array.from({ length: 10 }, () => limiter.tryTake()).every(Boolean)).toBe(true);
		limiter.set('published');
		expect(Array.from({ length: 10 }, () => limiter.tryTake()).filter(Boolean)).toHaveLength(2);
		limiter.set({ capacity: 3, refillPerSecond: 0.001 });
		expect(Array.from({ length: 10 }, () => limiter.tryTake()).filter(Boolean)).toHaveLength(3);
		expect(parseLimitSetting('4/2')).toEqual({ capacity: 4, refillPerSecond: 2 });
		expect(() => parseLimitSetting('fast')).toThrow(/invalid limits/);
	});
});

describe('startSandboxServer', () => {
	let server: RunningServer;
	const log = new RequestLog();
	const faults = new FaultInjector((status) => ({ message: `fault ${status}` }));
	let counter = 0;
	let limits: LimitSetting = 'off';

	beforeAll(async () => {
		server = await startSandboxServer({
			log,
			faults,
			api: async (request: ApiRequest) => {
				if (request.method === 'POST') counter += 1;
				return { ...json(200, { counter, path: request.path, query: request.query }), label: 'echo' };
			},
			control: mountControlApi(
				{
					state: () => ({ counter }),
					reset: () => {
						counter = 0;
					},
					seed: (body) => ({ seeded: body }),
					limits: { get: () => limits, set: (setting) => (limits = setting) },
					routes: { 'POST /bump': () => json(200, { counter: ++counter }) },
				},
				{ log, faults },
			),
		});
	});

	afterAll(async () => await server.close());

	beforeEach(async () => {
		await fetch(`${server.url}/_sandbox/reset`, { method: 'POST' });
		log.clear();
		faults.clear();
	});

	it('answers the API and logs it, but not control calls', async () => {
		const response = await fetch(`${server.url}/v1/things?a=1&a=2&b=x`);
		expect(await response.json()).toEqual({ counter: 0, path: '/v1/things', query: { a: '1', b: 'x' } });
		await fetch(`${server.url}/_sandbox/state`);
		expect(log.entries).toMatchObject([{ method: 'GET', path: '/v1/things', status: 200, label: 'echo' }]);
		const overHttp = await (await fetch(`${server.url}/_sandbox/requests?method=GET`)).json();
		expect(overHttp).toHaveLength(1);
	});

	it('afterProcessing faults change state and still fail the client', async () => {
		await fetch(`${server.url}/_sandbox/faults/failNext`, {
			method: 'POST',
			body: JSON.stringify({ method: 'POST', status: 504, afterProcessing: true }),
		});
		const failed = await fetch(`${server.url}/v1/things`, { method: 'POST' });
		expect(failed.status).toBe(504);
		expect(await failed.json()).toEqual({ message: 'fault 504' });
		expect(counter).toBe(1);
		expect(faults.get().failNext).toEqual([]);
		expect(log.last()).toMatchObject({ status: 504, fault: 'injected', processed: true });
	});

	it('a fault before processing changes nothing; a dropped connection gives no answer', async () => {
		faults.set({ failNext: [{ status: 503 }, { dropConnection: true }] });
		expect((await fetch(`${server.url}/v1/things`, { method: 'POST' })).status).toBe(503);
		await expect(fetch(`${server.url}/v1/things`, { method: 'POST' })).rejects.toThrow();
		expect(counter).toBe(0);
		expect(log.entries.map((e) => e.fault)).toEqual(['injected', 'dropped']);
	});

	it('routes extra control routes and limits over HTTP', async () => {
		expect(await (await fetch(`${server.url}/_sandbox/bump`, { method: 'POST' })).json()).toEqual({ counter: 1 });
		const put = await fetch(`${server.url}/_sandbox/limits`, {
			method: 'PUT',
			body: JSON.stringify({ limits: '3/1' }),
		});
		expect(await put.json()).toEqual({ limits: { capacity: 3, refillPerSecond: 1 } });
		expect((await fetch(`${server.url}/_sandbox/nope`)).status).toBe(404);
	});

	it('close() ends even with an idle keep-alive connection open', async () => {
		const other = await startSandboxServer({
			log: new RequestLog(),
			faults: new FaultInjector(),
			api: async () => json(200, {}),
			control: async () => json(404),
		});
		await new Promise<void>((resolve, reject) => {
			const req = httpRequest(`${other.url}/x`, { agent: new Agent({ keepAlive: true }) }, (res) => {
				res.resume();
				res.on('end', () => resolve());
			});
			req.on('error', reject);
			req.end();
		});
		await other.close();
		await expect(fetch(`${other.url}/x`)).rejects.toThrow();
	});
});
