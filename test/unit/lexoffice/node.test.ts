import { NodeApiError, NodeConnectionTypes, type INodeProperties } from 'n8n-workflow';

import codex from '../../../nodes/Lexoffice/Lexoffice.node.json';
import { Lexoffice } from '../../../nodes/Lexoffice/Lexoffice.node';
import { resources } from '../../../nodes/Lexoffice/actions/resources';
import { runNode } from '../../helpers/n8nContext';
import { startLexofficeSandbox, type LexofficeSandbox } from '../../sandbox/lexoffice';
import { sandboxCredentials } from './helpers';

describe('Lexoffice node description', () => {
	const { description } = new Lexoffice();

	test('identity, tool use, credential, codex', () => {
		expect(description.name).toBe('lexoffice');
		expect(codex.node).toBe(`n8n-nodes-lexoffice-bitrix24.${description.name}`);
		expect(description.usableAsTool).toBe(true);
		expect(description.credentials).toEqual([{ name: 'lexofficeApi', required: true }]);
		expect(description.inputs).toEqual([NodeConnectionTypes.Main]);
		expect(description.subtitle).toContain('$parameter["operation"]');
	});

	test('every registered resource has a Resource option and an Operation dropdown of its operations', () => {
		const byName = (name: string) => description.properties.filter((p) => p.name === name);
		const [resourceSelector] = byName('resource');
		const optionValues = (resourceSelector.options as Array<{ value: string }>).map((o) => o.value).sort();
		expect(optionValues).toEqual(Object.keys(resources).sort());
		expect(optionValues).toContain(resourceSelector.default);
		for (const [value, resource] of Object.entries(resources)) {
			const selector = byName('operation').find(
				(p) => p.displayOptions?.show?.resource?.[0] === value,
			) as INodeProperties;
			const values = (selector.options as Array<{ value: string }>).map((o) => o.value).sort();
			expect(values).toEqual(
				Object.values(resource.operations)
					.map((o) => o.option.value)
					.sort(),
			);
			expect(values).toContain(selector.default);
		}
	});
});

describe('Profile → Get through n8n-core (sandbox)', () => {
	let sb: LexofficeSandbox;
	beforeAll(async () => {
		sb = await startLexofficeSandbox();
	});
	afterAll(async () => await sb.close());
	beforeEach(() => sb.reset());

	const parameters = { resource: 'profile', operation: 'get' };

	test('outputs the profile once per input item, linked to its item', async () => {
		const [output] = await runNode(new Lexoffice(), {
			parameters,
			credentials: sandboxCredentials(sb),
			items: [{ json: { a: 1 } }, { json: { a: 2 } }],
		});
		expect(output).toHaveLength(2);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		for (const item of output) {
			expect(item.json).toEqual(JSON.parse(JSON.stringify(sb.state.profile)));
		}
		expect(sb.requests.count({ pathIncludes: '/v1/profile' })).toBe(2);
	});

	test('a failure throws a NodeApiError with the item index', async () => {
		const error = await runNode(new Lexoffice(), {
			parameters,
			credentials: sandboxCredentials(sb, 'not-the-key'),
		}).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).message).toBe('Unauthorized');
		expect((error as NodeApiError).context.itemIndex).toBe(0);
	});

	test('with Continue On Fail a failing item becomes an error item and the others still run', async () => {
		sb.setFaults({
			failNext: [{ method: 'GET', pathIncludes: '/v1/profile', status: 403, body: { message: 'Forbidden' } }],
		});
		const [output] = await runNode(new Lexoffice(), {
			parameters,
			credentials: sandboxCredentials(sb),
			items: [{ json: {} }, { json: {} }],
			continueOnFail: true,
		});
		expect(output).toHaveLength(2);
		expect(output[0]).toEqual({
			json: { error: 'Forbidden', description: expect.stringMatching(/scope/) },
			// The error itself rides along, so "Continue (using error output)" routes the item there.
			error: expect.any(NodeApiError),
			pairedItem: { item: 0 },
		});
		expect(output[1].json).toMatchObject({ organizationId: sb.organizationId });
		expect(output[1].pairedItem).toEqual({ item: 1 });
	});

	test('an unexpected profile payload is reported, not passed on', async () => {
		sb.setFaults({ failNext: [{ method: 'GET', pathIncludes: '/v1/profile', status: 200, body: { hello: 'world' } }] });
		const error = await runNode(new Lexoffice(), { parameters, credentials: sandboxCredentials(sb) }).catch(
			(e: unknown) => e,
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).message).toMatch(/unexpected format \(expected a profile\)/);
	});

	test('an unknown operation is refused', async () => {
		await expect(
			runNode(new Lexoffice(), {
				parameters: { resource: 'profile', operation: 'delete' },
				credentials: sandboxCredentials(sb),
			}),
		).rejects.toThrow('The operation "delete" of "profile" is not supported');
	});
});
