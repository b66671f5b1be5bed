/** Bitrix24 sandbox over real HTTP: webhook and OAuth auth, token refresh, app context, transports. */
import { request as httpRequest } from 'node:http';

import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../sandbox/bitrix24';
import { callBitrix } from '../../sandbox/bitrix24/client';

let sb: Bitrix24Sandbox;
let restBase: string;

beforeAll(async () => {
	sb = await startBitrix24Sandbox({ limits: 'off' });
	restBase = `${sb.url}/rest/`;
});
afterAll(async () => await sb.close());
beforeEach(() => sb.reset());

async function tokenRequest(params: Record<string, string>, how: 'get' | 'post' = 'get') {
	const query = new URLSearchParams(params).toString();
	const response =
		how === 'get'
			? await fetch(`${sb.oauth.tokenUrl}?${query}`)
			: await fetch(sb.oauth.tokenUrl, {
					method: 'POST',
					headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
					body: query,
				});
	return { status: response.status, body: (await response.json()) as Record<string, any> };
}

function refreshGrant(refreshToken: string) {
	return {
		grant_type: 'refresh_token',
		client_id: sb.oauth.clientId,
		client_secret: sb.oauth.clientSecret,
		refresh_token: refreshToken,
	};
}

describe('incoming webhook', () => {
	it('answers with the result and the full time envelope, with or without .json', async () => {
		const plain = await callBitrix(sb.webhookUrl, 'user.current');
		const suffixed = await callBitrix(sb.webhookUrl, 'user.current.json');
		expect(plain.status).toBe(200);
		expect(plain.body.result).toMatchObject({ ID: '1', NAME: 'Katrin' });
		expect(suffixed.body.result.ID).toBe('1');
		expect(Object.keys(plain.body.time).sort()).toEqual(
			[
				'date_finish',
				'date_start',
				'duration',
				'finish',
				'operating',
				'operating_reset_at',
				'processing',
				'start',
			].sort(),
		);
		expect(plain.body.time.date_start).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
	});

	it('refuses a wrong secret with 401 NO_AUTH_FOUND and performs nothing', async () => {
		const wrong = sb.webhookUrl.replace(/\/rest\/1\/[^/]+\//, '/rest/1/not-the-secret/');
		const answer = await callBitrix(wrong, 'crm.contact.add', { fields: { NAME: 'Eve' } });
		expect(answer.status).toBe(401);
		expect(answer.body.error).toBe('NO_AUTH_FOUND');
		expect(sb.state.contacts).toHaveLength(0);
		const otherUser = await callBitrix(sb.webhookUrl.replace('/rest/1/', '/rest/2/'), 'user.current');
		expect(otherUser.status).toBe(401);
	});

	it('answers 404 ERROR_METHOD_NOT_FOUND for unknown methods', async () => {
		const answer = await callBitrix(sb.webhookUrl, 'crm.contact.frobnicate');
		expect(answer.status).toBe(404);
		expect(answer.body.error).toBe('ERROR_METHOD_NOT_FOUND');
	});
});

describe('OAuth application', () => {
	it('accepts the access token as Bearer header or as auth parameter, and nothing else', async () => {
		const tokens = await sb.oauth.issueTokens();
		const viaHeader = await callBitrix(restBase, 'profile', {}, { token: tokens.access_token });
		expect(viaHeader.status).toBe(200);
		expect(viaHeader.body.result).toMatchObject({ ID: '1', ADMIN: true });
		const viaParam = await callBitrix(restBase, 'user.current', { auth: tokens.access_token });
		expect(viaParam.body.result.ID).toBe('1');
		const without = await callBitrix(restBase, 'user.current');
		expect(without.status).toBe(401);
		expect(without.body.error).toBe('NO_AUTH_FOUND');
	});

	it('answers 401 expired_token after expiry; a refresh (GET or POST form) yields working tokens and retires the old refresh token', async () => {
		const first = await sb.oauth.issueTokens();
		sb.expireAccessTokens();
		const expired = await callBitrix(restBase, 'user.current', {}, { token: first.access_token });
		expect(expired.status).toBe(401);
		expect(expired.body).toEqual({ error: 'expired_token', error_description: expect.any(String) });

		const refreshed = await tokenRequest(refreshGrant(first.refresh_token), 'get');
		expect(refreshed.status).toBe(200);
		expect(refreshed.body).toMatchObject({
			expires_in: 3600,
			member_id: sb.oauth.memberId,
			client_endpoint: `${sb.url}/rest/`,
		});
		expect(refreshed.body.refresh_token).not.toBe(first.refresh_token);
		expect((await callBitrix(restBase, 'user.current', {}, { token: refreshed.body.access_token })).status).toBe(200);

		const reused = await tokenRequest(refreshGrant(first.refresh_token), 'post');
		expect(reused.status).toBe(400);
		expect(reused.body.error).toBe('invalid_grant');
		const viaPost = await tokenRequest(refreshGrant(refreshed.body.refresh_token), 'post');
		expect(viaPost.status).toBe(200);

		const badClient = await tokenRequest({ ...refreshGrant(viaPost.body.refresh_token), client_secret: 'wrong' });
		expect(badClient.status).toBe(401);
		expect(badClient.body.error).toBe('invalid_client');
	});

	it('runs the authorization-code flow: authorize redirects with code/state/domain/member_id, the code works once', async () => {
		const authorize = new URL(sb.oauth.authorizeUrl);
		authorize.search = new URLSearchParams({
			client_id: sb.oauth.clientId,
			state: 'xyz',
			redirect_uri: 'http://127.0.0.1:9/callback',
		}).toString();
		const redirect = await fetch(authorize, { redirect: 'manual' });
		expect(redirect.status).toBe(302);
		const location = new URL(redirect.headers.get('location') ?? '');
		expect(location.pathname).toBe('/callback');
		expect(location.searchParams.get('state')).toBe('xyz');
		expect(location.searchParams.get('member_id')).toBe(sb.oauth.memberId);
		const code = location.searchParams.get('code') ?? '';
		const grant = {
			grant_type: 'authorization_code',
			client_id: sb.oauth.clientId,
			client_secret: sb.oauth.clientSecret,
			code,
		};
		const exchanged = await tokenRequest(grant);
		expect(exchanged.status).toBe(200);
		expect(
			(await callBitrix(restBase, 'user.current', {}, { token: exchanged.body.access_token })).body.result.ID,
		).toBe('1');
		expect((await tokenRequest(grant)).body.error).toBe('invalid_grant');
	});
});

describe('application context and admin rights', () => {
	it('refuses app-only methods via webhook with the documented errors', async () => {
		const placement = await callBitrix(sb.webhookUrl, 'placement.bind', {
			PLACEMENT: 'CRM_CONTACT_DETAIL_TAB',
			HANDLER: 'https://example.org/tab',
		});
		expect(placement.status).toBe(403);
		expect(placement.body.error).toBe('WRONG_AUTH_TYPE');
		for (const method of [
			'event.bind',
			'crm.automation.trigger.add',
			'crm.automation.trigger.execute',
			'bizproc.robot.add',
		]) {
			const answer = await callBitrix(sb.webhookUrl, method, {
				event: 'ONCRMCONTACTADD',
				handler: 'https://example.org/h',
				CODE: 'x',
				NAME: 'x',
			});
			expect({ method, status: answer.status, error: answer.body.error }).toEqual({
				method,
				status: 403,
				error: 'ACCESS_DENIED',
			});
			expect(answer.body.error_description).toMatch(/Application context required/);
		}
		expect(sb.state.placements).toHaveLength(0);
		expect(sb.state.eventBindings).toHaveLength(0);
		expect(sb.state.appTriggers).toHaveLength(0);
	});

	it('performs them in application context as an admin, and refuses non-admins', async () => {
		const admin = await sb.oauth.issueTokens(1);
		const bound = await callBitrix(
			restBase,
			'placement.bind',
			{ PLACEMENT: 'CRM_CONTACT_DETAIL_TAB', HANDLER: 'https://example.org/tab', TITLE: 'LexOffice' },
			{ token: admin.access_token },
		);
		expect(bound.body.result).toBe(true);
		const trigger = await callBitrix(
			restBase,
			'crm.automation.trigger.add',
			{ CODE: 'lexoffice.paid', NAME: 'Bezahlt in LexOffice' },
			{ token: admin.access_token },
		);
		expect(trigger.body.result).toBe(true);
		expect(sb.state.appTriggers).toEqual([{ CODE: 'lexoffice.paid', NAME: 'Bezahlt in LexOffice' }]);

		const employee = await sb.oauth.issueTokens(2);
		const refused = await callBitrix(
			restBase,
			'crm.automation.trigger.add',
			{ CODE: 'other', NAME: 'x' },
			{ token: employee.access_token },
		);
		expect(refused.status).toBe(403);
		expect(refused.body.error).toBe('ACCESS_DENIED');
		const employeeHook = sb.addWebhook(2);
		const workflow = await callBitrix(employeeHook, 'bizproc.workflow.start', {
			TEMPLATE_ID: 14,
			DOCUMENT_ID: ['crm', 'CCrmDocumentContact', 'CONTACT_1'],
		});
		expect(workflow.status).toBe(403);
		expect(sb.state.workflows).toHaveLength(0);
	});

	it('enforces the handler URL rules when loopback handlers are not allowed', async () => {
		const strict = await startBitrix24Sandbox({ limits: 'off', allowLoopbackHandlers: false });
		try {
			const tokens = await strict.oauth.issueTokens();
			const loopback = await callBitrix(
				`${strict.url}/rest/`,
				'placement.bind',
				{ PLACEMENT: 'CRM_COMPANY_DETAIL_TAB', HANDLER: 'http://127.0.0.1:5678/x' },
				{ token: tokens.access_token },
			);
			expect(loopback.body.error).toBe('ERROR_WRONG_HANDLER_URL');
			const ftp = await callBitrix(
				`${strict.url}/rest/`,
				'placement.bind',
				{ PLACEMENT: 'CRM_COMPANY_DETAIL_TAB', HANDLER: 'ftp://example.org/x' },
				{ token: tokens.access_token },
			);
			expect(ftp.body.error).toBe('ERROR_UNSUPPORTED_PROTOCOL');
			expect(strict.state.placements).toHaveLength(0);
		} finally {
			await strict.close();
		}
	});
});

describe('transports', () => {
	it('accepts JSON, form and query parameters alike and logs which one was used', async () => {
		await callBitrix(sb.webhookUrl, 'crm.contact.add', { fields: { NAME: 'Per JSON' } });
		await callBitrix(
			sb.webhookUrl,
			'crm.contact.add',
			{ fields: { NAME: 'Per Formular', EMAIL: [{ VALUE: 'f@x.de' }] } },
			{ transport: 'form' },
		);
		await callBitrix(sb.webhookUrl, 'crm.contact.add', { fields: { NAME: 'Per GET' } }, { transport: 'query' });
		expect(sb.state.contacts.map((contact) => contact.NAME)).toEqual(['Per JSON', 'Per Formular', 'Per GET']);
		expect((sb.state.contacts[1].EMAIL as Array<{ VALUE: string }>)[0].VALUE).toBe('f@x.de');
		const adds = sb.requests
			.calls()
			.filter((entry) => entry.label === 'crm.contact.add')
			.slice(-3);
		expect(adds.map((entry) => [entry.method, entry.transport, entry.auth])).toEqual([
			['POST', 'json', 'webhook'],
			['POST', 'form', 'webhook'],
			['GET', 'query', 'webhook'],
		]);
	});

	it('ignores a JSON body on GET (bitrix-tools/b24-rest-docs#223)', async () => {
		const url = new URL(`${sb.webhookUrl}crm.duplicate.findbycomm`);
		const body = JSON.stringify({ type: 'EMAIL', values: ['a@b.de'] });
		const answer = await new Promise<{ status: number; body: any }>((resolve, reject) => {
			const request = httpRequest(
				url,
				{ method: 'GET', headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } },
				(response) => {
					let text = '';
					response.on('data', (chunk: Buffer) => (text += chunk.toString()));
					response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
				},
			);
			request.on('error', reject);
			request.end(body);
		});
		expect(answer.status).toBe(400);
		expect(answer.body).toEqual({ error: '', error_description: 'Communication type is not defined.' });
	});
});
