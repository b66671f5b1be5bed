import { NodeApiError } from 'n8n-workflow';

import { describeErrorBody, formatLexofficeDateTime, lexofficeRequest } from '../../../nodes/Lexoffice/transport';
import { startLexofficeSandbox, type LexofficeSandbox } from '../../sandbox/lexoffice';
import { errorText, executeContext, newCompanyContact } from './helpers';

describe('describeErrorBody: the three shapes of lexoffice-api.md §7.2', () => {
	test.each([
		['gateway', 401, { message: 'Unauthorized' }, 'Unauthorized', undefined],
		['gateway with null message', 500, { message: null }, 'LexOffice answered with HTTP 500', undefined],
		[
			'legacy',
			406,
			{ IssueList: [{ i18nKey: 'missing_entity', source: 'company.name', type: 'validation_failure' }] },
			'missing_entity: company.name',
			'missing_entity: company.name (validation_failure)',
		],
		[
			'legacy, two issues',
			406,
			{
				IssueList: [
					{ i18nKey: 'missing_entity', source: 'roles', type: 'validation_failure' },
					{ i18nKey: 'invalid_value', source: 'note', type: 'validation_failure' },
				],
			},
			'missing_entity: roles (and 1 more)',
			'missing_entity: roles (validation_failure)\ninvalid_value: note (validation_failure)',
		],
		[
			'regular with details',
			406,
			{
				timestamp: '2023-05-11T17:12:31.233+02:00',
				status: 406,
				error: 'Not Acceptable',
				path: '/v1/invoices',
				traceId: '90d78d0777be',
				message: 'Validation failed for request. Please see details list for specific causes.',
				details: [
					{ violation: 'NOTNULL', field: 'lineItems[0].unitPrice.taxRatePercentage', message: 'darf nicht leer sein' },
				],
			},
			'Validation failed for request. Please see details list for specific causes.',
			'lineItems[0].unitPrice.taxRatePercentage: darf nicht leer sein\nLexOffice trace id: 90d78d0777be',
		],
		['empty body', 502, '', 'LexOffice answered with HTTP 502', undefined],
		['HTML page', 502, '<html><body>Bad Gateway</body></html>', 'LexOffice answered with HTTP 502', undefined],
		['JSON bytes (binary request)', 404, Buffer.from('{"message":"Not Found"}'), 'Not Found', undefined],
	])('%s', (_label, status, body, message, description) => {
		expect(describeErrorBody(status, body)).toEqual({ message, description });
	});
});

describe('LexOffice errors from the sandbox become NodeApiError', () => {
	let sb: LexofficeSandbox;
	beforeAll(async () => {
		sb = await startLexofficeSandbox();
	});
	afterAll(async () => await sb.close());
	beforeEach(() => sb.reset());

	async function failure(promise: Promise<unknown>): Promise<NodeApiError> {
		const error = await promise.then(
			() => undefined,
			(e: unknown) => e,
		);
		expect(error).toBeInstanceOf(NodeApiError);
		return error as NodeApiError;
	}

	test('legacy 406: a contact without a company name', async () => {
		const body = newCompanyContact('');
		const error = await failure(
			lexofficeRequest.call(executeContext(sb), { method: 'POST', path: '/v1/contacts', body }),
		);
		expect(error.httpCode).toBe('406');
		expect(error.message).toBe('missing_entity: company.name');
		expect(error.description).toContain('missing_entity: company.name (validation_failure)');
		expect(sb.state.contacts.size).toBe(0);
	});

	test('legacy 400: a name filter shorter than 3 characters', async () => {
		const error = await failure(
			lexofficeRequest.call(executeContext(sb), { path: '/v1/contacts', qs: { name: 'ab' } }),
		);
		expect(error.httpCode).toBe('400');
		expect(error.message).toBe('bad_request_error: size must be between 3 and 2147483647');
	});

	test('regular 406 with details: an invoice without its required fields', async () => {
		const error = await failure(
			lexofficeRequest.call(executeContext(sb), {
				method: 'POST',
				path: '/v1/invoices',
				body: { voucherDate: formatLexofficeDateTime('2025-01-10'), lineItems: [] },
			}),
		);
		expect(error.httpCode).toBe('406');
		expect(error.message).toBe('Validation failed for request. Please see details list for specific causes.');
		expect(error.description).toMatch(/^taxConditions\.taxType: darf nicht leer sein$/m);
		expect(error.description).toMatch(/LexOffice trace id: \w+/);
		expect(sb.state.invoices.size).toBe(0);
	});

	test('gateway 401 without a key in the message; gateway 404 for an unknown path', async () => {
		const unauthorized = await failure(
			lexofficeRequest.call(executeContext(sb, { apiKey: 'nope-SECRET' }), { path: '/v1/contacts' }),
		);
		expect(unauthorized.httpCode).toBe('401');
		expect(unauthorized.message).toBe('Unauthorized');
		expect(errorText(unauthorized)).not.toContain('nope-SECRET');

		const notFound = await failure(lexofficeRequest.call(executeContext(sb), { path: '/v1/nothing-here' }));
		expect(notFound.httpCode).toBe('404');
		expect(notFound.message).toBe('Not Found');
	});

	test('no error carries the API key, even for failures without an HTTP answer', async () => {
		sb.setFaults({ failNext: [{ method: 'POST', dropConnection: true }] });
		const dropped = await failure(
			lexofficeRequest.call(executeContext(sb), {
				method: 'POST',
				path: '/v1/contacts',
				body: newCompanyContact('X GmbH'),
			}),
		);
		expect(errorText(dropped)).not.toContain(sb.apiKey);
		expect(JSON.stringify(dropped.cause ?? null)).not.toContain(sb.apiKey);
	});
});
