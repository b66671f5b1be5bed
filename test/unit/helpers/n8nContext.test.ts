import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
	NodeApiError,
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { createExecuteContext, registerCredentialType, runNode } from '../../helpers/n8nContext';

/** A node that calls GET {baseUrl}/echo with the `echoApi` credential, per item. */
class EchoNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Echo',
		name: 'echo',
		group: ['transform'],
		version: 1,
		description: 'test node',
		defaults: { name: 'Echo' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'echoApi', required: true }],
		properties: [
			{ displayName: 'Path', name: 'path', type: 'string', default: '/echo' },
			{ displayName: 'Greeting', name: 'greeting', type: 'string', default: 'hallo' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const out: INodeExecutionData[] = [];
		for (let i = 0; i < this.getInputData().length; i++) {
			try {
				const response = await this.helpers.httpRequestWithAuthentication.call(this, 'echoApi', {
					method: 'GET',
					url: `${(await this.getCredentials('echoApi')).baseUrl as string}${this.getNodeParameter('path', i) as string}`,
					json: true,
				});
				out.push({ json: { ...response, greeting: this.getNodeParameter('greeting', i) }, pairedItem: { item: i } });
			} catch (error) {
				if (this.continueOnFail()) {
					out.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
					continue;
				}
				throw new NodeApiError(this.getNode(), error as never);
			}
		}
		return [out];
	}
}

describe('n8nContext (n8n-core execution contexts for our nodes)', () => {
	let server: Server;
	let baseUrl: string;
	const seen: IncomingHttpHeaders[] = [];

	beforeAll(async () => {
		registerCredentialType({
			name: 'echoApi',
			displayName: 'Echo API',
			properties: [
				{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
				{ displayName: 'Token', name: 'token', type: 'string', typeOptions: { password: true }, default: '' },
				{ displayName: 'Scheme', name: 'scheme', type: 'string', default: 'Bearer' },
			],
			authenticate: {
				type: 'generic',
				properties: { headers: { Authorization: '={{$credentials.scheme}} {{$credentials.token}}' } },
			},
		});
		server = createServer((req, res) => {
			seen.push(req.headers);
			if (req.url === '/missing') {
				res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"nope"}');
				return;
			}
			res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: req.url }));
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});

	afterAll(async () => await new Promise((resolve) => server.close(resolve)));

	it('applies the credential authenticate block, parameter defaults and pairedItem', async () => {
		const [items] = await runNode(new EchoNode(), {
			parameters: {},
			credentials: { echoApi: { baseUrl, token: 's3cret' } },
			items: [{ json: {} }, { json: {} }],
		});
		expect(items.map((i) => i.json)).toEqual([
			{ path: '/echo', greeting: 'hallo' },
			{ path: '/echo', greeting: 'hallo' },
		]);
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(seen.at(-1)?.authorization).toBe('Bearer s3cret');
	});

	it('resolves expressions in parameters against the input item', async () => {
		const [items] = await runNode(new EchoNode(), {
			parameters: { greeting: '={{ $json.name }}' },
			credentials: { echoApi: { baseUrl, token: 't' } },
			items: [{ json: { name: 'Jürgen' } }],
		});
		expect(items[0].json.greeting).toBe('Jürgen');
	});

	it('honours continueOnFail and otherwise throws NodeApiError', async () => {
		const options = { parameters: { path: '/missing' }, credentials: { echoApi: { baseUrl, token: 't' } } };
		const [items] = await runNode(new EchoNode(), { ...options, continueOnFail: true });
		expect(items[0].json.error).toEqual(expect.any(String));
		await expect(runNode(new EchoNode(), options)).rejects.toBeInstanceOf(NodeApiError);
	});

	it('gives an ExecuteContext whose getCredentials applies credential defaults', async () => {
		const context = createExecuteContext(new EchoNode(), {
			parameters: {},
			credentials: { echoApi: { baseUrl, token: 't' } },
		});
		expect((await context.getCredentials('echoApi', 0)).scheme).toBe('Bearer');
	});
});
