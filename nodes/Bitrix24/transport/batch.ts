import type { IDataObject } from 'n8n-workflow';

import {
	resolveConnection,
	type Bitrix24Authentication,
	type Bitrix24Connection,
	type Bitrix24Context,
} from './connection';
import { bitrix24ConfigError, errorBodyOf, redact } from './errors';
import { httpBuildQuery, referencedCommandKeys } from './httpBuildQuery';
import { isReadMethod } from './methods';
import {
	assertCallableWith,
	recordOperatingTime,
	RETRY_LIMITS,
	trySendRequest,
	waitForOperatingBudget,
} from './request';
import { isMethodName } from './urls';

/** bitrix24-api.md §3.3: at most 50 sub-calls per batch request. */
export const BATCH_LIMIT = 50;

export interface BatchCommand {
	/** Unique name of the command; later commands refer to its result as `$result[key]…`. */
	key: string;
	method: string;
	params?: IDataObject;
}

export type BatchCommandResult =
	| { ok: true; result: unknown; total?: number; next?: number }
	/**
	 * `uncertain`: the request was sent but its answer lost (5xx, dropped connection), so the
	 * command may or may not have been carried out. Never repeated here: the caller reads back by
	 * the record's idempotency key and plans again (actions/shared/settleUncertain.ts).
	 */
	| { ok: false; error: string; description: string; uncertain?: boolean };

export interface BatchOptions {
	/** Stop at the first failing command; everything after it is reported as not executed. */
	halt?: boolean;
	itemIndex?: number;
	authentication?: Bitrix24Authentication;
}

/** The error code of commands Bitrix24 never ran (after a halt, or never sent). */
export const NOT_EXECUTED = 'NOT_EXECUTED';

const COMMAND_KEY = /^[A-Za-z0-9_.:-]{1,100}$/;

/** Checks keys, methods and references; throws a plain Error that says which command is wrong. */
function validateCommands(commands: BatchCommand[]): Map<string, number> {
	const indexByKey = new Map<string, number>();
	commands.forEach((command, index) => {
		if (!COMMAND_KEY.test(command.key) || command.key === '__proto__') {
			throw new Error(`Batch command #${index + 1}: the key must be 1-100 letters, digits, "_", ".", ":" or "-"`);
		}
		if (indexByKey.has(command.key)) throw new Error(`Batch command key "${command.key}" is used twice`);
		if (!isMethodName(command.method)) {
			throw new Error(
				`Batch command "${command.key}": the method is not a Bitrix24 method name (expected something like crm.contact.list)`,
			);
		}
		if (command.method.toLowerCase() === 'batch') {
			throw new Error(`Batch command "${command.key}": a batch cannot contain another batch`);
		}
		indexByKey.set(command.key, index);
	});
	commands.forEach((command, index) => {
		for (const target of referencedCommandKeys(command.params ?? {})) {
			const targetIndex = indexByKey.get(target);
			if (targetIndex === undefined) {
				throw new Error(
					`Batch command "${command.key}" refers to $result[${target}], but there is no command "${target}"`,
				);
			}
			if (targetIndex >= index) {
				throw new Error(
					`Batch command "${command.key}" refers to "${target}", which runs after it; sub-calls run in order, so put "${target}" first`,
				);
			}
		}
	});
	return indexByKey;
}

/**
 * Splits commands into requests of at most `limit`. A reference only resolves inside its own
 * request, so commands connected by references (directly or through others) always share one;
 * a connected group larger than `limit` cannot be sent and is refused up front.
 */
export function planBatchChunks(commands: BatchCommand[], limit = BATCH_LIMIT): BatchCommand[][] {
	const indexByKey = validateCommands(commands);
	const parent = commands.map((_, index) => index);
	const root = (index: number): number => (parent[index] === index ? index : (parent[index] = root(parent[index])));
	commands.forEach((command, index) => {
		for (const target of referencedCommandKeys(command.params ?? {})) {
			parent[root(index)] = root(indexByKey.get(target) as number);
		}
	});
	const groups = new Map<number, number[]>();
	commands.forEach((_, index) => groups.set(root(index), [...(groups.get(root(index)) ?? []), index]));

	const chunks: number[][] = [];
	let current: number[] = [];
	const placed = new Set<number>();
	for (let index = 0; index < commands.length; index++) {
		const group = groups.get(root(index)) as number[];
		if (placed.has(root(index))) continue;
		placed.add(root(index));
		if (group.length > limit) {
			throw new Error(
				`Batch commands ${group.map((i) => `"${commands[i].key}"`).join(', ')} refer to each other and are more than ${limit}, the most one batch request can carry`,
			);
		}
		if (current.length + group.length > limit) {
			chunks.push(current);
			current = [];
		}
		current.push(...group);
	}
	if (current.length > 0) chunks.push(current);
	return chunks.map((chunk) => chunk.sort((a, b) => a - b).map((index) => commands[index]));
}

