import { randomBytes } from 'node:crypto';
import { STATUS_CODES } from 'node:http';

import { json, type ApiResponse } from '../common';

/** The three error body shapes of lexoffice-api.md §7.2. */

/** 1. Gateway/auth: `{ "message": … }`. */
export function gatewayError(status: number, message: string | null): ApiResponse {
	return json(status, { message });
}

export interface Issue {
	i18nKey: string;
	source: string;
	type: string;
	additionalData?: unknown;
	args?: unknown;
}

/** 2. Legacy `IssueList` — contacts, files, vouchers. */
export function legacyError(status: number, issues: Issue[]): ApiResponse {
	return json(status, {
		IssueList: issues.map((issue) => ({ additionalData: null, args: null, ...issue })),
	});
}

export function validationIssue(source: string, i18nKey = 'missing_entity'): Issue {
	return { i18nKey, source, type: 'validation_failure' };
}

export interface Violation {
	violation: string;
	field: string;
	message: string;
}

/** 3. Regular — invoices, event subscriptions, voucherlist, payments, profile. */
export function regularError(status: number, path: string, message: string, details?: Violation[]): ApiResponse {
	return json(status, {
		timestamp: new Date().toISOString(),
		status,
		error: STATUS_CODES[status] ?? 'Error',
		path,
		traceId: randomBytes(6).toString('hex'),
		message,
		...(details ? { details } : {}),
	});
}

export const VALIDATION_FAILED = 'Validation failed for request. Please see details list for specific causes.';

/** A 406 with the documented generic message and the violations found. */
export function regularValidationError(path: string, details: Violation[]): ApiResponse {
	return regularError(406, path, VALIDATION_FAILED, details);
}

export const notNull = (field: string): Violation => ({ violation: 'NOTNULL', field, message: 'darf nicht leer sein' });
export const invalid = (field: string, message: string): Violation => ({ violation: 'INVALID', field, message });
