/** Running the Bitrix24 node's contact/company operations against the sandbox, with request bodies recorded. */
import type {
	WorkflowExecuteMode,
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeParameters,
	ResourceMapperValue,
} from 'n8n-workflow';

import { Bitrix24 } from '../../../../nodes/Bitrix24/Bitrix24.node';
import { createExecuteContext, createLoadOptionsContext } from '../../../helpers/n8nContext';
import type { Bitrix24Sandbox } from '../../../sandbox/bitrix24';
import { credentialsFor, restCalls, webhookCredentials } from '../helpers';

export interface RunOptions {
	parameters: INodeParameters;
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	credentials?: ICredentialDataDecryptedObject;
	/** How the execution was started; 'manual' unless given. */
	mode?: WorkflowExecuteMode;
	/** The node version (default: the latest). */
	typeVersion?: number;
}

export interface RecordedRequest {
	method: string;
	body: IDataObject;
}

/** Runs the node like n8n does (real n8n-core ExecuteContext) and records what it sent. */
export async function runBitrix24(sb: Bitrix24Sandbox, options: RunOptions) {
	const context = createExecuteContext(new Bitrix24(), {
		parameters: options.parameters,
		credentials: credentialsFor('webhook', options.credentials ?? webhookCredentials(sb)),
		items: options.items ?? [{ json: {} }],
		continueOnFail: options.continueOnFail,
		mode: options.mode,
		typeVersion: options.typeVersion,
	});
	const sent: RecordedRequest[] = [];
	const real = context.helpers.httpRequestWithAuthentication;
	context.helpers.httpRequestWithAuthentication = async function (
		this: unknown,
		type: string,
		request: IHttpRequestOptions,
	) {
		sent.push({ method: String(request.url), body: JSON.parse(request.body as string) as IDataObject });
		return await real.call(this as never, type, request);
	} as typeof real;
	const [output] = await new Bitrix24().execute.call(context);
	return { output, json: output.map((item) => item.json), sent };
}

/** The mapping form's schema as the editor would have stored it, loaded from the live portal. */
export async function mapperValue(
	sb: Bitrix24Sandbox,
	resource: 'contact' | 'company',
	operation: string,
	value: IDataObject | null,
	mappingMode = 'defineBelow',
): Promise<ResourceMapperValue> {
	const node = new Bitrix24();
	const context = createLoadOptionsContext(node, {
		parameters: { resource, operation },
		credentials: credentialsFor('webhook', webhookCredentials(sb)),
	});
	const { fields } = await node.methods.resourceMapping.getCrmRecordFields.call(context);
	return {
		mappingMode,
		value: value as ResourceMapperValue['value'],
		matchingColumns: [],
		schema: fields,
		attemptToConvertTypes: false,
		convertFieldsToString: false,
	};
}

/** The batch requests the sandbox saw, with the methods inside each. */
export function batchRequests(sb: Bitrix24Sandbox) {
	return restCalls(sb).filter((call) => call.path.endsWith('/batch'));
}

const WRITE_METHOD = /\.(add|update|delete)$/;

export function writeRequests(sb: Bitrix24Sandbox) {
	return restCalls(sb).filter((call) =>
		call.path.endsWith('/batch')
			? (call.batchMethods ?? []).some((method) => WRITE_METHOD.test(method))
			: WRITE_METHOD.test(call.path),
	);
}

/** A contact straight through the API, as another client (or a person) would have made it. */
export async function addRecord(sb: Bitrix24Sandbox, method: string, fields: IDataObject): Promise<number> {
	const response = await fetch(`${sb.webhookUrl}${method}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ fields }),
	});
	const body = (await response.json()) as { result?: unknown; error_description?: string };
	if (typeof body.result !== 'number' && typeof body.result !== 'string')
		throw new Error(`${method} failed: ${body.error_description}`);
	return Number(body.result);
}

export const emailsOf = (record: Record<string, unknown> | undefined) =>
	((record?.EMAIL as Array<{ VALUE: string }> | undefined) ?? []).map((entry) => entry.VALUE).sort();
