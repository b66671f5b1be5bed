/**
 * Runs our nodes in-process through n8n-core's own execution contexts (ExecuteContext,
 * LoadOptionsContext, HookContext, WebhookContext) instead of hand-written fakes, so
 * `httpRequestWithAuthentication`, OAuth2 refresh, getNodeParameter, continueOnFail and
 * static data behave as they do inside n8n. HTTP is real (aimed at the sandboxes).
 *
 * The only stand-in is the credentials helper, which in n8n lives in the CLI package: ours
 * mirrors n8n's CredentialsHelper (defaults from the credential type, `={{ }}` expressions with
 * `$self`, generic and function `authenticate`, OAuth2 token updates kept in memory).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { ExecuteContext, HookContext, LoadOptionsContext, WebhookContext, Credentials } from 'n8n-core';
import {
	createRunExecutionData,
	ICredentialsHelper,
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type ICredentials,
	type IDataObject,
	type IExecuteData,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeExecutionData,
	type INodeParameters,
	type INodeProperties,
	type INodeType,
	type INodeTypes,
	type IRequestOptionsSimplified,
	type IVersionedNodeType,
	type IWebhookData,
	type IWorkflowExecuteAdditionalData,
	type WorkflowActivateMode,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

export const PACKAGE_NAME = 'n8n-nodes-lexoffice-bitrix24';

/** Credential data by credential type name, e.g. `{ lexofficeApi: { apiKey, host } }`. */
export type CredentialFixtures = Record<string, ICredentialDataDecryptedObject>;

export interface NodeRunOptions {
	parameters: INodeParameters;
	credentials?: CredentialFixtures;
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	typeVersion?: number;
	/** Workflow static data; pass the same object across calls to keep state like n8n does. */
	staticData?: IDataObject;
	nodeName?: string;
	mode?: WorkflowExecuteMode;
	webhookId?: string;
	/** The execution's id (`$execution.id`); a new one per harness unless given, as n8n gives each execution its own. */
	executionId?: string;
}

let executionsStarted = 0;
/** An execution id no other harness of this test process has. */
export const newExecutionId = () => `test-execution-${++executionsStarted}`;

// ---------------------------------------------------------------------------------------------
// Credential types: every class exported from credentials/*.credentials.ts, plus the bits of
// n8n's own oAuth2Api that extending types rely on.

const OAUTH2_BASE: ICredentialType = {
	name: 'oAuth2Api',
	displayName: 'OAuth2 API',
	properties: [
		{ displayName: 'Grant Type', name: 'grantType', type: 'hidden', default: 'authorizationCode' },
		{ displayName: 'Authorization URL', name: 'authUrl', type: 'string', default: '' },
		{ displayName: 'Access Token URL', name: 'accessTokenUrl', type: 'string', default: '' },
		{ displayName: 'Client ID', name: 'clientId', type: 'string', default: '' },
		{ displayName: 'Client Secret', name: 'clientSecret', type: 'string', default: '' },
		{ displayName: 'Scope', name: 'scope', type: 'string', default: '' },
		{ displayName: 'Auth URI Query Parameters', name: 'authQueryParameters', type: 'string', default: '' },
		{ displayName: 'Authentication', name: 'authentication', type: 'hidden', default: 'header' },
	],
};

let credentialTypeCache: Map<string, ICredentialType> | undefined;

export function loadCredentialTypes(): Map<string, ICredentialType> {
	if (credentialTypeCache) return credentialTypeCache;
	const types = new Map<string, ICredentialType>([[OAUTH2_BASE.name, OAUTH2_BASE]]);
	const dir = join(__dirname, '..', '..', 'credentials');
	const files = existsSync(dir) ? readdirSync(dir) : [];
	for (const file of files.filter((f) => f.endsWith('.credentials.ts'))) {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const moduleExports = require(join(dir, file)) as Record<string, new () => ICredentialType>;
		for (const Exported of Object.values(moduleExports)) {
			if (typeof Exported !== 'function') continue;
			const instance = new Exported();
			types.set(instance.name, instance);
		}
	}
	credentialTypeCache = types;
	return types;
}

/** Makes a credential type that is not in credentials/ known to the contexts (helper self-tests). */
export function registerCredentialType(type: ICredentialType): void {
	loadCredentialTypes().set(type.name, type);
}

function credentialType(name: string): ICredentialType {
	const type = loadCredentialTypes().get(name);
	if (!type) throw new Error(`Unknown credential type "${name}" in test`);
	return type;
}

function parentTypes(name: string): string[] {
	const direct = credentialType(name).extends ?? [];
	return direct.flatMap((parent) => [parent, ...parentTypes(parent)]);
}

