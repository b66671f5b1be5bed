/**
 * Placement clicks (bitrix24-api.md §9) and the local app's install callback (§1.2), sent by the
 * Bitrix24 sandbox to a loopback endpoint that runs the trigger as n8n would.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { CredentialFixtures } from '../../helpers/n8nContext';
import { forgetProvenTokens } from '../../../nodes/Bitrix24/transport/accessTokenCheck';
import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../sandbox/bitrix24';
import { postForm } from '../../sandbox/bitrix24/form';
import { startTriggerEndpoint, type TriggerEndpoint } from './triggerEndpoint';

let sb: Bitrix24Sandbox;
let endpoint: TriggerEndpoint;
let parameters: INodeParameters;
let credentials: CredentialFixtures;

function item(callIndex = -1): IDataObject | undefined {
	return endpoint.calls.at(callIndex)?.result?.workflowData?.[0][0].json;
}

async function bindPlacement(placement: string): Promise<void> {
	const { access_token } = await sb.oauth.issueTokens();
	const response = await fetch(`${sb.url}/rest/placement.bind`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({
			auth: access_token,
			PLACEMENT: placement,
			HANDLER: endpoint.url,
			TITLE: 'LexOffice: Rechnung erstellen',
		}),
	});
	expect(response.status).toBe(200);
}

beforeAll(async () => {
	sb = await startBitrix24Sandbox({ limits: 'off' });
	endpoint = await startTriggerEndpoint(() => ({ parameters, credentials }));
	credentials = {
		bitrix24OAuth2Api: {
			portalUrl: sb.url,
			clientId: sb.oauth.clientId,
			clientSecret: sb.oauth.clientSecret,
			accessTokenUrl: sb.oauth.tokenUrl,
			applicationToken: sb.oauth.applicationToken,
			oauthTokenData: (await sb.oauth.issueTokens()) as unknown as IDataObject,
		},
	};
	await bindPlacement('CRM_CONTACT_DETAIL_TOOLBAR');
	await bindPlacement('CRM_SMART_INVOICE_DETAIL_TOOLBAR');
});

afterAll(async () => {
	await endpoint.close();
	await sb.close();
});

beforeEach(() => {
	endpoint.calls.length = 0;
});

describe('placement calls', () => {
	it('outputs the element type and id of the card the button was clicked on', async () => {
		parameters = { mode: 'placement', authentication: 'oAuth2', placementResponse: 'responseNode' };
		await sb.simulate.placementCall('CRM_CONTACT_DETAIL_TOOLBAR', { ID: 8061, URI: '/crm/contact/details/8061/' });
		await sb.simulate.placementCall('CRM_SMART_INVOICE_DETAIL_TOOLBAR', { ID: 17 });

		expect(item(0)).toMatchObject({
			placement: 'CRM_CONTACT_DETAIL_TOOLBAR',
			entityType: 'contact',
			entityTypeId: 3,
			id: 8061,
			language: 'de',
		});
		expect(item(0)?.recordUrl).toBe(`${sb.url}/crm/contact/details/8061/`);
		expect(item(1)).toMatchObject({ entityType: 'smartInvoice', entityTypeId: 31, id: 17 });
		// "Respond to Webhook" answers in n8n: the trigger itself sends nothing.
		expect(endpoint.calls.map((call) => call.result?.noWebhookResponse)).toEqual([undefined, undefined]);
		expect(JSON.stringify(item(0))).not.toContain(sb.oauth.applicationToken);
	});

	it('answers at once with the redirect page when asked to, and still runs', async () => {
		parameters = {
			mode: 'placement',
			authentication: 'oAuth2',
			placementResponse: 'redirectPage',
			pageTitle: 'Rechnung <wird> erstellt',
			redirectUrl: 'https://app.lexoffice.de/vouchers',
			linkText: 'Zu LexOffice',
		};
		const response = await sb.simulate.placementCall('CRM_CONTACT_DETAIL_TOOLBAR', { ID: 5 });

		expect(response.status).toBe(200);
		expect(response.headers['content-type']).toMatch(/^text\/html/);
		expect(response.headers['content-security-policy']).toMatch(/allow-top-navigation/);
		expect(response.body).toContain('<title>Rechnung &lt;wird&gt; erstellt</title>');
		expect(response.body).toContain('href="https://app.lexoffice.de/vouchers" target="_top"');
		expect(response.body).toContain('window.top.location.href');
		expect(item()).toMatchObject({ entityType: 'contact', id: 5 });
	});

	it('evaluates the redirect URL expression against the request', async () => {
		parameters = {
			mode: 'placement',
			authentication: 'oAuth2',
			placementResponse: 'redirectPage',
			pageTitle: 'Weiter',
			redirectUrl: '={{ "https://app.lexoffice.de/?from=" + $json.query.LANG }}',
		};
		const response = await sb.simulate.placementCall('CRM_CONTACT_DETAIL_TOOLBAR', { ID: 5 }, { lang: 'en' });
		expect(response.body).toContain('href="https://app.lexoffice.de/?from=en"');
	});

	it.each([
		['a forged application token', { APPLICATION_TOKEN: 'forged', member_id: 'x' }],
		['no application token', { member_id: 'x' }],
	])('refuses %s with a readable 401 page and no execution', async (_case, auth) => {
		parameters = {
			mode: 'placement',
			authentication: 'oAuth2',
			placementResponse: 'redirectPage',
			pageTitle: 'T',
			redirectUrl: 'https://app.lexoffice.de/',
		};
		const response = await fetch(`${endpoint.url}?DOMAIN=evil.example&PROTOCOL=1&LANG=de`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				...auth,
				PLACEMENT: 'CRM_CONTACT_DETAIL_TOOLBAR',
				PLACEMENT_OPTIONS: '{"ID":"1"}',
			}).toString(),
		});
		const page = await response.text();

		expect(response.status).toBe(401);
		expect(response.headers.get('content-type')).toMatch(/^text\/html/);
		expect(page).toContain('401');
		expect(page).not.toContain('<script>');
		expect(endpoint.calls[0].result?.workflowData).toBeUndefined();
	});

	it('refuses the right token from another portal (member_id)', async () => {
		parameters = { mode: 'placement', authentication: 'oAuth2', placementResponse: 'responseNode' };
		const response = await fetch(endpoint.url, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				APPLICATION_TOKEN: sb.oauth.applicationToken,
				member_id: 'other-portal',
				PLACEMENT: 'CRM_CONTACT_DETAIL_TOOLBAR',
			}).toString(),
		});
		expect(response.status).toBe(401);
		expect(endpoint.calls[0].result?.workflowData).toBeUndefined();
	});

	it("checks against the credential's token with an incoming-webhook credential", async () => {
		const saved = credentials;
		credentials = { bitrix24WebhookApi: { webhookUrl: sb.webhookUrl, applicationToken: sb.oauth.applicationToken } };
		try {
			parameters = { mode: 'placement', authentication: 'webhook', placementResponse: 'responseNode' };
			await sb.simulate.placementCall('CRM_CONTACT_DETAIL_TOOLBAR', { ID: 9 });
			credentials = { bitrix24WebhookApi: { webhookUrl: sb.webhookUrl, applicationToken: 'something-else' } };
			const refused = await sb.simulate.placementCall('CRM_CONTACT_DETAIL_TOOLBAR', { ID: 9 });

			expect(item(0)).toMatchObject({ entityType: 'contact', id: 9 });
			expect(refused.status).toBe(401);
			expect(endpoint.calls[1].result?.workflowData).toBeUndefined();
		} finally {
			credentials = saved;
		}
	});
});

describe('placement calls: the user behind the click (issue #11 item 4)', () => {
	const appInfoCalls = () => sb.requests.calls().filter((call) => call.label === 'app.info').length;

	beforeEach(() => {
		forgetProvenTokens();
		parameters = { mode: 'placement', authentication: 'oAuth2', placementResponse: 'responseNode' };
	});

	it('refuses the right application token with a forged user token: 401 page, no execution', async () => {
		const response = await sb.simulate.placementCall(
			'CRM_CONTACT_DETAIL_TOOLBAR',
			{ ID: 5 },
			{ forgedAuthId: 'f0f107a52e6ad7ef9a1b8c3d5e2f4061' },
		);

		expect(response.status).toBe(401);
		expect(response.body).toContain('did not accept');
		expect(endpoint.calls[0].result?.workflowData).toBeUndefined();
	});

	it('refuses a call without any user token', async () => {
		const response = await fetch(endpoint.url, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				APPLICATION_TOKEN: sb.oauth.applicationToken,
				member_id: sb.oauth.memberId,
				PLACEMENT: 'CRM_CONTACT_DETAIL_TOOLBAR',
				PLACEMENT_OPTIONS: '{"ID":"1"}',
			}).toString(),
		});
		expect(response.status).toBe(401);
		expect(endpoint.calls[0].result?.workflowData).toBeUndefined();
	});

	it('asks the configured portal once per user token, then trusts it for a few minutes', async () => {
		const before = appInfoCalls();
		const first = await sb.simulate.placementCall('CRM_CONTACT_DETAIL_TOOLBAR', { ID: 5 });
		expect(first.status).toBe(200);
		expect(appInfoCalls()).toBe(before + 1);

		// The same user token again (a second click within its lifetime): no second check.
		const authId = /AUTH_ID=([^&]+)/.exec(endpoint.calls[0].request.rawBody!.toString())![1];
		const again = await fetch(endpoint.url, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				AUTH_ID: authId,
				APPLICATION_TOKEN: sb.oauth.applicationToken,
				member_id: sb.oauth.memberId,
				PLACEMENT: 'CRM_CONTACT_DETAIL_TOOLBAR',
				PLACEMENT_OPTIONS: '{"ID":"6"}',
			}).toString(),
		});
		expect(again.status).toBe(200);
		expect(appInfoCalls()).toBe(before + 1);
		expect(item()).toMatchObject({ entityType: 'contact', id: 6 });
	});
});

describe('app install callback', () => {
	it('outputs the application token, member id, portal and client id with instructions, without the OAuth tokens', async () => {
		parameters = { mode: 'appInstall', expectedPortal: sb.url };
		const response = await sb.simulate.appInstall(endpoint.url);

		expect(response.status).toBe(200);
		const installed = item();
		expect(installed).toMatchObject({
			event: 'ONAPPINSTALL',
			applicationToken: sb.oauth.applicationToken,
			memberId: sb.oauth.memberId,
			domain: new URL(sb.url).host,
			clientId: sb.oauth.clientId,
			application: { INSTALLED: 'Y' },
		});
		expect(installed?.instructions).toEqual(expect.stringContaining('Application Token'));
		const wire = decodeURIComponent(endpoint.calls[0].request.rawBody!.toString());
		const accessToken = /auth\[access_token\]=([^&]+)/.exec(wire)?.[1];
		expect(accessToken).toBeTruthy();
		expect(JSON.stringify(installed)).not.toContain(accessToken);
	});

	it('refuses a callback from a portal other than the configured one', async () => {
		parameters = { mode: 'appInstall', expectedPortal: 'https://acme.bitrix24.de/' };
		const response = await sb.simulate.appInstall(endpoint.url);
		expect(response.status).toBe(401);
		expect(endpoint.calls[0].result?.workflowData).toBeUndefined();

		parameters = { mode: 'appInstall', expectedPortal: sb.url };
		expect((await sb.simulate.appInstall(endpoint.url)).status).toBe(200);
	});

	it('refuses a forged callback naming the configured portal: its access token is not confirmed (issue #11 item 3)', async () => {
		parameters = { mode: 'appInstall', expectedPortal: sb.url };
		const planted = 'planted-application-token';
		const before = sb.requests.calls().filter((call) => call.label === 'app.info').length;
		const response = await postForm(endpoint.url, {
			event: 'ONAPPINSTALL',
			auth: {
				access_token: 'a'.repeat(48),
				application_token: planted,
				member_id: sb.oauth.memberId,
				domain: new URL(sb.url).host,
			},
		});

		expect(response.status).toBe(401);
		expect(response.body).not.toContain(planted);
		expect(endpoint.calls[0].result?.workflowData).toBeUndefined();
		// The configured portal was asked, not the one the callback names.
		expect(sb.requests.calls().filter((call) => call.label === 'app.info').length).toBe(before + 1);
	});

	it('refuses a callback without any access token before asking anyone', async () => {
		parameters = { mode: 'appInstall', expectedPortal: sb.url };
		const before = sb.requests.calls().length;
		const response = await fetch(endpoint.url, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: `event=ONAPPINSTALL&auth%5Bapplication_token%5D=planted&auth%5Bdomain%5D=${encodeURIComponent(new URL(sb.url).host)}`,
		});
		expect(response.status).toBe(401);
		expect(endpoint.calls[0].result?.workflowData).toBeUndefined();
		expect(sb.requests.calls().length).toBe(before);
	});

	it('refuses every callback while no portal is configured', async () => {
		parameters = { mode: 'appInstall' };
		expect((await sb.simulate.appInstall(endpoint.url)).status).toBe(401);
		expect(endpoint.calls[0].result?.workflowData).toBeUndefined();
	});
});
