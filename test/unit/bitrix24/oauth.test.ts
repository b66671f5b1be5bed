import { Bitrix24 } from '../../../nodes/Bitrix24/Bitrix24.node';
import { bitrix24Call } from '../../../nodes/Bitrix24/transport';
import { createNodeHarness } from '../../helpers/n8nContext';
import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../sandbox/bitrix24';
import { caught, everythingIn, executeContext, oauthCredentials, restCalls } from './helpers';

describe('bitrix24Call with the OAuth2 local-application credential', () => {
	let sb: Bitrix24Sandbox;

	beforeAll(async () => {
		sb = await startBitrix24Sandbox({ limits: 'off' });
	});
	afterAll(async () => await sb.close());
	beforeEach(() => sb.requests.clear());

	it('calls https://PORTAL/rest/<method> with the bearer token, POST and JSON', async () => {
		const response = await bitrix24Call.call(executeContext('oAuth2', await oauthCredentials(sb)), 'user.current');
		expect(response.result).toMatchObject({ ID: '1' });
		expect(restCalls(sb)).toEqual([
			expect.objectContaining({
				path: '/rest/user.current',
				method: 'POST',
				transport: 'json',
				auth: 'oauth',
				status: 200,
			}),
		]);
	});

	it('may call app-context methods', async () => {
		const response = await bitrix24Call.call(executeContext('oAuth2', await oauthCredentials(sb)), 'placement.get');
		expect(Array.isArray(response.result)).toBe(true);
	});

	it('on 401 expired_token lets n8n refresh the token, stores the new one and repeats the call', async () => {
		const credentials = await oauthCredentials(sb);
		const oldToken = (credentials.oauthTokenData as { access_token: string }).access_token;
		const options = {
			parameters: { authentication: 'oAuth2' },
			credentials: { bitrix24OAuth2Api: credentials },
		};
		const harness = createNodeHarness(new Bitrix24(), options);
		sb.expireAccessTokens();

		const response = await bitrix24Call.call(
			executeContext('oAuth2', credentials, undefined, harness),
			'crm.contact.add',
			{
				fields: { NAME: 'Refresh', LAST_NAME: 'Probe' },
			},
		);

		expect(typeof response.result).toBe('number');
		const calls = sb.requests.calls();
		expect(calls.map((call) => [call.label, call.status])).toEqual([
			['crm.contact.add', 401],
			['oauth.token', 200],
			['crm.contact.add', 200],
		]);
		// The token endpoint got a refresh_token grant with the client credentials in the body.
		expect(calls[1]).toMatchObject({ method: 'POST', path: '/oauth/token/' });
		const stored = harness.credentialsHelper.store.get('bitrix24OAuth2Api')?.oauthTokenData as {
			access_token: string;
			refresh_token: string;
		};
		expect(stored.access_token).not.toBe(oldToken);
		expect(stored.refresh_token).not.toBe((credentials.oauthTokenData as { refresh_token: string }).refresh_token);
		expect(sb.state.contacts.filter((c) => c.NAME === 'Refresh')).toHaveLength(1);
	});

	it('fails with a reconnect message and no secrets when the refresh token is no longer valid', async () => {
		const credentials = await oauthCredentials(sb);
		(credentials.oauthTokenData as { refresh_token: string }).refresh_token = 'revoked-refresh-token';
		sb.expireAccessTokens();
		const error = await caught(bitrix24Call.call(executeContext('oAuth2', credentials), 'user.current'));
		expect(error.message).toMatch(/reconnect/i);
		const text = everythingIn(error);
		expect(text).not.toContain(sb.oauth.clientSecret);
		expect(text).not.toContain((credentials.oauthTokenData as { access_token: string }).access_token);
	});
});
