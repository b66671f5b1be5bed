import {
	cancelSignalOf,
	connectionFailureOf,
	mayHaveBeenProcessed,
	pauseUnlessCancelled,
} from '../../../nodes/shared/transportFailures';

/** An error as n8n throws it: its own error around axios's around the socket's. */
const wrapped = (inner: object, message = 'Request failed') =>
	Object.assign(new Error(message), { cause: Object.assign(new Error('axios'), { cause: inner }) });

describe('connectionFailureOf: one reading of the cause chain for both transports', () => {
	it.each([
		['ECONNREFUSED', 'notConnected'],
		['ENOTFOUND', 'notConnected'],
		['EAI_AGAIN', 'notConnected'],
		['ECONNRESET', 'dropped'],
		['ETIMEDOUT', 'dropped'],
		['UND_ERR_SOCKET', 'dropped'],
		['ERR_CANCELED', 'cancelled'],
	])('%s deep in the chain is %s', (code, kind) => {
		expect(connectionFailureOf(wrapped({ code }))).toEqual({ kind, code });
	});

	it('reads a socket closed without code as a dropped connection', () => {
		expect(connectionFailureOf(wrapped(new Error('socket hang up')))).toEqual({ kind: 'dropped', code: 'ECONNRESET' });
	});

	it('puts cancellation before everything, and "not connected" before "dropped"', () => {
		expect(
			connectionFailureOf(Object.assign(new Error('x'), { code: 'ECONNRESET', cause: { name: 'AbortError' } }))?.kind,
		).toBe('cancelled');
		expect(
			connectionFailureOf(Object.assign(new Error('x'), { code: 'ECONNRESET', cause: { code: 'ECONNREFUSED' } }))?.kind,
		).toBe('notConnected');
	});

	it('is undefined for what is no network failure (the transports then treat it as their own)', () => {
		expect(connectionFailureOf(wrapped({ code: 'ERR_BAD_CREDENTIAL' }))).toBeUndefined();
		expect(connectionFailureOf('text')).toBeUndefined();
	});
});

describe('pauseUnlessCancelled', () => {
	it('waits the whole time in slices of at most a second', async () => {
		const slept: number[] = [];
		await pauseUnlessCancelled(2500, undefined, async (ms) => void slept.push(ms));
		expect(slept).toEqual([1000, 1000, 500]);
	});

	it('stops at the next slice once the execution is cancelled', async () => {
		const signal = { aborted: false };
		const slept: number[] = [];
		await pauseUnlessCancelled(600_000, signal, async (ms) => {
			slept.push(ms);
			if (slept.length === 3) signal.aborted = true;
		});
		expect(slept).toHaveLength(3);
	});

	it('takes the signal from contexts that have one', () => {
		const signal = new AbortController().signal;
		expect(cancelSignalOf({ getExecutionCancelSignal: () => signal })).toBe(signal);
		expect(cancelSignalOf({})).toBeUndefined();
	});
});

describe('mayHaveBeenProcessed', () => {
	it('is one wording for both APIs, naming the API', () => {
		expect(mayHaveBeenProcessed('Bitrix24')).toBe(mayHaveBeenProcessed('LexOffice').replace(/LexOffice/g, 'Bitrix24'));
		expect(mayHaveBeenProcessed('LexOffice')).toMatch(
			/may or may not have been carried out: LexOffice may have processed it/,
		);
	});
});