/** Own properties first, then inherited ones not overridden (n8n merges the same way). */
function credentialProperties(name: string): INodeProperties[] {
	const own = credentialType(name).properties;
	const inherited = (credentialType(name).extends ?? []).flatMap(credentialProperties);
	const ownNames = new Set(own.map((p) => p.name));
	return [...own, ...inherited.filter((p) => !ownNames.has(p.name))];
}

/** The helper n8n's CLI provides; this one keeps credentials in memory. */
export class InMemoryCredentialsHelper extends ICredentialsHelper {
	/** Credential data as stored (OAuth token refreshes are written back here). */
	readonly store: Map<string, ICredentialDataDecryptedObject>;

	constructor(
		fixtures: CredentialFixtures,
		private readonly workflow: Workflow,
	) {
		super();
		this.store = new Map(Object.entries(fixtures).map(([k, v]) => [k, structuredClone(v)]));
	}

	getParentTypes(name: string): string[] {
		return parentTypes(name);
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const options = requestOptions as IHttpRequestOptions;
		const { authenticate } = credentialType(typeName);
		if (!authenticate) return options;
		if (typeof authenticate === 'function') return await authenticate(credentials, options);
		const target = options as unknown as Record<string, Record<string, unknown>>;
		for (const [outerKey, entries] of Object.entries(authenticate.properties)) {
			target[outerKey] = target[outerKey] ?? {};
			for (const [key, value] of Object.entries(entries as Record<string, unknown>)) {
				const resolvedKey = this.resolve(key, credentials, workflow, node);
				target[outerKey][resolvedKey] = this.resolve(value, credentials, workflow, node);
			}
		}
		return options;
	}

	async preAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const { preAuthentication } = credentialType(typeName);
		if (typeof preAuthentication !== 'function') return undefined;
		return ((await preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject) ?? undefined;
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string): Promise<ICredentials> {
		const data = this.stored(type);
		const credentials = new Credentials({ id: nodeCredentials.id ?? type, name: nodeCredentials.name }, type);
		credentials.setData(data);
		return credentials;
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const stored = this.stored(type);
		const withDefaults = NodeHelpers.getNodeParameters(
			credentialProperties(type),
			stored as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;
		if (stored.oauthTokenData !== undefined) withDefaults.oauthTokenData = stored.oauthTokenData;
		const resolved: ICredentialDataDecryptedObject = {};
		const mockNode = this.workflow.getNode(Object.keys(this.workflow.nodes)[0]) as INode;
		for (const [key, value] of Object.entries(withDefaults)) {
			const result = this.workflow.expression.getComplexParameterValue(
				mockNode,
				{ [key]: value } as INodeParameters,
				'internal',
				{},
				undefined,
				undefined,
				withDefaults as IDataObject,
			) as IDataObject;
			resolved[key] = result[key] as ICredentialDataDecryptedObject[string];
		}
		return resolved;
	}

	async updateCredentials(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.store.set(type, structuredClone(data));
	}

	async updateCredentialsOauthTokenData(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.store.set(type, { ...this.stored(type), oauthTokenData: data.oauthTokenData });
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		return credentialProperties(type);
	}

	private stored(type: string): ICredentialDataDecryptedObject {
		const data = this.store.get(type);
		if (!data) throw new Error(`No "${type}" credentials given to the test context`);
		return structuredClone(data);
	}

	private resolve(value: unknown, credentials: ICredentialDataDecryptedObject, workflow?: Workflow, node?: INode) {
		if (typeof value !== 'string' || !value.startsWith('=')) return value as string;
		const wf = workflow ?? this.workflow;
		const resolved = wf.expression.getSimpleParameterValue(
			node ?? (wf.getNode(Object.keys(wf.nodes)[0]) as INode),
			value,
			'internal',
			{ $credentials: credentials },
			undefined,
			'',
		);
		return resolved ? String(resolved) : '';
	}
}

// ---------------------------------------------------------------------------------------------
// Workflow + additional data around a single node.

class SingleNodeTypes implements INodeTypes {
	constructor(private readonly nodeType: INodeType | IVersionedNodeType) {}
	getByName(): INodeType | IVersionedNodeType {
		return this.nodeType;
	}
	getByNameAndVersion(_name: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.nodeType, version);
	}
	getKnownTypes() {
		return {};
	}
}

export interface NodeHarness {
	workflow: Workflow;
	node: INode;
	additionalData: IWorkflowExecuteAdditionalData;
	credentialsHelper: InMemoryCredentialsHelper;
}

function nodeTypeName(nodeType: INodeType | IVersionedNodeType): string {
	return `${PACKAGE_NAME}.${nodeType.description.name}`;
}

