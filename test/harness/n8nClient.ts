import http from 'node:http';

import axios, { type AxiosInstance, type AxiosResponse, type Method } from 'axios';
import type {
	IConnections,
	INode,
	INodeCredentials,
	INodeParameters,
	INodePropertyOptions,
	INodeTypeDescription,
	IRunExecutionData,
} from 'n8n-workflow';

import { pollUntil } from './poll';

export interface NodeTypeSummary {
	name: string;
	displayName: string;
	version: number | number[];
	credentials?: Array<{ name: string }>;
}

export interface CredentialTypeSummary {
	name: string;
	displayName: string;
}

/** What n8n's credential test reports (the same text the editor shows under the credential). */
export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

export interface PublicationStatus {
	status: 'in_progress' | 'published' | 'partial' | 'failed';
	triggers: Array<{ nodeName?: string; status: string; errorMessage?: string | null }>;
}

export interface ExecutionSummary {
	id: string;
	workflowId: string;
	status: string;
	finished: boolean;
	mode: string;
	startedAt: string | null;
	stoppedAt: string | null;
}

export interface Execution extends ExecutionSummary {
	data?: IRunExecutionData;
}

/** A workflow file as exported by n8n or shipped in workflows/; extra keys are allowed. */
export interface WorkflowJson {
	name: string;
	nodes: INode[];
	connections: IConnections;
	settings?: Record<string, unknown>;
	[key: string]: unknown;
}

export interface ImportedWorkflow extends WorkflowJson {
	id: string;
}

export interface OwnerAccount {
	email: string;
	firstName: string;
	lastName: string;
	password: string;
}

export const DEFAULT_OWNER: OwnerAccount = {
	email: 'owner@e2e.example.com',
	firstName: 'End',
	lastName: 'ToEnd',
	password: 'E2e-Passw0rd-not-secret',
};

/** Keys POST /api/v1/workflows accepts at the top level; it rejects the rest with 400 (n8n-community-nodes.md §8). */
const PUBLIC_API_WORKFLOW_KEYS = ['name', 'nodes', 'connections', 'settings', 'staticData', 'pinData'];

const FINISHED_STATUSES = new Set(['success', 'error', 'crashed', 'canceled']);

export interface WaitOptions {
	timeoutMs?: number;
}

/**
 * A small client for a running n8n: the internal REST API (`/rest`, session cookie) for what the
 * editor does, and the public API (`/api/v1`, API key) for everything it offers.
 * Non-2xx answers throw with the response body and `diagnostics()` (the n8n log tail).
 */
export class N8nClient {
	private readonly http: AxiosInstance;
	private authCookie?: string;
	private apiKey?: string;

	constructor(
		readonly baseUrl: string,
		private readonly diagnostics: () => string = () => '',
	) {
		this.http = axios.create({
			baseURL: baseUrl,
			validateStatus: () => true,
			maxRedirects: 0,
			proxy: false,
			timeout: 60_000,
			// A fresh connection per request: Node's default agent reuses idle sockets, and on a starved
			// machine n8n may close one just as it is reused ("socket hang up", seen under full CPU load).
			httpAgent: new http.Agent({ keepAlive: false }),
		});
	}

	/** First-run owner setup (no auth needed); keeps the session cookie, because login is rate-limited. */
	async setupOwner(owner: OwnerAccount = DEFAULT_OWNER): Promise<void> {
		const response = await this.send('POST', '/rest/owner/setup', owner);
		const cookie = (response.headers['set-cookie'] ?? []).find((c) => c.startsWith('n8n-auth='));
		if (!cookie) throw new Error('owner setup returned no n8n-auth cookie');
		this.authCookie = cookie.split(';')[0];
	}

	/** Logs in as an existing owner, e.g. after restarting n8n on the same user folder. */
	async login(owner: OwnerAccount = DEFAULT_OWNER): Promise<void> {
		const response = await this.send('POST', '/rest/login', {
			emailOrLdapLoginId: owner.email,
			password: owner.password,
		});
		const cookie = (response.headers['set-cookie'] ?? []).find((c) => c.startsWith('n8n-auth='));
		if (!cookie) throw new Error('login returned no n8n-auth cookie');
		this.authCookie = cookie.split(';')[0];
	}

