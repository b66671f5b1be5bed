/**
 * A loopback HTTP endpoint standing in for n8n's webhook server in front of the Bitrix24
 * Trigger: it reads the body the way n8n 2.41 does (`querystring.parse` for forms, so bracketed
 * keys stay flat: n8n-community-nodes.md §4.1, cli `middlewares/body-parser.js`), runs the node's
 * `webhook()` in n8n-core's WebhookContext, and answers with what the node sent.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQueryString } from 'node:querystring';

import type { IDataObject, INodeParameters, IWebhookResponseData } from 'n8n-workflow';

import { Bitrix24Trigger } from '../../../nodes/Bitrix24Trigger/Bitrix24Trigger.node';
import { createWebhookContext, type CredentialFixtures, type FakeHttpRequest } from '../../helpers/n8nContext';

export interface TriggerSetup {
	parameters: INodeParameters;
	credentials: CredentialFixtures;
	staticData?: IDataObject;
}

export interface HandledCall {
	request: FakeHttpRequest;
	/** What webhook() returned, or the error it threw. */
	result?: IWebhookResponseData;
	error?: Error;
	statusCode: number;
	responseHeaders: Record<string, string>;
	responseBody: string;
}

/** Runs the trigger's webhook() on one request, as n8n would. */
export async function runTriggerWebhook(setup: TriggerSetup, request: FakeHttpRequest): Promise<HandledCall> {
	const { context, response } = createWebhookContext(new Bitrix24Trigger(), { ...setup, request });
	const handled: HandledCall = { request, statusCode: 200, responseHeaders: {}, responseBody: '' };
	try {
		handled.result = await new Bitrix24Trigger().webhook.call(context);
	} catch (error) {
		handled.error = error as Error;
		return { ...handled, statusCode: 500, responseBody: JSON.stringify({ message: 'Error in workflow' }) };
	}
	if (handled.result.noWebhookResponse) {
		return {
			...handled,
			statusCode: response.statusCode,
			responseHeaders: response.headers,
			responseBody: typeof response.body === 'string' ? response.body : JSON.stringify(response.body ?? ''),
		};
	}
	// onReceived: n8n answers with the node's webhookResponse, or its default message.
	const body = handled.result.workflowData ? { message: 'Workflow was started' } : handled.result.webhookResponse;
	return { ...handled, responseHeaders: { 'content-type': 'application/json' }, responseBody: JSON.stringify(body) };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

/** n8n 2.41's body-parser: JSON, forms through `querystring` with at most 1000 keys, text as a string. */
export function parseLikeN8n(contentType: string, raw: Buffer): unknown {
	const type = contentType.split(';')[0].trim().toLowerCase();
	if (raw.length === 0) return {};
	if (type === 'application/x-www-form-urlencoded')
		return { ...parseQueryString(raw.toString('utf8'), undefined, undefined, { maxKeys: 1000 }) };
	if (type === 'application/json') return JSON.parse(raw.toString('utf8')) as unknown;
	if (type === 'text/plain') return raw.toString('utf8');
	return {};
}

export interface TriggerEndpoint {
	url: string;
	calls: HandledCall[];
	close(): Promise<void>;
}

/** `setup` is read per request, so a test can change parameters between deliveries. */
export async function startTriggerEndpoint(setup: () => TriggerSetup): Promise<TriggerEndpoint> {
	const calls: HandledCall[] = [];
	const server: Server = createServer((req, res) => {
		void (async () => {
			const rawBody = await readBody(req);
			const url = new URL(req.url ?? '/', 'http://127.0.0.1');
			const headers = Object.fromEntries(
				Object.entries(req.headers).map(([name, value]) => [
					name,
					Array.isArray(value) ? value.join(', ') : (value ?? ''),
				]),
			);
			const handled = await runTriggerWebhook(setup(), {
				method: req.method,
				headers,
				query: { ...parseQueryString(url.search.slice(1)) },
				body: parseLikeN8n(headers['content-type'] ?? '', rawBody),
				rawBody,
			});
			calls.push(handled);
			res.writeHead(handled.statusCode, handled.responseHeaders).end(handled.responseBody);
		})();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/webhook/bitrix24-trigger`,
		calls,
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
}
