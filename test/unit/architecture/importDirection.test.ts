import { join } from 'node:path';

import { importViolations, readImportGraph, type ImportGraph } from './importRules';

const repository = join(__dirname, '..', '..', '..');

describe('import direction (ARCHITECTURE.md "Import direction")', () => {
	it('holds for every import of the shipped nodes', () => {
		const graph = readImportGraph(repository);
		expect(Object.keys(graph).length).toBeGreaterThan(100);
		expect(importViolations(graph)).toEqual([]);
	});

	it('reads the real imports: the contract is imported by both API nodes', () => {
		const graph = readImportGraph(repository);
		const importers = Object.entries(graph)
			.filter(([, targets]) => targets.some((target) => target.startsWith('nodes/shared/contract/')))
			.map(([file]) => file.split('/')[1]);
		expect(new Set(importers)).toEqual(new Set(['shared', 'Lexoffice', 'Bitrix24']));
	});

	const allowed: ImportGraph = {
		'nodes/Bitrix24/Bitrix24.node.ts': ['nodes/Bitrix24/actions/router.ts', 'nodes/Bitrix24/methods/index.ts'],
		'nodes/Bitrix24/actions/router.ts': [
			'nodes/Bitrix24/actions/contact/Contact.resource.ts',
			'nodes/Bitrix24/actions/types.ts',
		],
		'nodes/Bitrix24/actions/contact/get.operation.ts': [
			'nodes/Bitrix24/actions/shared/crmRecordOperations.ts',
			'nodes/Bitrix24/helpers/crmEntities.ts',
			'nodes/Bitrix24/transport/index.ts',
			'nodes/shared/contract/links.ts',
		],
		'nodes/Bitrix24/methods/crmFields.ts': [
			'nodes/Bitrix24/helpers/crmRecordFields.ts',
			'nodes/Bitrix24/transport/index.ts',
		],
		'nodes/Bitrix24/helpers/crmRecordFields.ts': [
			'nodes/Bitrix24/helpers/crmEntities.ts',
			'nodes/Bitrix24/transport/index.ts',
		],
		'nodes/Bitrix24/transport/request.ts': ['nodes/Bitrix24/transport/errors.ts', 'nodes/shared/rateLimit.ts'],
		'nodes/shared/contract/lexofficeToBitrix24.ts': ['nodes/shared/contract/addresses.ts'],
		'nodes/LexofficePollTrigger/LexofficePollTrigger.node.ts': [
			'nodes/LexofficePollTrigger/polling/contacts.ts',
			'nodes/Lexoffice/transport/index.ts',
			'nodes/Lexoffice/helpers/eventTypes.ts',
		],
		'nodes/Bitrix24Trigger/receive.ts': ['nodes/Bitrix24/helpers/redirectPage.ts', 'nodes/Bitrix24/transport/index.ts'],
	};

	it('allows the direction transport ← helpers ← actions/methods ← node, and triggers using their API', () => {
		expect(importViolations(allowed)).toEqual([]);
	});

	it.each<[string, string, string, RegExp]>([
		[
			'helpers import actions',
			'nodes/Bitrix24/helpers/invoiceStatus.ts',
			'nodes/Bitrix24/actions/smartInvoice/stages.ts',
			/helpers\/ must not import actions\//,
		],
		[
			'transport imports helpers',
			'nodes/Lexoffice/transport/request.ts',
			'nodes/Lexoffice/helpers/input.ts',
			/transport\/ must not import helpers\//,
		],
		[
			'methods import actions',
			'nodes/Bitrix24/methods/requisites.ts',
			'nodes/Bitrix24/actions/shared/crmRecordLookup.ts',
			/methods\/ must not import actions\//,
		],
		[
			'actions import methods',
			'nodes/Bitrix24/actions/contact/get.operation.ts',
			'nodes/Bitrix24/methods/index.ts',
			/actions\/ must not import methods\//,
		],
		[
			'actions import the node file',
			'nodes/Lexoffice/actions/router.ts',
			'nodes/Lexoffice/Lexoffice.node.ts',
			/actions\/ must not import node\//,
		],
		[
			'one resource reaches into another',
			'nodes/Bitrix24/actions/lexofficeSync/syncContactsRun.ts',
			'nodes/Bitrix24/actions/requisite/upsertPlan.ts',
			/actions\/lexofficeSync\/ must not import actions\/requisite\//,
		],
		[
			'actions/shared imports a resource',
			'nodes/Bitrix24/actions/shared/settleUncertain.ts',
			'nodes/Bitrix24/actions/requisite/upsertPlan.ts',
			/actions\/shared\/ must not import actions\/requisite\//,
		],
		[
			'shared code imports a node',
			'nodes/shared/contract/lexofficeToBitrix24.ts',
			'nodes/Bitrix24/helpers/addressValues.ts',
			/nodes\/shared\/ imports only nodes\/shared\//,
		],
		[
			'one API node imports the other',
			'nodes/Bitrix24/actions/lexofficeSync/syncInvoiceInput.ts',
			'nodes/Lexoffice/helpers/eventResources.ts',
			/API nodes do not import each other/,
		],
		[
			'an API node imports a trigger',
			'nodes/Bitrix24/actions/placement/renderPage.operation.ts',
			'nodes/Bitrix24Trigger/redirectPage.ts',
			/API nodes do not import each other/,
		],
		[
			"a trigger uses another trigger's files",
			'nodes/LexofficePollTrigger/LexofficePollTrigger.node.ts',
			'nodes/LexofficeTrigger/polling/contacts.ts',
			/a trigger imports only/,
		],
		[
			'a trigger uses actions',
			'nodes/LexofficeTrigger/LexofficeTrigger.node.ts',
			'nodes/Lexoffice/actions/router.ts',
			/a trigger imports only/,
		],
		[
			'a trigger uses the other API',
			'nodes/Bitrix24Trigger/receive.ts',
			'nodes/Lexoffice/transport/index.ts',
			/a trigger imports only/,
		],
	])('fails on a violation: %s', (_name, from, to, rule) => {
		const graph: ImportGraph = { ...allowed, [from]: [...(allowed[from] ?? []), to] };
		const violations = importViolations(graph);
		expect(violations).toHaveLength(1);
		expect(violations[0]).toMatchObject({ from, to });
		expect(violations[0].rule).toMatch(rule);
	});
});
