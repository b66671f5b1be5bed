import { NodeApiError, type INode } from 'n8n-workflow';

import { bitrix24ApiError, classifyResponse, redact } from '../../../nodes/Bitrix24/transport/errors';
import { isReadMethod, requiresApplicationContext } from '../../../nodes/Bitrix24/transport/methods';

const node: INode = {
	id: 'n',
	name: 'Bitrix24',
	type: 'n8n-nodes-lexoffice-bitrix24.bitrix24',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

describe('classifyResponse', () => {
	it.each([
		[503, { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' }, 'queryLimit'],
		[429, { error: 'OPERATION_TIME_LIMIT', error_description: 'Method is blocked' }, 'operatingLimit'],
		[429, '<html><body>429 Too Many Requests</body></html>', 'operatingLimit'],
		[500, { error: 'INTERNAL_SERVER_ERROR', error_description: 'Internal server error' }, 'server'],
		[502, '<html>Bad Gateway</html>', 'server'],
		[503, { error: 'OVERLOAD_LIMIT', error_description: 'REST API is blocked' }, 'rejected'],
		[400, { error: '', error_description: "Parameter 'fields' must be array." }, 'rejected'],
		[401, { error: 'NO_AUTH_FOUND', error_description: 'Wrong authorization data' }, 'rejected'],
		[200, '<html>maintenance</html>', 'rejected'],
		[200, { error: 'X', error_description: 'error in a 200' }, 'rejected'],
	])('HTTP %s %p → %s', (statusCode, body, kind) => {
		expect(classifyResponse({ statusCode, body })?.kind).toBe(kind);
	});

	it('treats a 200 with result as success, also when the body arrives as JSON text', () => {
		expect(classifyResponse({ statusCode: 200, body: { result: [] } })).toBeUndefined();
		expect(classifyResponse({ statusCode: 200, body: '{"result":false}' })).toBeUndefined();
	});

	it('keeps the description when the error code is empty', () => {
		expect(
			classifyResponse({ statusCode: 400, body: { error: '', error_description: 'Target is not set.' } })?.error,
		).toEqual({
			error: '',
			description: 'Target is not set.',
		});
	});
});

describe('bitrix24ApiError', () => {
	const secret = 'k3v9x0s8q1w2e3r4';
	const context = { node, method: 'crm.contact.add', secrets: [`https://a.bitrix24.de/rest/1/${secret}/`, secret] };

	it("shows Bitrix24's description as the message and keeps the HTTP status", () => {
		const error = bitrix24ApiError(context, 400, { error: '', description: "Parameter 'fields' must be array." });
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe("Parameter 'fields' must be array.");
		expect(error.httpCode).toBe('400');
		expect(error.description).toContain('crm.contact.add');
	});

	it('falls back to the code when there is no description', () => {
		expect(bitrix24ApiError(context, 404, { error: 'NOT_FOUND', description: '' }).message).toBe('NOT_FOUND');
	});

	it('removes secrets from everything it carries', () => {
		const error = bitrix24ApiError(context, 400, {
			error: `E ${secret}`,
			description: `see https://a.bitrix24.de/rest/1/${secret}/x`,
		});
		expect(JSON.stringify({ ...error, message: error.message, description: error.description })).not.toContain(secret);
	});

	it('redacts longest secrets first', () => {
		expect(redact('https://x/rest/1/abcd1234/ and abcd1234', ['abcd1234', 'https://x/rest/1/abcd1234/'])).toBe(
			'*** and ***',
		);
	});
});

describe('method classification', () => {
	it.each([
		'placement.bind',
		'placement.get',
		'event.bind',
		'event.offline.get',
		'crm.automation.trigger.add',
		'crm.automation.trigger.execute',
		'bizproc.robot.add',
		'bizproc.activity.add',
		'crm.activity.configurable.add',
		'crm.timeline.layout.blocks.set',
		'userfieldtype.add',
		'app.option.set',
		'PLACEMENT.BIND',
	])('%s needs application context', (method) => {
		expect(requiresApplicationContext(method)).toBe(true);
	});

	it.each(['crm.automation.trigger', 'bizproc.workflow.start', 'crm.contact.add', 'user.current', 'eventlog.get'])(
		'%s works with a webhook',
		(method) => {
			expect(requiresApplicationContext(method)).toBe(false);
		},
	);

	it.each([
		'user.current',
		'user.get',
		'crm.contact.list',
		'crm.item.fields',
		'crm.enum.addresstype',
		'profile',
		'crm.duplicate.findbycomm',
	])('%s is a read', (method) => {
		expect(isReadMethod(method)).toBe(true);
	});

	it.each([
		'crm.contact.add',
		'crm.item.update',
		'crm.address.add',
		'bizproc.workflow.start',
		'event.offline.get',
		'batch',
	])('%s is not repeated after a 5xx', (method) => {
		expect(isReadMethod(method)).toBe(false);
	});
});
