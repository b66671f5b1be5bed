/** The types every REST method implementation shares. */
import type { Portal } from './portal';
import type { User } from './state';

export interface AuthContext {
	kind: 'webhook' | 'app';
	user: User;
	/** One operating-time budget per app or webhook (bitrix24-api.md §3.2). */
	consumer: string;
	/** Scopes granted to the webhook or app. */
	scopes: string[];
}

export interface CallContext {
	/** Lower-cased method name. */
	method: string;
	params: Record<string, unknown>;
	auth: AuthContext;
	portal: Portal;
	inBatch: boolean;
}

/** `total`/`next` are added to the envelope of list methods (§2). */
export interface MethodResult {
	result: unknown;
	total?: number;
	next?: number;
}

export interface MethodSpec {
	handler(context: CallContext): MethodResult | Promise<MethodResult>;
	scope: string;
	/** App (OAuth) context only, and the error a webhook gets (§0.1, §1.1). */
	appOnly?: 'WRONG_AUTH_TYPE' | 'ACCESS_DENIED';
	adminOnly?: boolean;
	/** File upload methods and batch itself are refused inside batch (§3.3). */
	notInBatch?: boolean;
	/** The batch wrapper's own time is not counted against the operating limit (§3.2). */
	wrapper?: boolean;
}

export type MethodTable = Record<string, MethodSpec>;

export function done(result: unknown): MethodResult {
	return { result };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A parameter that may arrive in any case (`fields`/`FIELDS`): legacy CRM methods accept both. */
export function param(params: Record<string, unknown>, name: string): unknown {
	if (name in params) return params[name];
	const key = Object.keys(params).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
	return key === undefined ? undefined : params[key];
}

export function positiveInt(value: unknown): number | undefined {
	const number = Number(value);
	return value !== '' && value !== null && Number.isInteger(number) && number > 0 ? number : undefined;
}

export function isYes(value: unknown): boolean {
	return value === true || value === 1 || value === '1' || value === 'Y' || value === 'y' || value === 'true';
}

/** PHP's json_encode: an empty array is `[]`, a list is a JSON array, anything else an object. */
export function phpArray(entries: Record<string, unknown>): unknown {
	const keys = Object.keys(entries);
	if (keys.length === 0) return [];
	return keys.every((key, index) => key === String(index)) ? keys.map((key) => entries[key]) : entries;
}
