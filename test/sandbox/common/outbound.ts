/**
 * The one HTTP client both sandboxes use to call out, the way the real services call
 * subscribers: LexOffice's HEAD probes and signed webhook POSTs, Bitrix24's event, placement and
 * install posts. No redirects followed (callers decide), no keep-alive (closing a sandbox leaves no
 * sockets behind), every status returned as data, transport failures as `{ error, code }`.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

import axios, { type AxiosError } from 'axios';

export interface OutboundRequest {
	method: 'HEAD' | 'POST';
	url: string;
	query?: Record<string, string>;
	headers?: Record<string, string>;
	body?: string;
	timeoutMs: number;
}

export type OutboundResult =
	| { status: number; headers: Record<string, string>; body: string }
	| { error: string; code?: string };

const httpAgent = new HttpAgent({ keepAlive: false });
const httpsAgent = new HttpsAgent({ keepAlive: false });

export async function sendOutbound(request: OutboundRequest): Promise<OutboundResult> {
	let target: URL;
	try {
		target = new URL(request.url);
	} catch {
		return { error: `invalid URL ${request.url}`, code: 'ERR_INVALID_URL' };
	}
	for (const [key, value] of Object.entries(request.query ?? {})) target.searchParams.set(key, value);
	try {
		const response = await axios.request<string>({
			method: request.method,
			url: target.toString(),
			headers: request.headers,
			data: request.body,
			timeout: request.timeoutMs,
			maxRedirects: 0,
			validateStatus: () => true,
			responseType: 'text',
			transformResponse: (data: string) => data,
			proxy: false,
			httpAgent,
			httpsAgent,
		});
		const headers = Object.fromEntries(
			Object.entries(response.headers).map(([name, value]) => [name.toLowerCase(), String(value)]),
		);
		return { status: response.status, headers, body: response.data ?? '' };
	} catch (error) {
		const { message, code } = error as AxiosError;
		// axios reports its own timeout as ECONNABORTED: for a subscriber that is a read timeout.
		if (code === 'ECONNABORTED') return { error: 'read timeout', code: 'ETIMEDOUT' };
		return { error: message, code };
	}
}
