/** Outbound form posts: how Bitrix24 talks to event, placement and install handlers (§9, §10). */
import { sendOutbound } from '../common/outbound';

/** PHP http_build_query: nested keys become `a[b][c]` (brackets percent-encoded, as PHP does). */
export function encodePhpForm(value: Record<string, unknown>): string {
	const params = new URLSearchParams();
	const walk = (prefix: string, node: unknown): void => {
		if (node !== null && typeof node === 'object') {
			for (const [key, child] of Object.entries(node as Record<string, unknown>)) walk(`${prefix}[${key}]`, child);
			return;
		}
		params.append(
			prefix,
			node === null || node === undefined ? '' : typeof node === 'boolean' ? (node ? '1' : '0') : String(node),
		);
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
	const result = await sendOutbound({
		method: 'POST',
		url,
		query: options.query,
		headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'User-Agent': 'Bitrix24 Sandbox' },
		body: encodePhpForm(body),
		timeoutMs: options.timeoutMs ?? 10_000,
	});
	if ('error' in result) throw Object.assign(new Error(result.error), { code: result.code });
	return result;
}
