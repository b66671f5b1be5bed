/**
 * Running one REST method (directly or inside batch) and the batch method itself
 * (bitrix24-api.md §3.2, §3.3).
 */
import { parsePhpParams } from '../common';
import {
	done,
	isRecord,
	isYes,
	param,
	phpArray,
	type AuthContext,
	type CallContext,
	type MethodResult,
	type MethodTable,
} from './context';
import { B24Error, systemErrors } from './errors';
import type { OperatingUsage } from './limits';
import type { Portal } from './portal';

export const MAX_BATCH_COMMANDS = 50;

/** The `time` object of every answer (§2; api-reference/data-types.md#time). */
export interface TimeInfo {
	start: number;
	finish: number;
	duration: number;
	processing: number;
	date_start: string;
	date_finish: string;
	operating_reset_at: number;
	operating: number;
}

export function timeInfo(
	portal: Portal,
	startMs: number,
	finishMs: number,
	processingMs: number,
	usage: OperatingUsage,
): TimeInfo {
	return {
		start: startMs / 1000,
		finish: finishMs / 1000,
		duration: (finishMs - startMs) / 1000,
		processing: processingMs / 1000,
		date_start: portal.iso(startMs),
		date_finish: portal.iso(finishMs),
		operating_reset_at: usage.resetAt,
		operating: usage.operating,
	};
}

export interface CallOutcome {
	outcome: MethodResult;
	time: TimeInfo;
}

function operatingKey(auth: AuthContext, method: string): string {
	return `${auth.consumer}|${method}`;
}

/** Checks context, scope, admin rights and the operating-time budget, then runs the method. */
export async function executeCall(
	portal: Portal,
	rawMethod: string,
	params: Record<string, unknown>,
	auth: AuthContext,
	inBatch: boolean,
): Promise<CallOutcome> {
	const method = normalizeMethodName(rawMethod);
	const spec = portal.methods[method];
	if (!spec) throw systemErrors.methodNotFound();
	if (inBatch && (spec.wrapper || spec.notInBatch)) throw systemErrors.batchMethodNotAllowed();
	if (spec.appOnly && auth.kind !== 'app') {
		throw spec.appOnly === 'WRONG_AUTH_TYPE' ? systemErrors.wrongAuthType() : systemErrors.applicationContextRequired();
	}
	if (spec.scope !== 'basic' && !auth.scopes.includes(spec.scope)) throw systemErrors.insufficientScope();
	if (spec.adminOnly && !auth.user.isAdmin) throw systemErrors.adminRequired();

	const key = operatingKey(auth, method);
	const operating = portal.limits.operating;
	if (!spec.wrapper && operating.isBlocked(key)) {
		operating.refusals += 1;
		throw systemErrors.operationTimeLimit();
	}

	const context: CallContext = { method, params, auth, portal, inBatch };
	const startMs = portal.now();
	let finishMs = startMs;
	try {
		const outcome = await spec.handler(context);
		finishMs = portal.now();
		const processingMs = recordOperatingTime();
		return { outcome, time: timeInfo(portal, startMs, finishMs, processingMs, operating.usage(key)) };
	} catch (error) {
		finishMs = portal.now();
		recordOperatingTime();
		throw error;
	}

	function recordOperatingTime(): number {
		const processingMs = portal.simulatedExecutionMs(method) ?? finishMs - startMs;
		if (!spec.wrapper) operating.record(key, processingMs);
		return processingMs;
	}
}

/** `crm.contact.add.json` and `CRM.Contact.Add` name the same method (§1.1: the suffix is optional). */
export function normalizeMethodName(raw: string): string {
	return raw
		.trim()
		.replace(/\.json$/i, '')
		.toLowerCase();
}

/** Splits `method?query` and decodes the query PHP-style (§3.3). */
export function parseCommand(command: string): { method: string; params: Record<string, unknown> } {
	const separator = command.indexOf('?');
	const method = normalizeMethodName(separator < 0 ? command : command.slice(0, separator));
	const query = separator < 0 ? '' : command.slice(separator + 1);
	return { method, params: parsePhpParams(new URLSearchParams(query)) };
}

const REFERENCE = /\$result\[([^\]]+)\]((?:\[[^\]]*\])*)/g;

function lookup(results: Record<string, unknown>, key: string, path: string): unknown {
	let value: unknown = results[key];
	for (const [, segment] of path.matchAll(/\[([^\]]*)\]/g)) {
		value = isRecord(value) || Array.isArray(value) ? (value as Record<string, unknown>)[segment] : undefined;
	}
	return value;
}

/** Replaces `$result[key][path…]` with values of earlier commands; a whole-value reference keeps its type. */
export function resolveReferences(value: unknown, results: Record<string, unknown>): unknown {
	if (typeof value === 'string') {
		const whole = new RegExp(`^${REFERENCE.source}$`).exec(value);
		if (whole) return lookup(results, whole[1], whole[2]) ?? '';
		return value.replace(REFERENCE, (_match, key: string, path: string) => {
			const found = lookup(results, key, path);
			return found === undefined || found === null ? '' : String(found);
		});
	}
	if (Array.isArray(value)) return value.map((entry) => resolveReferences(entry, results));
	if (isRecord(value)) {
		return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, resolveReferences(entry, results)]));
	}
	return value;
}

export function batchCommands(params: Record<string, unknown>): Array<[string, string]> {
	const cmd = param(params, 'cmd');
	if (!isRecord(cmd) && !Array.isArray(cmd)) return [];
	return Object.entries(cmd).map(([key, command]) => [key, String(command)]);
}

async function runBatch(context: CallContext): Promise<MethodResult> {
	const commands = batchCommands(context.params);
	if (commands.length > MAX_BATCH_COMMANDS) throw systemErrors.batchLengthExceeded();
	const halt = isYes(param(context.params, 'halt'));
	const results: Record<string, unknown> = {};
	const errors: Record<string, unknown> = {};
	const totals: Record<string, unknown> = {};
	const nexts: Record<string, unknown> = {};
	const times: Record<string, unknown> = {};
	// Sub-calls run one after another, each with the batch's own authorization.
	for (const [key, command] of commands) {
		const { method, params } = parseCommand(command);
		try {
			const { outcome, time } = await executeCall(
				context.portal,
				method,
				resolveReferences(params, results) as Record<string, unknown>,
				context.auth,
				true,
			);
			results[key] = outcome.result;
			if (outcome.total !== undefined) totals[key] = outcome.total;
			if (outcome.next !== undefined) nexts[key] = outcome.next;
			times[key] = time;
		} catch (error) {
			if (!(error instanceof B24Error)) throw error;
			errors[key] = error.toBody();
			if (halt) break;
		}
	}
	return done({
		result: phpArray(results),
		result_error: phpArray(errors),
		result_total: phpArray(totals),
		result_next: phpArray(nexts),
		result_time: phpArray(times),
	});
}

export const batchMethods: MethodTable = {
	batch: { scope: 'basic', wrapper: true, handler: runBatch },
};
