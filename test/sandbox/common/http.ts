import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface RunningServer {
	/** e.g. 'http://127.0.0.1:43123' (no trailing slash). */
	url: string;
	port: number;
	close(): Promise<void>;
}

export type NodeRequestHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/**
 * A node:http server on a loopback port chosen by the OS (port 0). close() also destroys
 * keep-alive sockets, otherwise jest waits for idle client connections to time out.
 */
export async function startHttpServer(
	handler: NodeRequestHandler,
	{ port = 0, host = '127.0.0.1' }: { port?: number; host?: string } = {},
): Promise<RunningServer> {
	const sockets = new Set<Socket>();
	const server = createServer((req, res) => {
		Promise.resolve(handler(req, res)).catch((error: unknown) => {
			if (!res.headersSent) {
				sendJson(res, 500, { message: `sandbox error: ${String(error)}` });
			} else {
				res.destroy();
			}
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => resolve());
	});
	const address = server.address();
	const actualPort = typeof address === 'object' && address ? address.port : port;
	return {
		url: `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`,
		port: actualPort,
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

/** What the sandboxes' API code sees of a request: parsed once, raw body kept. */
export interface ApiRequest {
	method: string;
	path: string;
	/** First value per key; use `searchParams` for repeated keys. */
	query: Record<string, string>;
	searchParams: URLSearchParams;
	headers: IncomingHttpHeaders;
	rawBody: Buffer;
}

/** What the sandboxes' API code answers; written by `sendApiResponse`. */
export interface ApiResponse {
	status: number;
	json?: unknown;
	bytes?: Buffer;
	headers?: Record<string, string>;
	/** Shown in the request log (e.g. an operation or Bitrix24 method name). */
	label?: string;
}

export async function readRawBody(req: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

export function parseUrl(rawUrl: string): {
	path: string;
	query: Record<string, string>;
	searchParams: URLSearchParams;
} {
	const url = new URL(rawUrl, 'http://sandbox.invalid');
	const query: Record<string, string> = {};
	for (const [key, value] of url.searchParams) {
		if (!(key in query)) query[key] = value;
	}
	return { path: url.pathname, query, searchParams: url.searchParams };
}

export async function toApiRequest(req: IncomingMessage): Promise<ApiRequest> {
	const rawBody = await readRawBody(req);
	return { method: (req.method ?? 'GET').toUpperCase(), ...parseUrl(req.url ?? '/'), headers: req.headers, rawBody };
}

/** The media type without parameters, lower-cased ('' when absent). */
export function mediaType(headers: IncomingHttpHeaders): string {
	return (headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

/** JSON.parse of the raw body; throws SyntaxError on invalid JSON, returns undefined for an empty body. */
export function parseJsonBody(rawBody: Buffer): unknown {
	const text = rawBody.toString('utf8');
	return text.trim() === '' ? undefined : JSON.parse(text);
}

/** `application/x-www-form-urlencoded` with PHP-style bracket keys (see `parsePhpParams`). */
export function parseFormBody(rawBody: Buffer | string): Record<string, unknown> {
	return parsePhpParams(new URLSearchParams(rawBody.toString()));
}

/**
 * Decodes PHP-style keys as PHP does: `a[b][c]=1` → `{a:{b:{c:'1'}}}`, `a[]=1&a[]=2` → `{a:['1','2']}`.
 * Containers whose keys are exactly 0..n-1 become arrays, like PHP's json_encode of a list
 * (Bitrix24 sends `FIELDS[EMAIL][0][VALUE]=…`).
 */
export function parsePhpParams(params: URLSearchParams): Record<string, unknown> {
	const root: Record<string, unknown> = {};
	for (const [rawKey, value] of params) {
		const match = /^([^[\]]+)((?:\[[^\]]*\])*)$/.exec(rawKey);
		const path = match ? [match[1], ...[...match[2].matchAll(/\[([^\]]*)\]/g)].map((m) => m[1])] : [rawKey];
		let node = root;
		path.forEach((segment, index) => {
			const key = segment === '' ? String(Object.keys(node).length) : segment;
			if (index === path.length - 1) {
				node[key] = value;
				return;
			}
			if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
			node = node[key] as Record<string, unknown>;
		});
	}
	return listsToArrays(root) as Record<string, unknown>;
}

function listsToArrays(value: unknown): unknown {
	if (typeof value !== 'object' || value === null) return value;
	const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, listsToArrays(v)] as const);
	const isList = entries.length > 0 && entries.every(([k], i) => k === String(i));
	return isList ? entries.map(([, v]) => v) : Object.fromEntries(entries);
}

export function sendJson(
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): void {
	const bytes = body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body), 'utf8');
	res.writeHead(status, {
		...(bytes.length > 0 ? { 'Content-Type': 'application/json' } : {}),
		'Content-Length': String(bytes.length),
		...headers,
	});
	res.end(bytes);
}

export function sendApiResponse(res: ServerResponse, response: ApiResponse): void {
	if (response.bytes) {
		res.writeHead(response.status, { 'Content-Length': String(response.bytes.length), ...response.headers });
		res.end(response.bytes);
		return;
	}
	sendJson(res, response.status, response.json, response.headers);
}

/** Drops the connection without an answer (what a client sees as ECONNRESET / socket hang up). */
export function dropConnection(res: ServerResponse): void {
	res.socket?.destroy();
}

export function json(status: number, body?: unknown, headers?: Record<string, string>): ApiResponse {
	return { status, json: body, headers };
}
