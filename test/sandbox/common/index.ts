/**
 * Shared, API-agnostic core of the LexOffice and Bitrix24 sandboxes.
 *
 * Typical wiring (see test/sandbox/lexoffice/index.ts for the full version):
 *
 *   const log = new RequestLog();
 *   const faults = new FaultInjector((status) => ({ error: 'INTERNAL', status }));   // API's own error body
 *   const limiter = new SandboxRateLimiter({ capacity: 50, refillPerSecond: 2 }, options.limits ?? 'off');
 *   const server = await startSandboxServer({
 *     log, faults,
 *     api: async (request) => (limiter.tryTake() ? route(request) : json(429, {...})),
 *     control: mountControlApi({ state, reset, seed, limits: limiter, routes: { 'POST /simulate/x': … } }, { log, faults }),
 *   });
 *   // server.url, server.close()
 *
 * `api` returns an ApiResponse ({status, json | bytes, headers, label}) instead of writing to the
 * socket, so faults with `afterProcessing` can process the request and still replace the answer.
 */
export * from './faults';
export * from './http';
export * from './outbound';
export * from './prng';
export * from './rateLimit';
export * from './receiver';
export * from './requestLog';
export * from './server';
