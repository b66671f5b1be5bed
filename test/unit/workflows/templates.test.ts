/**
 * The bundled workflow templates as a user imports them: keys n8n's import accepts, node types
 * and pinned versions that exist, credentials that bind by name, parameters our nodes really
 * have (a renamed parameter would silently fall back to its default), sticky notes, no pinData.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import { Bitrix24 } from '../../../nodes/Bitrix24/Bitrix24.node';
import { Bitrix24OAuth2Api } from '../../../credentials/Bitrix24OAuth2Api.credentials';
import { Bitrix24WebhookApi } from '../../../credentials/Bitrix24WebhookApi.credentials';
import { LexofficeApi } from '../../../credentials/LexofficeApi.credentials';
import { CREDENTIAL_NAMES as SANDBOX_CREDENTIAL_NAMES } from '../../harness/sandboxCredentials';
import { Bitrix24Trigger } from '../../../nodes/Bitrix24Trigger/Bitrix24Trigger.node';
import { Lexoffice } from '../../../nodes/Lexoffice/Lexoffice.node';
import { CLAIM_HELD_ERROR } from '../../../nodes/shared/contract/links';
import { LexofficePollTrigger } from '../../../nodes/LexofficePollTrigger/LexofficePollTrigger.node';
import { LexofficeTrigger } from '../../../nodes/LexofficeTrigger/LexofficeTrigger.node';

const PACKAGE = 'n8n-nodes-lexoffice-bitrix24';
const DIRECTORY = join(__dirname, '../../../workflows');

/** n8n's default name for a new credential of each type (see test/harness/sandboxCredentials.ts). */
export const CREDENTIAL_NAMES: Record<string, string> = {
	lexofficeApi: SANDBOX_CREDENTIAL_NAMES.lexoffice,
	bitrix24WebhookApi: SANDBOX_CREDENTIAL_NAMES.bitrix24Webhook,
	bitrix24OAuth2Api: SANDBOX_CREDENTIAL_NAMES.bitrix24App,
};

/** n8n core nodes the templates may use, with the versions n8n 2.41.1 has. */
const CORE_NODES: Record<string, number[]> = {
	'n8n-nodes-base.manualTrigger': [1],
	'n8n-nodes-base.scheduleTrigger': [1, 1.1, 1.2, 1.3, 1.4],
	'n8n-nodes-base.noOp': [1],
	'n8n-nodes-base.stickyNote': [1],
	'n8n-nodes-base.respondToWebhook': [1],
	'n8n-nodes-base.if': [2, 2.1, 2.2],
	'n8n-nodes-base.switch': [3, 3.1, 3.2],
	'n8n-nodes-base.set': [3.3, 3.4],
	'n8n-nodes-base.merge': [3, 3.1],
	'n8n-nodes-base.filter': [2, 2.1, 2.2],
};

const OWN_NODES: INodeTypeDescription[] = [
	new Lexoffice().description,
	new LexofficeTrigger().description,
	new LexofficePollTrigger().description,
	new Bitrix24().description,
	new Bitrix24Trigger().description,
];

interface TemplateNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: unknown; name: string }>;
	webhookId?: string;
}

interface Template {
	name: string;
	nodes: TemplateNode[];
	connections: Record<string, { main: Array<Array<{ node: string }>> }>;
	settings: Record<string, unknown>;
}

const files = readdirSync(DIRECTORY).filter((file) => file.endsWith('.json'));
/** The contacts workflow: import, events and nightly reconciliation (the file keeps its old name). */
const CONTACTS_FILE = 'lexoffice-bitrix24-incremental-sync.json';
const load = (file: string) => JSON.parse(readFileSync(join(DIRECTORY, file), 'utf8')) as Template;

/** Every parameter name a node declares, at any depth (options of collections included). */
function declaredNames(properties: INodeProperties[]): Set<string> {
	const names = new Set<string>();
	for (const property of properties) names.add(property.name);
	return names;
}