/** `method?query` as Bitrix24 expects it in `cmd` (§3.3). */
export function encodeBatchCommand(command: BatchCommand): string {
	const query = httpBuildQuery(command.params ?? {});
	return query ? `${command.method}?${query}` : command.method;
}

/** PHP sends a list with keys 0..n-1 as a JSON array and an empty map as `[]`. */
function asRecord(value: unknown): Record<string, unknown> {
	if (Array.isArray(value)) return Object.fromEntries(value.map((entry, index) => [String(index), entry]));
	return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

const has = (record: Record<string, unknown>, key: string) => Object.prototype.hasOwnProperty.call(record, key);

function optionalNumber(value: unknown): number | undefined {
	const number = typeof value === 'string' && value !== '' ? Number(value) : value;
	return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}

/**
 * Maps a batch answer back to its commands. A command in neither `result` nor `result_error`
 * (the batch halted before it) is reported as not executed, never dropped.
 */
export function readBatchResult(chunk: BatchCommand[], batchResult: unknown): Record<string, BatchCommandResult> {
	const inner = asRecord(batchResult);
	const results = asRecord(inner.result);
	const errors = asRecord(inner.result_error);
	const totals = asRecord(inner.result_total);
	const nexts = asRecord(inner.result_next);
	const out: Record<string, BatchCommandResult> = {};
	for (const { key } of chunk) {
		if (has(errors, key)) {
			const error = errorBodyOf(errors[key]) ?? { error: '', description: String(errors[key]) };
			out[key] = { ok: false, error: error.error, description: error.description || error.error };
		} else if (has(results, key)) {
			const total = optionalNumber(totals[key]);
			const next = optionalNumber(nexts[key]);
			out[key] = {
				ok: true,
				result: results[key],
				...(total === undefined ? {} : { total }),
				...(next === undefined ? {} : { next }),
			};
		} else {
			out[key] = {
				ok: false,
				error: NOT_EXECUTED,
				description: 'Bitrix24 did not run this command (the batch stopped at an earlier failing command)',
			};
		}
	}
	return out;
}

function notSent(chunk: BatchCommand[], description: string): Record<string, BatchCommandResult> {
	return Object.fromEntries(chunk.map(({ key }) => [key, { ok: false, error: NOT_EXECUTED, description }]));
}

/** Sub-calls refused by a limit were not performed (§3.2), so they may be sent again. */
const LIMIT_ERRORS = new Set(['OPERATION_TIME_LIMIT', 'QUERY_LIMIT_EXCEEDED']);

/**
 * `$result[key][…]` references to commands that already succeeded, replaced by their values: a
 * command sent again without them (e.g. an address whose requisite was created in the first round)
 * still points at the right record. A reference whose value is unknown is left as it is.
 */
function withKnownResults(
	command: BatchCommand,
	results: Record<string, BatchCommandResult>,
	resent: Set<string>,
): BatchCommand {
	const known = (key: string, path: string): unknown => {
		const result = results[key];
		if (resent.has(key) || !result?.ok) return undefined;
		let value: unknown = result.result;
		for (const [, segment] of path.matchAll(/\[([^[\]]*)\]/g)) {
			value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[segment] : undefined;
		}
		return value;
	};
	const resolve = (value: unknown): unknown => {
		if (typeof value === 'string') {
			const whole = /^\$result\[([^[\]]*)\]((?:\[[^[\]]*\])*)$/.exec(value);
			if (whole) return known(whole[1], whole[2]) ?? value;
			return value.replace(/\$result\[([^[\]]*)\]((?:\[[^[\]]*\])*)/g, (match, key: string, path: string) => {
				const found = known(key, path);
				return typeof found === 'string' || typeof found === 'number' ? String(found) : match;
			});
		}
		if (Array.isArray(value)) return value.map(resolve);
		if (typeof value === 'object' && value !== null)
			return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, resolve(entry)]));
		return value;
	};
	return { ...command, params: resolve(command.params ?? {}) as IDataObject };
}

/**
 * The commands of an answered batch that can simply be sent again: those refused by a limit
 * (with `halt`, the refused one and everything the halt skipped after it). References to commands
 * that succeeded are replaced by their results; a command still referring to one that is neither
 * sent again nor known is left out.
 */