	/** Uses an API key created earlier (it survives restarts of the same user folder). */
	useApiKey(apiKey: string): void {
		this.apiKey = apiKey;
	}

	/** Creates an API key with every scope the instance offers and uses it for public-API calls. */
	async createApiKey(label = 'e2e'): Promise<string> {
		const scopes = await this.rest<string[]>('GET', '/api-keys/scopes');
		const created = await this.rest<{ rawApiKey: string }>('POST', '/api-keys', { label, scopes, expiresAt: null });
		this.apiKey = created.rawApiKey;
		return this.apiKey;
	}

	/** Node types as the editor loads them (all versions, including community packages). */
	async listNodeTypes(): Promise<NodeTypeSummary[]> {
		return (await this.send('GET', '/types/nodes.json')).data as NodeTypeSummary[];
	}

	/** Full node type descriptions (properties, credentials, webhooks) as the editor receives them. */
	async nodeTypeDescriptions(): Promise<INodeTypeDescription[]> {
		return (await this.send('GET', '/types/nodes.json')).data as INodeTypeDescription[];
	}

	/** A dropdown's options as the editor loads them (loadOptions method, with the node's credentials). */
	async loadOptions(request: {
		nodeTypeAndVersion: { name: string; version: number };
		path: string;
		methodName: string;
		currentNodeParameters: INodeParameters;
		credentials?: INodeCredentials;
		projectId?: string;
	}): Promise<INodePropertyOptions[]> {
		return await this.rest('POST', '/dynamic-node-parameters/options', request);
	}

	async listCredentialTypes(): Promise<CredentialTypeSummary[]> {
		return (await this.send('GET', '/types/credentials.json')).data as CredentialTypeSummary[];
	}

	/** JSON schema n8n validates credential data against (it adds e.g. `allowedHttpRequestDomains`). */
	async credentialSchema(type: string): Promise<{ properties: Record<string, unknown>; required?: string[] }> {
		return await this.publicApi('GET', `/credentials/schema/${encodeURIComponent(type)}`);
	}

	async createCredential(name: string, type: string, data: Record<string, unknown>): Promise<{ id: string }> {
		return await this.publicApi('POST', '/credentials', { name, type, data });
	}

	/**
	 * Connects an OAuth2 credential the way the editor's "Connect" button does, instead of injecting
	 * token data (which n8n's APIs treat inconsistently across endpoints): n8n builds the authorize
	 * URL, the provider (a sandbox that "allows" at once) redirects to n8n's callback, and n8n
	 * fetches and stores the tokens itself, so its own token handling is what gets tested. The
	 * callback checks the browser-binding cookie set by /auth.
	 */
	async connectOAuth2(credentialId: string): Promise<void> {
		if (!this.authCookie) throw new Error('call setupOwner() before connecting an OAuth2 credential');
		const started = await this.send('GET', `/rest/oauth2-credential/auth?id=${encodeURIComponent(credentialId)}`);
		const authorizeUrl = (started.data as { data: string }).data;
		const binding = (started.headers['set-cookie'] ?? []).map((cookie) => cookie.split(';')[0]);
		const consent = await axios.get(authorizeUrl, { maxRedirects: 0, validateStatus: () => true, proxy: false });
		const callback = String(consent.headers.location ?? '');
		if (consent.status !== 302 || !callback.startsWith(this.baseUrl)) {
			throw new Error(`the provider did not redirect to n8n's callback (${consent.status} ${callback})`);
		}
		const cookie = [this.authCookie, ...binding].join('; ');
		const done = await this.send('GET', callback.slice(this.baseUrl.length), undefined, { cookie });
		if (/error/i.test(String(done.data)) && !/success/i.test(String(done.data))) {
			throw new Error(`n8n's OAuth2 callback reported an error: ${String(done.data).slice(0, 500)}`);
		}
	}