/** The properties visible for these parameter values (top-level displayOptions only). */
function visible(properties: INodeProperties[], parameters: Record<string, unknown>): INodeProperties[] {
	return properties.filter((property) => {
		const show = property.displayOptions?.show ?? {};
		return Object.entries(show).every(([key, allowed]) => {
			if (key.startsWith('@') || key.startsWith('/')) return true;
			const value = parameters[key] ?? properties.find((candidate) => candidate.name === key)?.default;
			return (allowed as unknown[]).includes(value);
		});
	});
}

describe('bundled workflow templates', () => {
	it('are the four the README promises', () => {
		expect(files.sort()).toEqual(
			[
				'lexoffice-bitrix24-app-install.json',
				'lexoffice-bitrix24-create-invoice.json',
				'lexoffice-bitrix24-incremental-sync.json',
				'lexoffice-bitrix24-invoice-status.json',
			],
		);
	});

	describe('contacts: one place holds the sync settings (issue #13)', () => {
		const isSyncContacts = (node: TemplateNode) =>
			node.type === `${PACKAGE}.bitrix24` &&
			node.parameters.resource === 'lexofficeSync' &&
			node.parameters.operation === 'syncContacts';
		const contacts = load(CONTACTS_FILE);
		const sync = contacts.nodes.find(isSyncContacts) as TemplateNode;
		/** The nodes that feed `target`, directly. */
		const feeding = (template: Template, target: string) =>
			Object.entries(template.connections)
				.filter(([, outputs]) => outputs.main.flat().some((link) => link.node === target))
				.map(([from]) => from)
				.sort();
		/** Every node reachable from `start` along connections. */
		const reachable = (template: Template, start: string) => {
			const seen = new Set<string>([start]);
			for (const name of seen) for (const link of template.connections[name]?.main.flat() ?? []) seen.add(link.node);
			return seen;
		};

		it('exactly one Sync Contacts node across all templates', () => {
			const found = files.flatMap((file) => load(file).nodes.filter(isSyncContacts).map((node) => `${file}: ${node.name}`));
			expect(found).toEqual([`${CONTACTS_FILE}: Sync Contacts`]);
		});

		it('the import, the nightly reconciliation, the events and the poll fallback all reach that node', () => {
			for (const trigger of [
				'Start import',
				'Nightly reconciliation',
				'Contact created or changed',
				'Poll LexOffice contacts (fallback)',
			])
				expect([trigger, reachable(contacts, trigger).has(sync.name)]).toEqual([trigger, true]);
			expect(feeding(contacts, sync.name)).toEqual(['Deleted in LexOffice?', 'Get LexOffice contacts', 'Get the contact']);
			expect(sync.parameters.contact).toBe('={{ $json.resource ?? $json }}');
		});

		it('the import loops page by page: Get Next Page → Sync Contacts → Statistics (adding up, timed) → More pages? → back', () => {
			const node = (name: string) => contacts.nodes.find((candidate) => candidate.name === name) as TemplateNode;
			expect(node('Get LexOffice contacts').parameters).toMatchObject({ resource: 'contact', operation: 'getNextPage' });
			expect(feeding(contacts, 'Get LexOffice contacts')).toEqual(['More pages?', 'Nightly reconciliation', 'Start import']);
			expect(contacts.connections['Sync Contacts'].main[0].map((link) => link.node)).toEqual(['Statistics']);
			expect(node('Statistics').parameters.options).toEqual({
				addUpRuns: true,
				startedAt: "={{ $('Get LexOffice contacts').context.startedAt }}",
			});
			expect(contacts.connections.Statistics.main[0].map((link) => link.node)).toEqual(['More pages?']);
			const [more, done] = contacts.connections['More pages?'].main;
			expect(more.map((link) => link.node)).toEqual(['Get LexOffice contacts']);
			expect(done.map((link) => link.node)).toEqual(['Started by hand?']);
			expect(contacts.connections['Started by hand?'].main[0].map((link) => link.node).sort()).toEqual([
				'Import statistics',
				'Notify responsible user',
			]);
			// Events and the reconciliation end at the statistics: only an import notifies.
			expect(contacts.connections['Started by hand?'].main[1] ?? []).toEqual([]);
		});
	});

	describe('create invoice: one LexOffice contact per double click, pages in the chosen language (issue #12)', () => {
		const invoice = load('lexoffice-bitrix24-create-invoice.json');
		const node = (name: string) => invoice.nodes.find((candidate) => candidate.name === name) as TemplateNode;
		const targets = (from: string, output: number) =>
			(invoice.connections[from].main[output] ?? []).map((link) => link.node);

		it('claims the record before finding or creating its contact, and releases the claim on that step\'s errors', () => {
			expect(targets('Get contact', 0)).toEqual(['Claim record']);
			expect(targets('Get company', 0)).toEqual(['Claim record']);
			expect(targets('Claim record', 0)).toEqual(['Find or create LexOffice contact']);
			expect(targets('Claim record', 1)).toEqual(['Build error page']);
			expect(targets('Find or create LexOffice contact', 1)).toEqual(['Release claim']);
			expect(targets('Release claim', 0)).toEqual(['Build error page']);
			expect(node('Store link in Bitrix24').parameters).toMatchObject({
				operation: 'storeLink',
				expectedOriginId: "={{ $('Claim record').item.json.claim.originId }}",
			});
		});

		it('both pages take their sentences from the texts module: only facts are mapped, no text of their own', () => {
			expect(node('Build invoice page').parameters).toMatchObject({
				content: 'invoiceCreated',
				language: 'de',
				// Only when the other click linked the customer, not when it gave its claim back.
				linkedByConcurrentClick: "={{ $('Claim record').item.json.claim.linkedByAnotherClick === true }}",
			});
			expect(node('Build error page').parameters).toMatchObject({
				content: 'invoiceFailed',
				language: 'de',
				// n8n hands on only an error's message: the claim's "still held" error is told by its beginning.
				clickInProgress: `={{ String($json.error || '').startsWith('${CLAIM_HELD_ERROR}') }}`,
			});
			for (const name of ['Build invoice page', 'Build error page']) {
				const { parameters } = node(name);
				expect([name, parameters.title, parameters.message, parameters.linkText]).toEqual([name, undefined, undefined, undefined]);
				// No German (or English) sentence inside an expression: the Language option could not change it.
				for (const value of Object.values(parameters))
					expect([name, value]).not.toEqual([name, expect.stringMatching(/ (wurde|nichts|Klick|was|changed) /)]);
			}
		});
	});

	describe.each(files)('%s', (file) => {
		const template = load(file);
		const names = template.nodes.map((node) => node.name);

		it('has only the keys n8n imports, v1 execution order and no pinData', () => {
			expect(Object.keys(template).sort()).toEqual(['connections', 'name', 'nodes', 'settings']);
			expect(template.settings.executionOrder).toBe('v1');
			expect(new Set(names).size).toBe(names.length);
			expect(new Set(template.nodes.map((node) => node.id)).size).toBe(names.length);
		});

		it('explains its setup in sticky notes', () => {
			const notes = template.nodes.filter((node) => node.type === 'n8n-nodes-base.stickyNote');
			expect(notes.length).toBeGreaterThan(0);
			expect(notes.some((note) => /setup/i.test(String(note.parameters.content)))).toBe(true);
		});

		it('lays out its sticky notes clear of each other and of every node (the README pictures show it as it opens)', () => {
			// A node is drawn as a 100 × 100 box at its position, its name below it (≈ 40 px).
			type Box = { name: string; left: number; top: number; right: number; bottom: number };
			const boxes = template.nodes.map((node): Box => {
				const [left, top] = node.position;
				const note = node.type === 'n8n-nodes-base.stickyNote';
				const width = note ? Number(node.parameters.width) : 100;
				const height = note ? Number(node.parameters.height) : 140;
				return { name: node.name, left, top, right: left + width, bottom: top + height };
			});
			const notes = new Set(
				template.nodes.filter((node) => node.type === 'n8n-nodes-base.stickyNote').map((node) => node.name),
			);
			const overlaps = (a: Box, b: Box) =>
				a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
			const covered = boxes.flatMap((a, index) =>
				boxes
					.slice(index + 1)
					.filter((b) => (notes.has(a.name) || notes.has(b.name)) && overlaps(a, b))
					.map((b) => `${a.name} / ${b.name}`),
			);
			expect(covered).toEqual([]);
		});

		it('connects only nodes that exist', () => {
			for (const [from, outputs] of Object.entries(template.connections)) {
				expect(names).toContain(from);
				for (const target of outputs.main.flat()) expect(names).toContain(target.node);
			}
		});

		it.each(template.nodes.map((node) => [node.name, node]))('node "%s": type, version, credentials, parameters', (_name, node) => {
			const current = node as TemplateNode;
			if (!current.type.startsWith(`${PACKAGE}.`)) {
				expect(CORE_NODES[current.type]).toContain(current.typeVersion);
				return;
			}
			const description = OWN_NODES.find((candidate) => `${PACKAGE}.${candidate.name}` === current.type);
			expect(description).toBeDefined();
			const own = description as INodeTypeDescription;
			expect([own.version].flat()).toContain(current.typeVersion);
			// No webhookId: n8n gives each import its own, so a second import never collides (issue #13).
			if (own.webhooks?.length) expect(current.webhookId).toBeUndefined();

			for (const [type, reference] of Object.entries(current.credentials ?? {})) {
				expect(own.credentials?.map((credential) => credential.name)).toContain(type);
				expect(reference).toEqual({ id: null, name: CREDENTIAL_NAMES[type] });
			}

			const shown = visible(own.properties, current.parameters);
			const known = declaredNames(shown);
			// n8n adds "Poll Times" to every polling node when it loads the package (n8n-core DirectoryLoader).
			if (own.polling) known.add('pollTimes');
			for (const parameter of Object.keys(current.parameters)) expect([parameter, known.has(parameter)]).toEqual([parameter, true]);
			for (const property of shown) {
				const value = current.parameters[property.name];
				if (property.type !== 'options' || value === undefined || String(value).startsWith('=')) continue;
				if (property.typeOptions?.loadOptionsMethod) continue;
				expect(property.options?.map((option) => (option as { value: unknown }).value)).toContain(value);
			}
		});
	});

	it.each([
		[new LexofficeApi(), 'lexofficeApi'],
		[new Bitrix24WebhookApi(), 'bitrix24WebhookApi'],
		[new Bitrix24OAuth2Api(), 'bitrix24OAuth2Api'],
	])('references %s by the name n8n pre-fills for a new credential of its type', (credential, type) => {
		// editor-ui getNewCredentialName: the display name without API/OAuth1/OAuth2/MCP, then "account".
		const prefilled = `${credential.displayName.split(' ').filter((word) => !['API', 'OAuth1', 'OAuth2', 'MCP'].includes(word)).join(' ')} account`;
		expect(CREDENTIAL_NAMES[type]).toBe(prefilled);
	});

	describe('a partly failed run still reports (docs/data-quality.md)', () => {
		const node = (file: string, name: string) => load(file).nodes.find((candidate) => candidate.name === name) as TemplateNode & { onError?: string };

		it.each([
			// A draft deleted in LexOffice answers 404: the item goes on to Sync invoice, which reports it failed (case C41).
			['lexoffice-bitrix24-invoice-status.json', 'Get invoice'],
			// Statistics are kept in "Import statistics" even when the notification cannot be sent.
			[CONTACTS_FILE, 'Notify responsible user'],
		])('%s: "%s" continues on error', (file, name) => {
			expect(node(file, name).onError).toBe('continueRegularOutput');
		});

		it.each([[CONTACTS_FILE, 'Sync Contacts', 'Statistics']])('%s: every item of "%s" (failed ones included, they are ordinary items) reaches "%s"', (file, from, to) => {
			expect(node(file, from).onError).toBeUndefined();
			expect(load(file).connections[from].main[0].map((target) => target.node)).toContain(to);
		});
	});
});
