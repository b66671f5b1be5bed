import { realEndpointsFromEnv } from '../../../scripts/lib/stack';

describe('realEndpointsFromEnv', () => {
	it('uses the sandboxes when neither variable is set (or both are blank)', () => {
		expect(realEndpointsFromEnv({})).toBeUndefined();
		expect(realEndpointsFromEnv({ LEXOFFICE_API_KEY: ' ', BITRIX24_WEBHOOK_URL: '' })).toBeUndefined();
	});

	it('uses the real services when both are set, on the standard plan unless told otherwise', () => {
		expect(
			realEndpointsFromEnv({ LEXOFFICE_API_KEY: 'key', BITRIX24_WEBHOOK_URL: 'https://x.bitrix24.de/rest/1/s/' }),
		).toEqual({
			lexoffice: { apiKey: 'key' },
			bitrix24: { webhookUrl: 'https://x.bitrix24.de/rest/1/s/', plan: 'standard' },
		});
		expect(
			realEndpointsFromEnv({
				LEXOFFICE_API_KEY: 'key',
				BITRIX24_WEBHOOK_URL: 'https://x/rest/1/s/',
				BITRIX24_PLAN: 'enterprise',
				LEXOFFICE_API_HOST: 'https://h',
			}),
		).toEqual({
			lexoffice: { apiKey: 'key', host: 'https://h' },
			bitrix24: { webhookUrl: 'https://x/rest/1/s/', plan: 'enterprise' },
		});
	});

	it.each([[{ LEXOFFICE_API_KEY: 'key' }], [{ BITRIX24_WEBHOOK_URL: 'https://x/rest/1/s/' }]])(
		'refuses half a real setup: %j',
		(env) => {
			expect(() => realEndpointsFromEnv(env)).toThrow(/both LEXOFFICE_API_KEY and BITRIX24_WEBHOOK_URL/);
		},
	);
});