	/** Runs the credential type's `test` inside n8n, as the editor's "Test" does. */
	async testCredential(id: string): Promise<CredentialTestResult> {
		return await this.publicApi('POST', `/credentials/${encodeURIComponent(id)}/test`);
	}

	/**
	 * Imports through the public API, keeping only the top-level keys it accepts. Nodes and settings
	 * pass through unchanged on purpose: a shipped template with keys n8n rejects should fail here.
	 */
	async importWorkflow(workflow: WorkflowJson): Promise<ImportedWorkflow> {
		const body: Record<string, unknown> = { settings: {} };
		for (const key of PUBLIC_API_WORKFLOW_KEYS) {
			if (workflow[key] !== undefined) body[key] = workflow[key];
		}
		return await this.publicApi('POST', '/workflows', body);
	}

	/** Starts publishing; n8n answers before triggers are registered, so follow with waitPublished(). */
	async publish(workflowId: string): Promise<void> {
		await this.publicApi('POST', `/workflows/${encodeURIComponent(workflowId)}/publish`, {});
	}

	async publicationStatus(workflowId: string): Promise<PublicationStatus> {
		return await this.rest('GET', `/workflows/${encodeURIComponent(workflowId)}/publication-status`);
	}

	/** Waits until every trigger is registered; a trigger whose activation failed throws with n8n's message. */
	async waitPublished(workflowId: string, { timeoutMs = 30_000 }: WaitOptions = {}): Promise<PublicationStatus> {
		const status = await pollUntil(
			async () => {
				const current = await this.publicationStatus(workflowId);
				return current.status === 'in_progress' ? undefined : current;
			},
			{ what: `workflow ${workflowId} to finish publishing`, timeoutMs },
		);
		if (status.status !== 'published') {
			const errors = status.triggers.map((t) => `${t.nodeName ?? '?'}: ${t.errorMessage ?? t.status}`);
			throw new Error(`publishing workflow ${workflowId} ended ${status.status}: ${errors.join('; ')}`);
		}
		return status;
	}

	async unpublish(workflowId: string): Promise<void> {
		await this.publicApi('POST', `/workflows/${encodeURIComponent(workflowId)}/unpublish`, {});
	}

	/** The editor's "Execute workflow" from the given trigger node; returns the execution id. */
	async runManually(workflowId: string, triggerName: string): Promise<string> {
		const result = await this.rest<{ executionId?: string; waitingForWebhook?: boolean }>(
			'POST',
			`/workflows/${encodeURIComponent(workflowId)}/run`,
			{ triggerToStartFrom: { name: triggerName } },
		);
		if (!result.executionId) {
			throw new Error(`manual run of ${workflowId} did not start an execution: ${JSON.stringify(result)}`);
		}
		return result.executionId;
	}

	async getExecution(executionId: string): Promise<Execution> {
		return await this.publicApi('GET', `/executions/${encodeURIComponent(executionId)}?includeData=true`);
	}

	/** Ids of the workflow's executions so far (newest first), to prove that nothing new started. */
	async executionIds(workflowId: string): Promise<string[]> {
		const list = await this.publicApi<{ data: ExecutionSummary[] }>(
			'GET',
			`/executions?workflowId=${encodeURIComponent(workflowId)}&limit=250`,
		);
		return list.data.map((execution) => execution.id);
	}

	/** The workflow's executions so far (newest first), with their status, without data. */
	async executionSummaries(workflowId: string): Promise<ExecutionSummary[]> {
		const list = await this.publicApi<{ data: ExecutionSummary[] }>(
			'GET',
			`/executions?workflowId=${encodeURIComponent(workflowId)}&limit=250`,
		);
		return list.data;
	}

