import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { NodeApiError, NodeOperationError, type IHttpRequestOptions } from 'n8n-workflow';

import { Bitrix24WebhookApi } from '../../../credentials/Bitrix24WebhookApi.credentials';
import { bitrix24Call } from '../../../nodes/Bitrix24/transport';
import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../sandbox/bitrix24';
import { caught, everythingIn, executeContext, restCalls, webhookCredentials } from './helpers';

describe('bitrix24Call with the webhook credential', () => {
	let sb: Bitrix24Sandbox;
	let secret: string;

	beforeAll(async () => {
		sb = await startBitrix24Sandbox({ limits: 'off' });
		secret = /\/rest\/1\/([^/]+)\//.exec(sb.webhookUrl)?.[1] as string;
	});
	afterAll(async () => await sb.close());
	beforeEach(() => {
		sb.requests.clear();
		sb.setFaults({});
	});

	const context = () => executeContext('webhook', webhookCredentials(sb));

	it('calls the method under the webhook URL with POST and a JSON body', async () => {
		const response = await bitrix24Call.call(context(), 'user.current');
		expect(response.result).toMatchObject({ ID: '1' });
		expect(response.time).toMatchObject({ operating: expect.any(Number) });
		const [call] = restCalls(sb);
		expect(call).toMatchObject({
			method: 'POST',
			transport: 'json',
			label: 'user.current',
			auth: 'webhook',
			status: 200,
		});
	});

	it("the credential's test request reaches profile through the credential's authenticate", async () => {
		const request = { ...new Bitrix24WebhookApi().test.request } as IHttpRequestOptions;
		const response = (await context().helpers.httpRequestWithAuthentication.call(
			context(),
			'bitrix24WebhookApi',
			request,
		)) as {
			result: { ID: string };
		};
		expect(response.result.ID).toBe('1');
		expect(restCalls(sb)).toEqual([expect.objectContaining({ label: 'profile', method: 'POST', status: 200 })]);
		const wrong = executeContext('webhook', { webhookUrl: sb.webhookUrl.replace(secret, 'wrongsecret') });
		await expect(
			wrong.helpers.httpRequestWithAuthentication.call(wrong, 'bitrix24WebhookApi', { ...request }),
		).rejects.toThrow();
	});

	it("turns {error, error_description} into a NodeApiError with Bitrix24's text, also for an empty code", async () => {
		const error = await caught(bitrix24Call.call(context(), 'crm.contact.add', { fields: 'not an array' }));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe("Parameter 'fields' must be array.");
		expect((error as NodeApiError).description).toContain('error code (no error code)');
		expect((error as NodeApiError).httpCode).toBe('400');
	});

	it('refuses an app-context method with a webhook before sending anything', async () => {
		const error = await caught(bitrix24Call.call(context(), 'placement.bind', { PLACEMENT: 'CRM_CONTACT_DETAIL_TAB' }));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('The Bitrix24 method placement.bind needs an OAuth2 local-application credential');
		expect(restCalls(sb)).toHaveLength(0);
	});

	it('repeats a read after a 500 and a dropped connection', async () => {
		sb.setFaults({
			failNext: [
				{ pathIncludes: 'user.current', status: 500 },
				{ pathIncludes: 'user.current', dropConnection: true },
			],
		});
		const response = await bitrix24Call.call(context(), 'user.current');
		expect(response.result).toMatchObject({ ID: '1' });
		expect(restCalls(sb).map((call) => call.status)).toEqual([500, 0, 200]);
	});

	it('does not repeat a write after a 500 and says it may have been carried out', async () => {
		const before = sb.state.contacts.length;
		sb.setFaults({ failNext: [{ pathIncludes: 'crm.contact.add', status: 504, afterProcessing: true }] });
		const error = await caught(bitrix24Call.call(context(), 'crm.contact.add', { fields: { NAME: 'Jörg' } }));
		expect((error as NodeApiError).description).toMatch(/may or may not have been carried out/);
		expect(restCalls(sb)).toHaveLength(1);
		expect(sb.state.contacts.length).toBe(before + 1);
	});

	it('never lets the webhook secret into an error', async () => {
		const failures = [
			bitrix24Call.call(context(), 'no.such.method'),
			bitrix24Call.call(context(), 'event.bind', { event: 'ONCRMCONTACTADD', handler: sb.webhookUrl }),
			bitrix24Call.call(context(), sb.webhookUrl),
			bitrix24Call.call(context(), 'crm.contact.add', { fields: { NAME: sb.webhookUrl } }).then(() => {
				throw new Error('unexpected success');
			}),
			bitrix24Call.call(
				executeContext('webhook', { webhookUrl: sb.webhookUrl.replace('/rest/1/', '/rest/x/') }),
				'user.current',
			),
			bitrix24Call.call(
				executeContext('webhook', { webhookUrl: sb.webhookUrl.replace(secret, `${secret}0`) }),
				'user.current',
			),
		];
		sb.setFaults({ failNext: [{ pathIncludes: 'crm.contact.add', dropConnection: true }] });
		const errors = await Promise.all(failures.map(caught));
		for (const error of errors) expect(everythingIn(error)).not.toContain(secret);
		expect(errors.map((e) => e.message)).toEqual([
			expect.stringMatching(/method not found/i),
			expect.stringMatching(/OAuth2 local-application credential/),
			expect.stringMatching(/not a Bitrix24 method name/),
			expect.stringMatching(/connection to Bitrix24 failed/),
			expect.stringMatching(/user id/),
			expect.stringMatching(/authorization/i),
		]);
	});

	it('understands a 429 that arrives as an HTML page and waits before repeating', async () => {
		const answers = [
			{ status: 429, type: 'text/html', body: '<html><body><h1>429 Too Many Requests</h1></body></html>' },
			{ status: 200, type: 'application/json', body: JSON.stringify({ result: { ID: '1' }, time: { operating: 0 } }) },
		];
		const seen: string[] = [];
		const server = createServer((request, response) => {
			seen.push(`${request.method} ${request.url}`);
			const answer = answers.shift() ?? answers[0];
			response.writeHead(answer.status, { 'content-type': answer.type }).end(answer.body);
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		try {
			const webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/rest/3/htmlsecret0001/`;
			const response = await bitrix24Call.call(executeContext('webhook', { webhookUrl }), 'crm.contact.list');
			expect(response.result).toEqual({ ID: '1' });
			expect(seen).toEqual([
				'POST /rest/3/htmlsecret0001/crm.contact.list',
				'POST /rest/3/htmlsecret0001/crm.contact.list',
			]);
		} finally {
			await new Promise((resolve) => server.close(resolve));
		}
	});
});
