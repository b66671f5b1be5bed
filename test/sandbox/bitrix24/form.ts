/** Outbound form posts: how Bitrix24 talks to event, placement and install handlers (§9, §10). */

/** PHP http_build_query: nested keys become `a[b][c]` (brackets percent-encoded, as PHP does). */
export function encodePhpForm(value: Record<string, unknown>): string {
	const params = new URLSearchParams();
	const walk = (prefix: string, node: unknown): void => {
		if (node !== null && typeof node === 'object') {
			for (const [key, child] of Object.entries(node as Record<string, unknown>)) walk(`${prefix}[${key}]`, child);
			return;
		}
		params.append(prefix, node === null || node === undefined ? '' : typeof node === 'boolean' ? (node ? '1' : '0') : String(node));
	};
	for (const [key, child] of Object.entries(value)) walk(key, child);
	return params.toString();
}

export interface HandlerResponse {
	status: number;
	headers: Record<string, string>;
	body: string;
}

export async function postForm(
	url: string,
	body: Record<string, unknown>,
	options: { query?: Record<string, string>; timeoutMs?: number } = {},
): Promise<HandlerResponse> {
	const target = new URL(url);
	for (const [key, value] of Object.entries(options.query ?? {})) target.searchParams.set(key, value);
	const response = await fetch(target, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'User-Agent': 'Bitrix24 Sandbox' },
		body: encodePhpForm(body),
		redirect: 'manual',
		signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
	});
	return { status: response.status, headers: Object.fromEntries(response.headers.entries()), body: await response.text() };
}
