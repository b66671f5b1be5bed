import {
	commandsToResend,
	encodeBatchCommand,
	NOT_EXECUTED,
	planBatchChunks,
	readBatchResult,
	type BatchCommand,
	type BatchCommandResult,
} from '../../../nodes/Bitrix24/transport/batch';

const get = (key: string, id = 1): BatchCommand => ({ key, method: 'crm.contact.get', params: { id } });
const keysOf = (chunks: BatchCommand[][]) => chunks.map((chunk) => chunk.map((command) => command.key));

describe('planBatchChunks', () => {
	it('splits independent commands into requests of 50 in order', () => {
		const commands = Array.from({ length: 120 }, (_, i) => get(`c${i}`, i));
		const chunks = planBatchChunks(commands);
		expect(chunks.map((chunk) => chunk.length)).toEqual([50, 50, 20]);
		expect(chunks.flat()).toEqual(commands);
	});

	it('keeps commands connected by references in one request, in their order', () => {
		const commands: BatchCommand[] = [
			...Array.from({ length: 48 }, (_, i) => get(`x${i}`)),
			{ key: 'rq', method: 'crm.requisite.add', params: { fields: { ENTITY_ID: 5 } } },
			get('y'),
			{ key: 'addr', method: 'crm.address.add', params: { fields: { ENTITY_ID: '$result[rq]' } } },
			{ key: 'link', method: 'crm.requisite.get', params: { id: '$result[rq]', note: '$result[addr]' } },
		];
		const chunks = planBatchChunks(commands);
		// rq, addr and link form one group of 3: it does not fit after the first 48, so it opens
		// request 2, and y (after rq in the input) follows there; the original order is kept.
		expect(keysOf(chunks)).toEqual([Array.from({ length: 48 }, (_, i) => `x${i}`), ['rq', 'y', 'addr', 'link']]);
		for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(50);
	});

	it('chains through several commands (a → b → c) count as one group', () => {
		const commands: BatchCommand[] = [
			get('a'),
			{ key: 'b', method: 'crm.contact.get', params: { id: '$result[a][ID]' } },
			{ key: 'c', method: 'crm.contact.get', params: { id: '$result[b][ID]' } },
		];
		expect(() => planBatchChunks(commands, 2)).toThrow(/more than 2/);
		expect(keysOf(planBatchChunks([get('z'), ...commands], 3))).toEqual([['z'], ['a', 'b', 'c']]);
	});

	it.each([
		['a duplicate key', [get('a'), get('a')], /used twice/],
		[
			'a reference to an unknown command',
			[{ key: 'a', method: 'x.get', params: { id: '$result[nope]' } }],
			/no command "nope"/,
		],
		[
			'a reference to a later command',
			[{ key: 'a', method: 'x.get', params: { id: '$result[b]' } }, get('b')],
			/runs after it/,
		],
		['a batch inside a batch', [{ key: 'a', method: 'batch' }], /cannot contain another batch/],
		['a bad method name', [{ key: 'a', method: '../x' }], /not a Bitrix24 method name/],
		['a key with brackets', [{ key: 'a[0]', method: 'x.get' }], /key must be/],
		['the key __proto__', [{ key: '__proto__', method: 'x.get' }], /key must be/],
	])('refuses %s', (_label, commands, message) => {
		expect(() => planBatchChunks(commands as BatchCommand[])).toThrow(message);
	});

	it('refuses a group of connected commands larger than one request', () => {
		const commands: BatchCommand[] = [get('root')];
		for (let i = 0; i < 50; i++) commands.push({ key: `d${i}`, method: 'x.get', params: { id: '$result[root]' } });
		expect(() => planBatchChunks(commands)).toThrow(/more than 50/);
	});
});

describe('encodeBatchCommand', () => {
	it('writes method?query, or just the method without parameters', () => {
		expect(encodeBatchCommand({ key: 'u', method: 'user.current' })).toBe('user.current');
		expect(encodeBatchCommand({ key: 'c', method: 'crm.contact.get', params: { id: 5 } })).toBe('crm.contact.get?id=5');
	});
});

describe('readBatchResult', () => {
	const chunk = [get('a'), get('b'), get('c'), get('d')];

	it('maps results, errors (also with an empty code) and never drops a command', () => {
		const results = readBatchResult(chunk, {
			result: { a: { ID: '1' }, b: false },
			result_error: { c: { error: '', error_description: "Parameter 'fields' must be array." } },
			result_total: { a: '7' },
			result_next: { a: 50 },
			result_time: {},
		});
		expect(results).toEqual({
			a: { ok: true, result: { ID: '1' }, total: 7, next: 50 },
			b: { ok: true, result: false },
			c: { ok: false, error: '', description: "Parameter 'fields' must be array." },
			d: { ok: false, error: NOT_EXECUTED, description: expect.stringContaining('did not run') },
		});
	});

	it('reads PHP lists (keys 0..n-1) and empty maps sent as []', () => {
		const numbered = [get('0'), get('1')];
		const results = readBatchResult(numbered, {
			result: [{ ID: '10' }, { ID: '11' }],
			result_error: [],
			result_total: [],
		});
		expect(results).toEqual({ 0: { ok: true, result: { ID: '10' } }, 1: { ok: true, result: { ID: '11' } } });
	});

	it('reports every command as not executed when the answer has no result block', () => {
		expect(Object.values(readBatchResult(chunk, null)).every((r) => !r.ok && r.error === NOT_EXECUTED)).toBe(true);
	});
});

describe('commandsToResend', () => {
	const refused = { ok: false, error: 'OPERATION_TIME_LIMIT', description: 'blocked' } as const;
	const failed = { ok: false, error: 'NOT_FOUND', description: 'nope' } as const;
	const done = { ok: true, result: 1 } as const;
	const skipped = { ok: false, error: NOT_EXECUTED, description: 'skipped' } as const;

	it('without halt: only the commands a limit refused', () => {
		const sent = [get('a'), get('b'), get('c')];
		const results: Record<string, BatchCommandResult> = { a: done, b: refused, c: failed };
		expect(commandsToResend(sent, results, false).map((c) => c.key)).toEqual(['b']);
	});

	it('with halt: the refused command and everything the halt skipped', () => {
		const sent = [get('a'), get('b'), { key: 'c', method: 'x.get', params: { id: '$result[b]' } }];
		expect(commandsToResend(sent, { a: done, b: refused, c: skipped }, true).map((c) => c.key)).toEqual(['b', 'c']);
	});

	it('with halt: nothing when the batch stopped at a real error', () => {
		expect(commandsToResend([get('a'), get('b')], { a: failed, b: skipped }, true)).toEqual([]);
	});

	it('replaces references to commands that succeeded by their results (e.g. an address whose requisite was created)', () => {
		const sent = [
			get('a'),
			{
				key: 'b',
				method: 'x.add',
				params: { fields: { ENTITY_ID: '$result[a]', NAME: 'req $result[a]', SELF: '$result[b]' } },
			},
			get('c'),
		];
		expect(commandsToResend(sent, { a: { ok: true, result: 4711 }, b: refused, c: refused }, false)).toEqual([
			{ key: 'b', method: 'x.add', params: { fields: { ENTITY_ID: 4711, NAME: 'req 4711', SELF: '$result[b]' } } },
			get('c'),
		]);
	});

	it('drops commands whose references point at a command that neither succeeded nor is sent again', () => {
		const sent = [get('a'), { key: 'b', method: 'x.get', params: { id: '$result[a]' } }, get('c')];
		expect(commandsToResend(sent, { a: failed, b: refused, c: refused }, false).map((c) => c.key)).toEqual(['c']);
	});
});
