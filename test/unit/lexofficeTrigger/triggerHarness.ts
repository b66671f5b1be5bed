/**
 * Runs the LexOffice triggers in-process the way n8n would: hook contexts for the lifecycle, a
 * real HTTP listener standing in for n8n's webhook server (so the sandbox's HEAD probes and signed
 * deliveries travel over HTTP), webhook contexts for each request, and poll contexts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { PollContext } from 'n8n-core';
import type { IDataObject, INodeExecutionData, INodeParameters, WorkflowExecuteMode } from 'n8n-workflow';

import { LexofficePollTrigger } from '../../../nodes/LexofficePollTrigger/LexofficePollTrigger.node';
import { LexofficeTrigger } from '../../../nodes/LexofficeTrigger/LexofficeTrigger.node';
import {
	createHookContext,
	createNodeHarness,
	createWebhookContext,
	type CapturedResponse,
	type FakeHttpRequest,
} from '../../helpers/n8nContext';
import type { LexofficeSandbox } from '../../sandbox/lexoffice';
import { UNLIMITED } from '../lexoffice/helpers';

export const WEBHOOK_ID = '0b9d3c52-7d5e-4a8f-9a36-3c1e2f4a5b6c';
export const APP_URL = 'https://app.lexware.de';

export function credentialsFor(sb: LexofficeSandbox, overrides: IDataObject = {}) {
	return {
		// The sandbox is not rate limited in these tests, so neither is the client.
		lexofficeApi: {
			apiKey: sb.apiKey,
			host: sb.url,
			appUrl: APP_URL,
			webhookPublicKey: sb.publicKeyPem,
			...UNLIMITED,
			...overrides,
		},
	};
}

export interface TriggerSetup {
	parameters: INodeParameters;
	credentials: ReturnType<typeof credentialsFor>;
	/** Workflow static data; keep the object to keep state across calls, like n8n does. */
	staticData: IDataObject;
}

type Lifecycle = 'checkExists' | 'create' | 'delete';

/** Calls one of the trigger's webhookMethods with `baseUrl` as n8n's webhook base URL. */
export async function lifecycle(method: Lifecycle, setup: TriggerSetup, baseUrl: string): Promise<boolean> {
	const options = { ...setup, webhookId: WEBHOOK_ID };
	const harness = createNodeHarness(new LexofficeTrigger(), options);
	harness.additionalData.webhookBaseUrl = baseUrl;
	const context = createHookContext(new LexofficeTrigger(), options, harness);
	return await new LexofficeTrigger().webhookMethods.default[method].call(context);
}

export interface WebhookRun {
	response: CapturedResponse;
	workflowData?: INodeExecutionData[][];
	/** The API paths the sandbox had been asked for when the node sent its answer. */
	apiPathsAtAnswer?: string[];
}

/** Runs `webhook()` for one request, as n8n does after routing it to the trigger. */
export async function runWebhook(
	setup: TriggerSetup,
	request: FakeHttpRequest,
	observe?: { sandbox: LexofficeSandbox; onAnswer?: (response: CapturedResponse) => void },
	{ rawBodyUnread = false }: { rawBodyUnread?: boolean } = {},
): Promise<WebhookRun> {
	const webhookName = request.method === 'HEAD' ? 'setup' : 'default';
	const options = { ...setup, webhookId: WEBHOOK_ID, request, webhookName };
	const harness = createNodeHarness(new LexofficeTrigger(), options);
	const { context, response } = createWebhookContext(new LexofficeTrigger(), options, harness);
	const run: WebhookRun = { response };
	if (rawBodyUnread) {
		// Like n8n before the body is consumed: no rawBody until readRawBody() is called.
		const expressRequest = harness.additionalData.httpRequest as unknown as {
			rawBody?: Buffer;
			readRawBody: () => Promise<void>;
		};
		const bytes = expressRequest.rawBody;
		delete expressRequest.rawBody;
		expressRequest.readRawBody = async () => {
			expressRequest.rawBody = bytes;
		};
	}
	// Observe the moment the node answers (it answers before fetching the resource).
	const express = harness.additionalData.httpResponse as unknown as { send: (body?: unknown) => unknown };
	const send = express.send.bind(express);
	express.send = (body?: unknown) => {
		const result = send(body);
		if (observe) run.apiPathsAtAnswer = observe.sandbox.requests.filter().map((entry) => entry.path);
		observe?.onAnswer?.(response);
		return result;
	};
	const result = await new LexofficeTrigger().webhook.call(context);
	run.workflowData = result.workflowData;
	return run;
}