export function commandsToResend(
	sent: BatchCommand[],
	results: Record<string, BatchCommandResult>,
	halt: boolean,
): BatchCommand[] {
	const failed = (command: BatchCommand) => !results[command.key].ok;
	const errorOf = (command: BatchCommand) => {
		const result = results[command.key];
		return result.ok ? '' : result.error;
	};
	let candidates: BatchCommand[];
	if (halt) {
		const firstFailure = sent.findIndex(failed);
		candidates =
			firstFailure >= 0 && LIMIT_ERRORS.has(errorOf(sent[firstFailure])) ? sent.slice(firstFailure).filter(failed) : [];
	} else {
		candidates = sent.filter((command) => LIMIT_ERRORS.has(errorOf(command)));
	}
	for (;;) {
		const keys = new Set(candidates.map((command) => command.key));
		const resolvable = candidates
			.map((command) => withKnownResults(command, results, keys))
			.filter((command) => [...referencedCommandKeys(command.params ?? {})].every((target) => keys.has(target)));
		if (resolvable.length === candidates.length) return resolvable;
		candidates = resolvable;
	}
}

async function sendChunk(
	this: Bitrix24Context,
	connection: Bitrix24Connection,
	chunk: BatchCommand[],
	options: BatchOptions,
): Promise<{ answered: boolean; results: Record<string, BatchCommandResult> }> {
	const methods = chunk.map((command) => command.method);
	const outcome = await trySendRequest.call(
		this,
		connection,
		'batch',
		{ halt: options.halt ? 1 : 0, cmd: Object.fromEntries(chunk.map((c) => [c.key, encodeBatchCommand(c)])) },
		{ idempotent: methods.every(isReadMethod), budgetMethods: methods, itemIndex: options.itemIndex },
	);
	if (outcome.ok) {
		const times = asRecord(asRecord(outcome.envelope.result).result_time);
		for (const command of chunk) recordOperatingTime(connection, command.method, times[command.key]);
		return { answered: true, results: readBatchResult(chunk, outcome.envelope.result) };
	}
	const description = redact(
		[outcome.error.description || outcome.error.error, outcome.note].filter(Boolean).join(' '),
		connection.secrets,
	);
	const error = redact(outcome.error.error, connection.secrets);
	const uncertain = outcome.uncertain === true ? { uncertain: true } : {};
	return {
		answered: false,
		results: Object.fromEntries(chunk.map(({ key }) => [key, { ok: false, error, description, ...uncertain }])),
	};
}

/**
 * Runs commands through `batch`, up to 50 per request (§3.3), and returns one result per command
 * key. Requests go out one after another, in order, so `halt` can stop the rest. Sub-calls a limit
 * refused are sent again after waiting (up to RETRY_LIMITS.operatingLimit rounds).
 */
export async function bitrix24Batch(
	this: Bitrix24Context,
	commands: BatchCommand[],
	options: BatchOptions = {},
): Promise<Record<string, BatchCommandResult>> {
	const connection = await resolveConnection.call(this, options.authentication);
	let chunks: BatchCommand[][];
	try {
		chunks = planBatchChunks(commands);
	} catch (error) {
		throw bitrix24ConfigError(
			this.getNode(),
			(error as Error).message,
			'Fix the batch commands: keys must be unique and $result[…] references must point to earlier commands of the same batch.',
			connection.secrets,
			options.itemIndex,
		);
	}
	assertCallableWith.call(
		this,
		connection,
		commands.map((command) => command.method),
		options.itemIndex,
	);

	const halt = Boolean(options.halt);
	const results: Record<string, BatchCommandResult> = {};
	let halted = false;
	for (const chunk of chunks) {
		if (halted) {
			Object.assign(results, notSent(chunk, 'Not sent: an earlier command failed and the batch halts on errors'));
			continue;
		}
		let pending = chunk;
		for (let round = 0; pending.length > 0; round++) {
			const sent = await sendChunk.call(this, connection, pending, options);
			Object.assign(results, sent.results);
			const again = sent.answered ? commandsToResend(pending, sent.results, halt) : [];
			if (again.length === 0 || round >= RETRY_LIMITS.operatingLimit) break;
			await waitForOperatingBudget.call(
				this,
				connection,
				again.map((command) => command.method),
				round,
			);
			pending = again;
		}
		halted = halt && chunk.some((command) => !results[command.key].ok);
	}
	return results;
}
