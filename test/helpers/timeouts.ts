/**
 * Jest timeout for in-process tests that push hundreds of records through n8n-core and a sandbox:
 * a few seconds on an idle machine, many times that on a busy 2-core one. It guards against hangs;
 * it is not a speed budget (speed is measured by `npm run bench`).
 */
export const HEAVY_TEST_TIMEOUT_MS = 180_000;
