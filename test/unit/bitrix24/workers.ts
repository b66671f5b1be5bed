/**
 * Several n8n workers in one test process: each "worker" is the Bitrix24 node loaded in its own
 * jest module registry, so module state (keyed locks, remembered versions, rate buckets) is not
 * shared, exactly as in two processes. Interleavings are forced with gates on the requests an
 * execution sends, never with timing.
 */
import type {
	IDataObject,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { createExecuteContext } from '../../helpers/n8nContext';
import type { Bitrix24Sandbox } from '../../sandbox/bitrix24';
import { credentialsFor, webhookCredentials } from './helpers';

type NodeClass = new () => INodeType;

/** The Bitrix24 node as a separate process would load it. */
export function loadWorker(): NodeClass {
	let loaded: NodeClass | undefined;
	jest.isolateModules(() => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		loaded = (require('../../../nodes/Bitrix24/Bitrix24.node') as { Bitrix24: NodeClass }).Bitrix24;
	});
	return loaded as NodeClass;
}

/**
 * Holds an execution before the first request for which `when(request, sentBefore)` is true (a
 * request is its URL and body as text):
 * `reached` resolves when it got there, `release()` lets it go on.
 */
export class Gate {
	private opened!: () => void;
	private arrived!: () => void;
	private readonly open = new Promise<void>((resolve) => (this.opened = resolve));
	readonly reached = new Promise<void>((resolve) => (this.arrived = resolve));
	private used = false;

	constructor(readonly when: (body: string, sentBefore: string[]) => boolean) {}

	async pass(body: string, sentBefore: string[]): Promise<void> {
		if (this.used || !this.when(body, sentBefore)) return;
		this.used = true;
		this.arrived();
		await this.open;
	}

	release(): void {
		this.opened();
	}
}

export interface WorkerRun {
	parameters: INodeParameters;
	items: INodeExecutionData[];
	mode?: WorkflowExecuteMode;
	gates?: Gate[];
}

/** Runs the node class like n8n does, passing every request through the gates first. */
export async function runOn(worker: NodeClass, sb: Bitrix24Sandbox, run: WorkerRun): Promise<IDataObject[]> {
	const context = createExecuteContext(new worker(), {
		parameters: run.parameters,
		credentials: credentialsFor('webhook', webhookCredentials(sb)),
		items: run.items,
		mode: run.mode ?? 'webhook',
	});
	const sent: string[] = [];
	const real = context.helpers.httpRequestWithAuthentication;
	context.helpers.httpRequestWithAuthentication = async function (
		this: unknown,
		type: string,
		request: IHttpRequestOptions,
	) {
		// The method is the last part of the URL (crm.item.add, batch); a batch names its sub-calls in the body.
		const body = `${String(request.url)} ${typeof request.body === 'string' ? request.body : JSON.stringify(request.body ?? {})}`;
		for (const gate of run.gates ?? []) await gate.pass(body, sent);
		sent.push(body);
		return await real.call(this as never, type, request);
	} as typeof real;
	const [output] = (await (new worker().execute as NonNullable<INodeType['execute']>).call(
		context,
	)) as INodeExecutionData[][];
	return output.map((item) => item.json);
}
