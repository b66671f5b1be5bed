import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export type CallbackResult = { status: number; location?: string } | { error: string; code?: string };

/**
 * One request from "LexOffice" to a subscriber's callback URL (HEAD probe or webhook POST).
 * No connection reuse (agent: false), so closing the sandbox leaves no sockets behind; the read
 * timeout is §6.5's 5 s unless configured otherwise.
 */
export async function callCallback(
	url: string,
	options: { method: 'HEAD' | 'POST'; body?: string; headers?: Record<string, string>; timeoutMs: number },
): Promise<CallbackResult> {
	let target: URL;
	try {
		target = new URL(url);
	} catch {
		return { error: `invalid URL ${url}`, code: 'ERR_INVALID_URL' };
	}
	const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
	const body = options.body === undefined ? undefined : Buffer.from(options.body, 'utf8');
	return await new Promise<CallbackResult>((resolve) => {
		const req = send(
			target,
			{
				method: options.method,
				agent: false,
				headers: {
					'User-Agent': 'lexoffice-sandbox-webhooks',
					...(body ? { 'Content-Type': 'application/json', 'Content-Length': String(body.length) } : {}),
					...options.headers,
				},
			},
			(res) => {
				res.resume();
				res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location }));
				res.on('error', (error) => resolve({ error: error.message }));
			},
		);
		req.setTimeout(options.timeoutMs, () => req.destroy(Object.assign(new Error('read timeout'), { code: 'ETIMEDOUT' })));
		req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.message, code: error.code }));
		req.end(body);
	});
}
