/**
 * Issue #11 item 2: secrets never leave their credential, whatever the API echoes. Both sandboxes
 * run with `echoCredentials`, so every error answer repeats the credentials the request carried
 * (LexOffice: the §1.2 403 text with `Bearer <key>`; Bitrix24: the called URL with the webhook
 * secret, the access token, the client secret and the application token).
 */
import { inspect } from 'node:util';

import { Bitrix24 } from '../../../nodes/Bitrix24/Bitrix24.node';
import { Lexoffice } from '../../../nodes/Lexoffice/Lexoffice.node';
import { redact } from '../../../nodes/shared/redact';
import { runNode, type CredentialFixtures } from '../../helpers/n8nContext';
import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../sandbox/bitrix24';
import { startLexofficeSandbox, type LexofficeSandbox } from '../../sandbox/lexoffice';
import { oauthCredentials } from '../bitrix24/helpers';
import { UNLIMITED } from '../lexoffice/helpers';

let lexoffice: LexofficeSandbox;
let bitrix24: Bitrix24Sandbox;

beforeAll(async () => {
	lexoffice = await startLexofficeSandbox();
	bitrix24 = await startBitrix24Sandbox({ limits: 'off' });
});

afterAll(async () => {
	await lexoffice.close();
	await bitrix24.close();
});

beforeEach(() => {
	lexoffice.setFaults({ echoCredentials: true });
	bitrix24.setFaults({ echoCredentials: true });
});

/** Runs a node and returns everything it exposes: its output items, or the error it threw. */
async function everythingFrom(run: Promise<unknown>): Promise<string> {
	try {
		return JSON.stringify(await run);
	} catch (error) {
		const { message, description, context } = error as { message?: string; description?: string; context?: unknown };
		return [
			inspect(error, { depth: 12, showHidden: true }),
			message,
			description,
			JSON.stringify(context ?? {}),
			JSON.stringify(error),
		].join('\n');
	}
}

function expectFreeOf(text: string, secrets: string[]): void {
	for (const secret of secrets) expect(text).not.toContain(secret);
}

describe('the sandboxes echo credentials when asked to (so the checks below can fail)', () => {
	it('LexOffice repeats the key of a malformed Authorization header', async () => {
		const response = await fetch(`${lexoffice.url}/v1/profile`, {
			headers: { Authorization: 'Bearer pasted key-with-space' },
		});
		expect(response.status).toBe(403);
		expect(JSON.stringify(await response.json())).toContain("Authorization header: 'Bearer pasted key-with-space'");
	});

	it('Bitrix24 repeats the webhook secret, the token and the app secrets', async () => {
		const response = await fetch(`${bitrix24.webhookUrl}no.such.method`, { method: 'POST' });
		const text = JSON.stringify(await response.json());
		expect(text).toContain(new URL(bitrix24.webhookUrl).pathname);
		expect(text).toContain(bitrix24.oauth.applicationToken);
		const refresh = await fetch(
			`${bitrix24.url}/oauth/token/?grant_type=refresh_token&client_id=${bitrix24.oauth.clientId}&client_secret=${bitrix24.oauth.clientSecret}&refresh_token=stale`,
		);
		expect(JSON.stringify(await refresh.json())).toContain(bitrix24.oauth.clientSecret);
	});
});

describe('LexOffice: the key stays in its credential', () => {
	const credentials = (apiKey: string): CredentialFixtures => ({
		lexofficeApi: { apiKey, host: lexoffice.url, ...UNLIMITED },
	});

	it.each([
		['a key pasted with a space (the 403 of §1.2)', 'a1b2c3d4-e5f6 7a8b-9c0d-e1f2a3b4c5d6'],
		['a wrong key', 'a1b2c3d4-e5f6-7a8b-9c0d-000000000000'],
	])('%s: neither the error nor the continue-on-fail output repeats it', async (_case, apiKey) => {
		const parameters = { resource: 'profile', operation: 'get' };
		const thrown = await everythingFrom(runNode(new Lexoffice(), { parameters, credentials: credentials(apiKey) }));
		const output = await everythingFrom(
			runNode(new Lexoffice(), { parameters, credentials: credentials(apiKey), continueOnFail: true }),
		);

		expect(thrown).toMatch(/\*\*\*/); // the echo arrived, redacted
		expectFreeOf(thrown, [apiKey, ...apiKey.split(' ')]);
		expectFreeOf(output, [apiKey, ...apiKey.split(' ')]);
	});

	it('a key LexOffice accepts is not repeated by a later error answer either', async () => {
		lexoffice.setFaults({ echoCredentials: true, failNext: [{ pathIncludes: '/v1/contacts', status: 406 }] });
		const parameters = { resource: 'contact', operation: 'get', contactId: '00000000-0000-0000-0000-000000000001' };
		const text = await everythingFrom(
			runNode(new Lexoffice(), { parameters, credentials: credentials(lexoffice.apiKey) }),
		);
		expect(text).toMatch(/\*\*\*/);
		expectFreeOf(text, [lexoffice.apiKey]);
	});
});

describe('Bitrix24: webhook secret, OAuth tokens, client secret and application token stay in their credential', () => {
	const parameters = {
		resource: 'callMethod',
		operation: 'call',
		method: 'crm.item.get',
		parameters: '{"entityTypeId":3,"id":999999}',
	};

	it('with a webhook credential (the secret is in the URL path)', async () => {
		const secret = new URL(bitrix24.webhookUrl).pathname.split('/')[3];
		const credentials = {
			bitrix24WebhookApi: {
				webhookUrl: bitrix24.webhookUrl,
				applicationToken: bitrix24.oauth.applicationToken,
				plan: 'enterprise',
			},
		};
		for (const continueOnFail of [false, true]) {
			const text = await everythingFrom(
				runNode(new Bitrix24(), {
					parameters: { ...parameters, authentication: 'webhook' },
					credentials,
					continueOnFail,
				}),
			);
			expect(text).toMatch(/NOT_FOUND|not found/i);
			expectFreeOf(text, [secret, bitrix24.oauth.applicationToken]);
		}
	});

	it('with the OAuth2 credential (access and refresh token, client secret, application token)', async () => {
		const oauth = await oauthCredentials(bitrix24);
		const tokens = oauth.oauthTokenData as { access_token: string; refresh_token: string };
		for (const continueOnFail of [false, true]) {
			const text = await everythingFrom(
				runNode(new Bitrix24(), {
					parameters: { ...parameters, authentication: 'oAuth2' },
					credentials: { bitrix24OAuth2Api: oauth },
					continueOnFail,
				}),
			);
			expect(text).toMatch(/NOT_FOUND|not found/i);
			expectFreeOf(text, [
				tokens.access_token,
				tokens.refresh_token,
				bitrix24.oauth.clientSecret,
				bitrix24.oauth.applicationToken,
			]);
		}
	});
});

describe('redact', () => {
	it('removes known secrets in every echoed form, and secret-shaped text it was not told about', () => {
		const text = redact(
			"'k3y with space' in header: 'Bearer k3y with space'; url https://acme.bitrix24.de/rest/1/abcdef123456/crm.item.get; other Bearer zzzzzzzzzzzz; k3y%20with%20space",
			['k3y with space'],
		);
		expect(text).not.toMatch(/k3y|abcdef123456|zzzzzzzzzzzz/);
		expect(text).toContain('/rest/1/***/crm.item.get');
	});
});