function latestVersion(nodeType: INodeType | IVersionedNodeType): number {
	const { version } = (nodeType as INodeType).description;
	if (Array.isArray(version)) return Math.max(...version);
	return version ?? (nodeType as IVersionedNodeType).currentVersion ?? 1;
}

export function createNodeHarness(nodeType: INodeType | IVersionedNodeType, options: NodeRunOptions): NodeHarness {
	const credentials = options.credentials ?? {};
	const node: INode = {
		id: 'node-under-test',
		name: options.nodeName ?? 'Node Under Test',
		type: nodeTypeName(nodeType),
		typeVersion: options.typeVersion ?? latestVersion(nodeType),
		position: [0, 0],
		parameters: options.parameters,
		continueOnFail: options.continueOnFail ?? false,
		webhookId: options.webhookId,
		credentials: Object.fromEntries(
			Object.keys(credentials).map((type) => [type, { id: `${type}-id`, name: `${type} (test)` }]),
		),
	};
	const workflow = new Workflow({
		id: 'workflow-under-test',
		name: 'Workflow under test',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new SingleNodeTypes(nodeType),
		staticData: options.staticData ?? {},
		settings: {},
	});
	// Defaults for unset parameters, as n8n computes them before execution.
	const resolvedNode = workflow.getNode(node.name) as INode;
	const nodeDescription = NodeHelpers.getVersionedNodeType(nodeType, node.typeVersion).description;
	resolvedNode.parameters =
		NodeHelpers.getNodeParameters(
			nodeDescription.properties,
			node.parameters,
			true,
			false,
			resolvedNode,
			nodeDescription,
		) ?? node.parameters;

	const credentialsHelper = new InMemoryCredentialsHelper(credentials, workflow);
	const additionalData = {
		credentialsHelper,
		executeWorkflow: async () => {
			throw new Error('Sub-workflows are not available in unit tests');
		},
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		variables: {},
		userId: 'user-under-test',
		executionId: options.executionId ?? newExecutionId(),
		currentNodeParameters: undefined,
		executionTimeoutTimestamp: undefined,
	} as unknown as IWorkflowExecuteAdditionalData;

	return { workflow, node: resolvedNode, additionalData, credentialsHelper };
}

// ---------------------------------------------------------------------------------------------
// Contexts.

export function createExecuteContext(
	nodeType: INodeType | IVersionedNodeType,
	options: NodeRunOptions,
	harness: NodeHarness = createNodeHarness(nodeType, options),
): ExecuteContext {
	const items = options.items ?? [{ json: {} }];
	const runExecutionData = createRunExecutionData();
	const executeData: IExecuteData = {
		node: harness.node,
		data: { main: [items] },
		source: { main: [{ previousNode: 'Start' }] },
	};
	return new ExecuteContext(
		harness.workflow,
		harness.node,
		harness.additionalData,
		options.mode ?? 'manual',
		runExecutionData,
		0,
		items,
		{ main: [items] },
		executeData,
		[],
	);
}

/** Runs `execute()` of a node the way n8n's WorkflowExecute does for one node. */
export async function runNode(
	nodeType: INodeType | IVersionedNodeType,
	options: NodeRunOptions,
): Promise<INodeExecutionData[][]> {
	const versioned = NodeHelpers.getVersionedNodeType(nodeType, options.typeVersion);
	if (!versioned.execute) throw new Error(`${versioned.description.name} has no execute()`);
	const context = createExecuteContext(nodeType, options);
	const result = await versioned.execute.call(context);
	return result as INodeExecutionData[][];
}

/**
 * Runs a node several times in one execution, as n8n does for a node in a loop: the same run data
 * (so the node context carries over), the same execution id and the run index counting up.
 * `restart()` begins a new execution (a new execution id, the run index at 0) while keeping the
 * context, to show what a node does with a stale one.
 */
export function createLoopRunner(nodeType: INodeType | IVersionedNodeType, options: NodeRunOptions) {
	const harness = createNodeHarness(nodeType, options);
	const versioned = NodeHelpers.getVersionedNodeType(nodeType, options.typeVersion);
	if (!versioned.execute) throw new Error(`${versioned.description.name} has no execute()`);
	const execute = versioned.execute;
	const runExecutionData = createRunExecutionData();
	let runIndex = 0;
	return {
		async run(items: INodeExecutionData[] = options.items ?? [{ json: {} }]): Promise<INodeExecutionData[]> {
			const executeData: IExecuteData = {
				node: harness.node,
				data: { main: [items] },
				source: { main: [{ previousNode: 'Start' }] },
			};
			const context = new ExecuteContext(
				harness.workflow,
				harness.node,
				harness.additionalData,
				options.mode ?? 'manual',
				runExecutionData,
				runIndex++,
				items,
				{ main: [items] },
				executeData,
				[],
			);
			const [output] = (await execute.call(context)) as INodeExecutionData[][];
			return output;
		},
		/** The node context as expressions read it (`$('<node>').context`). */
		context: () => NodeHelpers.getContext(runExecutionData, 'node', harness.node),
		restart() {
			runIndex = 0;
			harness.additionalData.executionId = newExecutionId();
		},
	};
}

