/**
 * A plain Bitrix24 REST client for tests and scripts (not the node's transport): POST + JSON to a
 * webhook base URL or to `${portal}/rest/` with a Bearer token.
 */
export interface B24Answer<T = any> {
	status: number;
	body: T;
	headers: Headers;
}

export interface CallOptions {
	/** OAuth access token; sent as `Authorization: Bearer …`. */
	token?: string;
	/** 'json' (default), 'form' (bracketed keys) or 'query' (GET). */
	transport?: 'json' | 'form' | 'query';
}

function phpQuery(value: unknown, prefix = '', params = new URLSearchParams()): URLSearchParams {
	if (value !== null && typeof value === 'object') {
		for (const [key, child] of Object.entries(value)) phpQuery(child, prefix ? `${prefix}[${key}]` : key, params);
	} else if (prefix) {
		params.append(prefix, value === null || value === undefined ? '' : String(value));
	}
	return params;
}

/** `base` is a webhook URL (`…/rest/1/secret/`) or `${portal}/rest/` for OAuth calls. */
export async function callBitrix<T = any>(
	base: string,
	method: string,
	params: unknown = {},
	options: CallOptions = {},
): Promise<B24Answer<T>> {
	const headers: Record<string, string> = { Accept: 'application/json' };
	if (options.token) headers.Authorization = `Bearer ${options.token}`;
	const url = `${base.endsWith('/') ? base : `${base}/`}${method}`;
	const transport = options.transport ?? 'json';
	let response: Response;
	if (transport === 'query') {
		response = await fetch(`${url}?${phpQuery(params).toString()}`, { headers });
	} else {
		const form = transport === 'form';
		response = await fetch(url, {
			method: 'POST',
			headers: { ...headers, 'Content-Type': form ? 'application/x-www-form-urlencoded' : 'application/json' },
			body: form ? phpQuery(params).toString() : JSON.stringify(params),
		});
	}
	const text = await response.text();
	return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, headers: response.headers };
}

/** `cmd[key]` query strings for batch, encoded like http_build_query. */
export function batchCommand(method: string, params: unknown): string {
	return `${method}?${phpQuery(params).toString()}`;
}
