import { sendOutbound } from '../common/outbound';

export type CallbackResult = { status: number; location?: string } | { error: string; code?: string };

/**
 * One request from "LexOffice" to a subscriber's callback URL (HEAD probe or webhook POST); the
 * read timeout is §6.5's 5 s unless configured otherwise. Redirects are left to the caller (§6.5
 * follows at most 3).
 */
export async function callCallback(
	url: string,
	options: { method: 'HEAD' | 'POST'; body?: string; headers?: Record<string, string>; timeoutMs: number },
): Promise<CallbackResult> {
	const result = await sendOutbound({
		method: options.method,
		url,
		body: options.body,
		timeoutMs: options.timeoutMs,
		headers: {
			'User-Agent': 'lexoffice-sandbox-webhooks',
			...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
			...options.headers,
		},
	});
	return 'error' in result ? result : { status: result.status, location: result.headers.location };
}
