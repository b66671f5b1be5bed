import type { INodeProperties } from 'n8n-workflow';

import { Bitrix24OAuth2Api } from '../../../credentials/Bitrix24OAuth2Api.credentials';
import { Bitrix24WebhookApi } from '../../../credentials/Bitrix24WebhookApi.credentials';
import { Bitrix24 } from '../../../nodes/Bitrix24/Bitrix24.node';
import { resourceProperty, resources } from '../../../nodes/Bitrix24/actions/resources';
import { createExecuteContext } from '../../helpers/n8nContext';

const SECRET = 'k3v9x0s8q1w2e3r4';

describe('Bitrix24 node description', () => {
	const { description } = new Bitrix24();

	it('is the programmatic node "bitrix24", usable as a tool, with both credentials', () => {
		expect(description).toMatchObject({
			name: 'bitrix24',
			displayName: 'Bitrix24',
			usableAsTool: true,
			version: [1, 2],
		});
		expect(description.subtitle).toEqual(expect.any(String));
		expect(description.credentials?.map((c) => [c.name, c.displayOptions?.show?.authentication])).toEqual([
			['bitrix24WebhookApi', ['webhook']],
			['bitrix24OAuth2Api', ['oAuth2']],
		]);
	});

	it('lists exactly the registered resources, and every operation once per resource', () => {
		const listed = (resourceProperty.options as Array<{ value: string }>).map((option) => option.value).sort();
		expect(listed).toEqual(Object.keys(resources).sort());
		for (const [resource, module] of Object.entries(resources)) {
			const operationProperty = description.properties.find(
				(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.[0] === resource,
			) as INodeProperties;
			const values = (operationProperty.options as Array<{ value: string }>).map((o) => o.value).sort();
			expect(values).toEqual(Object.keys(module.operations).sort());
			expect(values).toContain(operationProperty.default);
		}
		expect(Object.keys(resources.user.operations).sort()).toEqual(['getCurrent', 'getMany', 'sendNotification']);
		expect(Object.keys(resources.lexofficeSync.operations).sort()).toEqual([
			'claimLink',
			'noteDeletion',
			'postInvoiceLink',
			'recordInvoiceEffect',
			'releaseClaim',
			'storeLink',
			'summarize',
			'syncContacts',
			'syncInvoice',
		]);
		expect(Object.keys(resources.callMethod.operations).sort()).toEqual(['batch', 'call']);
	});

	it("shows an operation's parameters only for that operation", () => {
		const limit = description.properties.find(
			(p) => p.name === 'limit' && p.displayOptions?.show?.resource?.[0] === 'user',
		);
		expect(limit?.displayOptions?.show).toMatchObject({
			resource: ['user'],
			operation: ['getMany'],
			returnAll: [false],
		});
	});
});

describe('Bitrix24 credentials', () => {
	it('follow the OAuth2 naming rule and extend oAuth2Api with body authentication', () => {
		const oauth = new Bitrix24OAuth2Api();
		expect(oauth.name).toBe('bitrix24OAuth2Api');
		expect(oauth.displayName).toContain('OAuth2');
		expect(oauth.extends).toEqual(['oAuth2Api']);
		const byName = Object.fromEntries(oauth.properties.map((p) => [p.name, p]));
		expect(byName.authentication.default).toBe('body');
		expect(byName.grantType.default).toBe('authorizationCode');
		expect(byName.accessTokenUrl.default).toBe('https://oauth.bitrix.info/oauth/token/');
		expect(byName.applicationToken.typeOptions?.password).toBe(true);
		expect(byName.plan.default).toBe('standard');
	});

	it.each([
		['acme.bitrix24.de', 'https://acme.bitrix24.de/oauth/authorize/'],
		['https://acme.bitrix24.de/', 'https://acme.bitrix24.de/oauth/authorize/'],
		[' https://acme.bitrix24.de/crm/deal/ ', 'https://acme.bitrix24.de/oauth/authorize/'],
		['http://127.0.0.1:4711', 'http://127.0.0.1:4711/oauth/authorize/'],
	])('builds the authorize URL from the portal %p', async (portalUrl, authUrl) => {
		const context = createExecuteContext(new Bitrix24(), {
			parameters: { authentication: 'oAuth2' },
			credentials: { bitrix24OAuth2Api: { portalUrl, clientId: 'local.x', clientSecret: 'y' } },
		});
		expect((await context.getCredentials('bitrix24OAuth2Api', 0)).authUrl).toBe(authUrl);
	});

	describe('webhook authenticate', () => {
		const credential = new Bitrix24WebhookApi();
		const authenticate = credential.authenticate as unknown as (
			credentials: Record<string, unknown>,
			options: Record<string, unknown>,
		) => Promise<Record<string, unknown>>;

		it('puts the normalised webhook base in front of the relative method', async () => {
			const options = await authenticate(
				{ webhookUrl: `https://acme.bitrix24.de/rest/7/${SECRET}/profile.json` },
				{ method: 'POST', url: 'crm.contact.list', body: '{}' },
			);
			expect(options).toEqual({
				method: 'POST',
				url: `https://acme.bitrix24.de/rest/7/${SECRET}/crm.contact.list`,
				body: '{}',
			});
		});

		it('ignores a baseURL and leaves absolute URLs untouched (no secret for other hosts)', async () => {
			expect(
				(
					await authenticate(
						{ webhookUrl: `https://acme.bitrix24.de/rest/7/${SECRET}/` },
						{ url: '/profile', baseURL: 'https://x' },
					)
				).url,
			).toBe(`https://acme.bitrix24.de/rest/7/${SECRET}/profile`);
			expect(
				(
					await authenticate(
						{ webhookUrl: `https://acme.bitrix24.de/rest/7/${SECRET}/` },
						{ url: 'https://other.example/a' },
					)
				).url,
			).toBe('https://other.example/a');
		});

		it('tests the credential with a POST to profile, which every webhook may call', () => {
			expect(credential.test?.request).toMatchObject({ method: 'POST', url: 'profile' });
			expect(credential.properties.find((p) => p.name === 'webhookUrl')?.typeOptions?.password).toBe(true);
		});
	});
});
