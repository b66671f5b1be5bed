/**
 * Bitrix24 REST errors: `{error, error_description}` with an HTTP status (bitrix24-api.md §2).
 * Many CRM methods answer with an EMPTY `error` code and only a description, so `crmError`
 * exists to make that the easy default for legacy CRM methods.
 */
export class B24Error extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		readonly description: string,
	) {
		super(`${code || '(empty error code)'}: ${description}`);
	}

	toBody(): { error: string; error_description: string } {
		return { error: this.code, error_description: this.description };
	}
}

/** The empty-code style of legacy CRM methods, e.g. crm.contact.add "Parameter 'fields' must be array." */
export function crmError(description: string, status = 400): B24Error {
	return new B24Error(status, '', description);
}

/** System errors from `_includes/system-errors.md` (bitrix24-api.md §2 table). */
export const systemErrors = {
	queryLimitExceeded: () => new B24Error(503, 'QUERY_LIMIT_EXCEEDED', 'Too many requests'),
	operationTimeLimit: () => new B24Error(429, 'OPERATION_TIME_LIMIT', 'Method is blocked due to operation time limit.'),
	noAuthFound: () => new B24Error(401, 'NO_AUTH_FOUND', 'Wrong authorization data'),
	expiredToken: () => new B24Error(401, 'expired_token', 'The access token provided has expired.'),
	insufficientScope: () =>
		new B24Error(
			403,
			'insufficient_scope',
			'The request requires higher privileges than provided by the access token.',
		),
	methodNotFound: () => new B24Error(404, 'ERROR_METHOD_NOT_FOUND', 'Method not found!'),
	batchLengthExceeded: () => new B24Error(400, 'ERROR_BATCH_LENGTH_EXCEEDED', 'Max batch length exceeded'),
	batchMethodNotAllowed: () =>
		new B24Error(405, 'ERROR_BATCH_METHOD_NOT_ALLOWED', 'Method is not allowed for batch usage'),
	internal: () => new B24Error(500, 'INTERNAL_SERVER_ERROR', 'Internal server error'),
	// §0.1 / §1.1: placement.* via webhook → WRONG_AUTH_TYPE; other app-only methods → ACCESS_DENIED.
	wrongAuthType: () => new B24Error(403, 'WRONG_AUTH_TYPE', 'Current authorization type is denied for this method'),
	applicationContextRequired: () => new B24Error(403, 'ACCESS_DENIED', 'Access denied! Application context required'),
	adminRequired: () => new B24Error(403, 'ACCESS_DENIED', 'Access denied! Admin permissions required'),
};

/** The body a fault injected for `status` carries, so injected faults look like the real API. */
export function defaultFaultBody(status: number): unknown {
	if (status === 503) return systemErrors.queryLimitExceeded().toBody();
	if (status === 429) return systemErrors.operationTimeLimit().toBody();
	if (status === 401) return systemErrors.noAuthFound().toBody();
	return { error: 'INTERNAL_SERVER_ERROR', error_description: 'Internal server error' };
}

/**
 * What a random fault answers (FaultOptions.rate): Bitrix24's own INTERNAL_SERVER_ERROR for 500,
 * and the web server's HTML page for 502/503/504 — never QUERY_LIMIT_EXCEEDED, which Bitrix24
 * sends only for a call it refused and did not perform (§2, §3.1).
 */
export function gatewayFaultAnswer(status: number): { body?: unknown; html?: string } {
	if (status === 500) return { body: systemErrors.internal().toBody() };
	const reason =
		{ 502: 'Bad Gateway', 503: 'Service Temporarily Unavailable', 504: 'Gateway Time-out' }[status] ?? 'Error';
	return {
		html: `<html><head><title>${status} ${reason}</title></head><body><center><h1>${status} ${reason}</h1></center><hr><center>nginx</center></body></html>`,
	};
}