	/** Every execution of the workflow, newest first, page by page (the public API gives at most 250 at a time). */
	async allExecutionSummaries(workflowId: string): Promise<ExecutionSummary[]> {
		const all: ExecutionSummary[] = [];
		let cursor: string | undefined;
		do {
			const page = await this.publicApi<{ data: ExecutionSummary[]; nextCursor?: string | null }>(
				'GET',
				`/executions?workflowId=${encodeURIComponent(workflowId)}&limit=250${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
			);
			all.push(...page.data);
			cursor = page.nextCursor ?? undefined;
		} while (cursor);
		return all;
	}

	/** Waits for a finished execution of the workflow (with data) that satisfies `predicate`. */
	async waitForExecution(
		workflowId: string,
		predicate: (execution: Execution) => boolean = () => true,
		{ timeoutMs = 30_000 }: WaitOptions = {},
	): Promise<Execution> {
		const checked = new Set<string>();
		return await pollUntil(
			async () => {
				const list = await this.publicApi<{ data: ExecutionSummary[] }>(
					'GET',
					`/executions?workflowId=${encodeURIComponent(workflowId)}&limit=100`,
				);
				for (const summary of list.data) {
					if (checked.has(summary.id) || !FINISHED_STATUSES.has(summary.status)) continue;
					checked.add(summary.id);
					const execution = await this.getExecution(summary.id);
					if (predicate(execution)) return execution;
				}
				return undefined;
			},
			{ what: `a finished execution of workflow ${workflowId}`, timeoutMs },
		);
	}

	async getWorkflow(workflowId: string): Promise<ImportedWorkflow> {
		return await this.publicApi('GET', `/workflows/${encodeURIComponent(workflowId)}`);
	}

	/** Saves a changed workflow (n8n's update path, as the editor's Save: it binds credentials by name again). */
	async updateWorkflow(workflowId: string, workflow: WorkflowJson): Promise<ImportedWorkflow> {
		const body: Record<string, unknown> = { settings: {} };
		for (const key of ['name', 'nodes', 'connections', 'settings']) {
			if (workflow[key] !== undefined) body[key] = workflow[key];
		}
		return await this.publicApi('PUT', `/workflows/${encodeURIComponent(workflowId)}`, body);
	}

	/**
	 * The webhookId n8n gave a trigger node of a stored workflow. The templates carry none, so every
	 * import gets fresh ones (two imports never share a webhook URL); ask n8n, not the file.
	 */
	async webhookIdOf(workflowId: string, nodeName: string): Promise<string> {
		const node = (await this.getWorkflow(workflowId)).nodes.find((candidate) => candidate.name === nodeName);
		if (!node?.webhookId) throw new Error(`workflow ${workflowId} has no webhook node "${nodeName}"`);
		return node.webhookId;
	}

	/** Production webhook URL for a path as n8n registers it (`<webhookId>/<path>` for node webhooks). */
	webhookUrl(path: string): string {
		return `${this.baseUrl}/webhook/${path.replace(/^\/+/, '')}`;
	}

	private async rest<T>(method: Method, path: string, data?: unknown): Promise<T> {
		if (!this.authCookie) throw new Error('call setupOwner() before using the internal REST API');
		// The internal API wraps payloads in { data }.
		return ((await this.send(method, `/rest${path}`, data, { cookie: this.authCookie })).data as { data: T }).data;
	}

	private async publicApi<T>(method: Method, path: string, data?: unknown): Promise<T> {
		if (!this.apiKey) throw new Error('call createApiKey() before using the public API');
		return (await this.send(method, `/api/v1${path}`, data, { 'x-n8n-api-key': this.apiKey })).data as T;
	}

	private async send(
		method: Method,
		url: string,
		data?: unknown,
		headers: Record<string, string> = {},
	): Promise<AxiosResponse> {
		const response = await this.http
			.request({
				method,
				url,
				data,
				headers: { ...headers, ...(this.authCookie && !headers.cookie ? { cookie: this.authCookie } : {}) },
			})
			.catch((error: unknown) => {
				// Connection refused/reset usually means n8n died: the log tail says why.
				throw new Error(`${method} ${url} failed: ${(error as Error).message}${this.diagnostics()}`);
			});
		if (response.status >= 200 && response.status < 300) return response;
		const body = typeof response.data === 'string' ? response.data : JSON.stringify(response.data);
		throw new Error(`${method} ${url} → ${response.status}: ${body.slice(0, 2000)}${this.diagnostics()}`);
	}
}