export function createLoadOptionsContext(
	nodeType: INodeType | IVersionedNodeType,
	options: NodeRunOptions & { path?: string },
): LoadOptionsContext {
	const harness = createNodeHarness(nodeType, options);
	// n8n loads options outside any execution.
	harness.additionalData.executionId = undefined;
	return new LoadOptionsContext(harness.workflow, harness.node, harness.additionalData, options.path ?? 'parameters');
}

function webhookData(harness: NodeHarness, webhookName: string, path: string, httpMethod: string): IWebhookData {
	return {
		httpMethod: httpMethod as IWebhookData['httpMethod'],
		node: harness.node.name,
		path,
		webhookDescription: { name: webhookName as 'default', httpMethod: httpMethod as IWebhookData['httpMethod'], path },
		workflowId: harness.workflow.id,
		workflowExecuteAdditionalData: harness.additionalData,
		webhookId: harness.node.webhookId,
	};
}

/** Context for webhookMethods (checkExists/create/delete). */
export function createHookContext(
	nodeType: INodeType | IVersionedNodeType,
	options: NodeRunOptions & { activation?: WorkflowActivateMode; webhookName?: string; path?: string },
	harness: NodeHarness = createNodeHarness(nodeType, options),
): HookContext {
	return new HookContext(
		harness.workflow,
		harness.node,
		harness.additionalData,
		options.mode ?? 'trigger',
		options.activation ?? 'activate',
		webhookData(harness, options.webhookName ?? 'default', options.path ?? 'webhook', 'POST'),
	);
}

export interface FakeHttpRequest {
	method?: string;
	headers?: Record<string, string>;
	query?: IDataObject;
	body?: unknown;
	/** Raw bytes as received; defaults to the compact JSON of `body`. */
	rawBody?: Buffer;
	params?: IDataObject;
}

export interface CapturedResponse {
	statusCode: number;
	headers: Record<string, string>;
	body: unknown;
	ended: boolean;
}

/**
 * Context for `webhook()`. n8n hands the node an express request/response; the request here is
 * a plain object with the same fields, and the response records what the node sends.
 */
export function createWebhookContext(
	nodeType: INodeType | IVersionedNodeType,
	options: NodeRunOptions & { request: FakeHttpRequest; webhookName?: string; path?: string },
	harness: NodeHarness = createNodeHarness(nodeType, options),
): { context: WebhookContext; response: CapturedResponse } {
	const request = options.request;
	const rawBody =
		request.rawBody ??
		Buffer.from(typeof request.body === 'string' ? request.body : JSON.stringify(request.body ?? {}));
	const headers = Object.fromEntries(Object.entries(request.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
	const expressRequest = {
		method: request.method ?? 'POST',
		headers,
		query: request.query ?? {},
		params: request.params ?? {},
		body: request.body ?? {},
		rawBody,
		readRawBody: async () => undefined,
		header: (name: string) => headers[name.toLowerCase()],
		get: (name: string) => headers[name.toLowerCase()],
	};
	const response: CapturedResponse = { statusCode: 200, headers: {}, body: undefined, ended: false };
	const expressResponse = {
		status(code: number) {
			response.statusCode = code;
			return expressResponse;
		},
		setHeader(name: string, value: string) {
			response.headers[name.toLowerCase()] = value;
			return expressResponse;
		},
		header(name: string, value: string) {
			return expressResponse.setHeader(name, value);
		},
		set(name: string, value: string) {
			return expressResponse.setHeader(name, value);
		},
		send(body?: unknown) {
			response.body = body;
			response.ended = true;
			return expressResponse;
		},
		json(body: unknown) {
			response.headers['content-type'] = 'application/json';
			return expressResponse.send(body);
		},
		end(body?: unknown) {
			return expressResponse.send(body);
		},
	};
	harness.additionalData.httpRequest = expressRequest as unknown as IWorkflowExecuteAdditionalData['httpRequest'];
	harness.additionalData.httpResponse = expressResponse as unknown as IWorkflowExecuteAdditionalData['httpResponse'];
	const context = new WebhookContext(
		harness.workflow,
		harness.node,
		harness.additionalData,
		options.mode ?? 'webhook',
		webhookData(harness, options.webhookName ?? 'default', options.path ?? 'webhook', expressRequest.method),
		[],
		null,
	);
	return { context, response };
}