/**
 * A stand-in for n8n's webhook server at `<url>/<webhookId>/webhook`: 404 for everything unless
 * `live` (n8n serves the URL only once the workflow is active), else HEAD and POST go to the
 * trigger's `webhook()`. The answer is written to the socket when the node sends it.
 */
export class WebhookListener {
	live = false;
	/** While not live, HEAD requests that still get 200 (to fail a later probe in the same create()). */
	headsAllowedWhileActivating = 0;
	readonly executions: INodeExecutionData[][][] = [];
	readonly runs: WebhookRun[] = [];
	private server?: Server;
	private pending = new Set<Promise<void>>();
	url = '';

	constructor(
		private readonly setup: () => TriggerSetup,
		private readonly sandbox: LexofficeSandbox,
	) {}

	get callbackUrl(): string {
		return `${this.url}/${WEBHOOK_ID}/webhook`;
	}

	async start(): Promise<this> {
		this.server = createServer((req, res) => {
			const handled = this.handle(req, res).finally(() => this.pending.delete(handled));
			this.pending.add(handled);
		});
		await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhook`;
		return this;
	}

	/** Waits for webhook() calls still running (e.g. fetching the resource after answering). */
	async settle(): Promise<void> {
		while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
	}

	async close(): Promise<void> {
		await this.settle();
		await new Promise<void>((resolve) => this.server?.close(() => resolve()));
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const rawBody = Buffer.concat(chunks);
		const ours = req.url === `/webhook/${WEBHOOK_ID}/webhook`;
		const headProbeAllowed = req.method === 'HEAD' && this.headsAllowedWhileActivating > 0;
		if (!ours || (!this.live && !headProbeAllowed) || (req.method !== 'HEAD' && req.method !== 'POST')) {
			res.writeHead(404).end();
			return;
		}
		if (!this.live) this.headsAllowedWhileActivating--;
		let body: unknown = {};
		try {
			body = rawBody.length > 0 ? JSON.parse(rawBody.toString('utf8')) : {};
		} catch {
			body = {};
		}
		const headers = Object.fromEntries(
			Object.entries(req.headers).map(([key, value]) => [key, Array.isArray(value) ? value.join(',') : String(value)]),
		);
		// n8n loads static data from the database for every request, so what one webhook() call
		// writes there is not seen by the next: each request gets a copy of the saved state.
		const saved = this.setup();
		const setup = { ...saved, staticData: JSON.parse(JSON.stringify(saved.staticData)) as IDataObject };
		const run = await runWebhook(
			setup,
			{ method: req.method, headers, body, rawBody },
			{
				sandbox: this.sandbox,
				onAnswer: (response) => {
					res.writeHead(response.statusCode, { 'content-type': 'application/json' });
					res.end(response.body === undefined ? undefined : JSON.stringify(response.body));
				},
			},
		);
		this.runs.push(run);
		if (run.workflowData) this.executions.push(run.workflowData);
		if (!res.writableEnded) res.writeHead(run.response.statusCode).end();
	}
}

/** Runs `poll()` of the poll trigger with n8n-core's PollContext. */
export async function poll(
	setup: TriggerSetup,
	mode: WorkflowExecuteMode = 'trigger',
): Promise<INodeExecutionData[][] | null> {
	const nodeType = new LexofficePollTrigger();
	const harness = createNodeHarness(nodeType, setup);
	const context = new PollContext(harness.workflow, harness.node, harness.additionalData, mode, 'activate');
	return await nodeType.poll.call(context);
}
