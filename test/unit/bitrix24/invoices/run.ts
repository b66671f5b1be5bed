/**
 * Runs the Bitrix24 node (real n8n-core contexts) against the sandbox for the Smart Invoice,
 * Timeline, Document, Automation and Placement tests, recording what it sent.
 */
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeListSearchResult,
	INodeParameters,
	INodePropertyOptions,
} from 'n8n-workflow';

import { Bitrix24 } from '../../../../nodes/Bitrix24/Bitrix24.node';
import { createExecuteContext, createLoadOptionsContext } from '../../../helpers/n8nContext';
import type { Bitrix24Sandbox } from '../../../sandbox/bitrix24';
import { credentialsFor, oauthCredentials, webhookCredentials, type Authentication } from '../helpers';

export interface RunOptions {
	parameters: INodeParameters;
	authentication?: Authentication;
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	credentials?: ICredentialDataDecryptedObject;
}

export interface SentRequest {
	/** The REST method, e.g. crm.item.add. */
	method: string;
	body: IDataObject;
}

async function credentialsOf(
	sb: Bitrix24Sandbox,
	authentication: Authentication,
	given?: ICredentialDataDecryptedObject,
) {
	return credentialsFor(
		authentication,
		given ?? (authentication === 'webhook' ? webhookCredentials(sb) : await oauthCredentials(sb)),
	);
}

/** Runs the node once over `items` and returns its output items and the requests it sent. */
export async function run(sb: Bitrix24Sandbox, options: RunOptions) {
	const authentication = options.authentication ?? 'webhook';
	const context = createExecuteContext(new Bitrix24(), {
		parameters: { authentication, ...options.parameters },
		credentials: await credentialsOf(sb, authentication, options.credentials),
		items: options.items ?? [{ json: {} }],
		continueOnFail: options.continueOnFail,
	});
	const sent: SentRequest[] = [];
	const real = context.helpers.httpRequestWithAuthentication;
	context.helpers.httpRequestWithAuthentication = async function (
		this: unknown,
		type: string,
		request: IHttpRequestOptions,
	) {
		const method = String(request.url).split('/').pop() as string;
		sent.push({ method, body: JSON.parse(request.body as string) as IDataObject });
		return await real.call(this as never, type, request);
	} as typeof real;
	const [output] = await new Bitrix24().execute.call(context);
	return { output, json: output.map((item) => item.json), sent };
}

async function loadOptionsContext(sb: Bitrix24Sandbox, parameters: INodeParameters, authentication: Authentication) {
	return createLoadOptionsContext(new Bitrix24(), {
		parameters: { authentication, ...parameters },
		credentials: await credentialsOf(sb, authentication),
	});
}

/** A dropdown as the editor would load it for a node with these parameters. */
export async function loadOptions(
	sb: Bitrix24Sandbox,
	method: string,
	parameters: INodeParameters,
	authentication: Authentication = 'webhook',
): Promise<INodePropertyOptions[]> {
	const loader = (
		new Bitrix24().methods.loadOptions as Record<string, (this: unknown) => Promise<INodePropertyOptions[]>>
	)[method];
	return await loader.call(await loadOptionsContext(sb, parameters, authentication));
}

export async function listSearch(
	sb: Bitrix24Sandbox,
	method: string,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const search = (
		new Bitrix24().methods.listSearch as Record<
			string,
			(this: unknown, f?: string, t?: string) => Promise<INodeListSearchResult>
		>
	)[method];
	return await search.call(await loadOptionsContext(sb, {}, 'webhook'), filter, paginationToken);
}

/** A binary item as an earlier node (e.g. LexOffice "Get invoice PDF") would hand it over. */
export function binaryItem(content: Buffer, fileName: string, mimeType: string, property = 'data'): INodeExecutionData {
	return {
		json: {},
		binary: {
			[property]: {
				data: content.toString('base64'),
				mimeType,
				fileName,
				fileExtension: fileName.split('.').pop(),
			},
		},
	};
}

/** A small but real PDF (header, one page, trailer). */
export function samplePdf(text = 'Rechnung RE-2024-0042'): Buffer {
	return Buffer.from(
		`%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n% ${text}\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
		'latin1',
	);
}
