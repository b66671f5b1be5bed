import { NodeApiError, type IAuthenticateGeneric } from 'n8n-workflow';

import { LexofficeApi } from '../../../credentials/LexofficeApi.credentials';
import { lexofficeRequest } from '../../../nodes/Lexoffice/transport';
import { startLexofficeSandbox, type LexofficeSandbox } from '../../sandbox/lexoffice';
import { errorText, executeContext, UNLIMITED } from './helpers';

describe('LexofficeApi credential definition', () => {
	const credential = new LexofficeApi();

	test('is the lexofficeApi type with the documented fields and defaults', () => {
		expect(credential.name).toBe('lexofficeApi');
		expect(credential.displayName).toBe('LexOffice API');
		const byName = Object.fromEntries(credential.properties.map((p) => [p.name, p]));
		expect(byName.apiKey.typeOptions?.password).toBe(true);
		expect(byName.apiKey.required).toBe(true);
		expect(byName.host.default).toBe('https://api.lexware.io');
		expect(byName.appUrl.default).toBe('https://app.lexware.de');
		expect(byName.webhookPublicKey.default).toBe('');
		expect(byName.webhookPublicKey.typeOptions?.rows).toBeGreaterThan(1);
	});

	test('tells users about plan, key creation, scopes and lifetime', () => {
		const help = credential.properties.map((p) => `${p.displayName} ${p.description ?? ''}`).join(' ');
		expect(help).toMatch(/XL plan/);
		expect(help).toContain('https://app.lexware.de/addons/public-api');
		expect(help).toMatch(/administrator/i);
		expect(help).toMatch(/contacts, invoices\/vouchers and event subscriptions/);
		expect(help).toMatch(/24 months/);
	});

	test('authenticates with a Bearer header and tests with GET {host}/v1/profile', () => {
		const authenticate = credential.authenticate as IAuthenticateGeneric;
		expect(authenticate.type).toBe('generic');
		expect(authenticate.properties.headers).toEqual({ Authorization: '=Bearer {{$credentials.apiKey}}' });
		expect(credential.test.request).toEqual({ baseURL: '={{$credentials.host}}', url: '/v1/profile', method: 'GET' });
	});
});

describe('the credential at work (sandbox, through n8n-core)', () => {
	let sb: LexofficeSandbox;
	beforeAll(async () => {
		sb = await startLexofficeSandbox({ apiKey: 'right-key-0123456789' });
	});
	afterAll(async () => await sb.close());
	beforeEach(() => sb.reset());

	test('the right key reads the profile', async () => {
		const profile = await lexofficeRequest.call(executeContext(sb), { path: '/v1/profile' });
		expect(profile).toMatchObject({ organizationId: sb.organizationId });
	});

	test('a trailing slash on the host is tolerated', async () => {
		const ctx = executeContext(sb, {
			credentials: { lexofficeApi: { apiKey: sb.apiKey, host: `${sb.url}//`, ...UNLIMITED } },
		});
		await expect(lexofficeRequest.call(ctx, { path: '/v1/profile' })).resolves.toMatchObject({
			organizationId: sb.organizationId,
		});
		expect(sb.requests.last()?.path).toBe('/v1/profile');
	});

	test('a wrong key → NodeApiError with LexOffice message and 401, never the key', async () => {
		const wrongKey = 'wrong-key-SECRET-4711';
		const error = await lexofficeRequest
			.call(executeContext(sb, { apiKey: wrongKey }), { path: '/v1/profile' })
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).message).toBe('Unauthorized');
		expect((error as NodeApiError).httpCode).toBe('401');
		expect((error as NodeApiError).description).toMatch(/24 months/);
		expect(errorText(error)).not.toContain(wrongKey);
		// 401 is not retried.
		expect(sb.requests.count({ status: 401 })).toBe(1);
	});
});
