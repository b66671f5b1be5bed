/**
 * Replays across n8n processes (issue #11): queue mode runs several webhook processors, and a
 * restarted one starts with nothing in memory. Each "process" here is its own copy of the package's
 * modules (jest.isolateModules), so the two share no memory — no seen deliveries, no locks — and
 * meet only where real processes meet: the workflow's static data as saved in the database, and
 * Bitrix24.
 */
import { generateKeyPairSync, sign } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../sandbox/bitrix24';
import { startLexofficeSandbox, type LexofficeSandbox } from '../../sandbox/lexoffice';
import { addRecord, writeRequests } from '../bitrix24/crm/helpers';

type Harness = typeof import('./triggerHarness');
type Bitrix24Helpers = typeof import('../bitrix24/crm/helpers');

interface N8nProcess {
	harness: Harness;
	bitrix24: Bitrix24Helpers;
}

/** A fresh copy of the trigger, the Bitrix24 node and everything they import: one n8n process. */
function startProcess(): N8nProcess {
	let started: N8nProcess | undefined;
	jest.isolateModules(() => {
		/* eslint-disable @typescript-eslint/no-require-imports */
		started = {
			harness: require('./triggerHarness') as Harness,
			bitrix24: require('../bitrix24/crm/helpers') as Bitrix24Helpers,
		};
		/* eslint-enable @typescript-eslint/no-require-imports */
	});
	return started as N8nProcess;
}

const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const CONTACT_ID = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';

let lexoffice: LexofficeSandbox;
let bitrix24: Bitrix24Sandbox;

beforeAll(async () => {
	lexoffice = await startLexofficeSandbox({
		signingKey: signingKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
	});
	bitrix24 = await startBitrix24Sandbox({ limits: 'off' });
});
afterAll(async () => {
	await lexoffice.close();
	await bitrix24.close();
});
beforeEach(() => bitrix24.reset());

function signed(eventType: string, eventDate: string) {
	const body = JSON.stringify({
		organizationId: lexoffice.organizationId,
		eventType,
		resourceId: CONTACT_ID,
		eventDate,
	});
	return { body, signature: sign('sha512', Buffer.from(body), signingKey).toString('base64') };
}

/** The workflow row in n8n's database: each request loads a copy of its static data (JSON), and n8n saves it after webhook(). */
class WorkflowRow {
	staticData: IDataObject = {};
	load(): IDataObject {
		return JSON.parse(JSON.stringify(this.staticData)) as IDataObject;
	}
	save(staticData: IDataObject): void {
		this.staticData = JSON.parse(JSON.stringify(staticData)) as IDataObject;
	}
}

async function deliver(
	process: N8nProcess,
	staticData: IDataObject,
	{ body, signature }: { body: string; signature: string },
) {
	const setup = {
		parameters: { events: ['contact.deleted', 'contact.changed'], options: {} },
		credentials: process.harness.credentialsFor(lexoffice),
		staticData,
	};
	const request = {
		method: 'POST',
		headers: { 'X-Lxo-Signature': signature },
		body: JSON.parse(body) as IDataObject,
		rawBody: Buffer.from(body),
	};
	return await process.harness.runWebhook(setup, request);
}

/** The incremental-sync workflow's contact.deleted branch: Note Deletion on the trigger's item. */
async function noteDeletion(process: N8nProcess, event: IDataObject) {
	const { json } = await process.bitrix24.runBitrix24(bitrix24, {
		parameters: {
			resource: 'lexofficeSync',
			operation: 'noteDeletion',
			lexofficeId: String(event.resourceId),
			deletedAt: String(event.eventDate),
		},
	});
	return json[0];
}

const timelineNotes = () => bitrix24.state.timeline.filter((entry) => entry.kind === 'comment');

describe('replays across n8n processes', () => {
	it('refuses a replay at a webhook processor that was already running when another one saved the first delivery', async () => {
		const row = new WorkflowRow();
		const [a, b] = [startProcess(), startProcess()];
		// B is up and has handled something else: its memory of seen deliveries exists already.
		const other = await deliver(b, row.load(), signed('contact.changed', '2026-12-05T09:00:00.000+01:00'));
		expect(other.workflowData).toHaveLength(1);

		const delivery = signed('contact.deleted', '2026-12-05T10:00:00.000+01:00');
		const loadedByA = row.load();
		const first = await deliver(a, loadedByA, delivery);
		expect(first.workflowData).toHaveLength(1);
		row.save(loadedByA);

		const replay = await deliver(b, row.load(), delivery);
		expect([replay.response.statusCode, replay.response.body]).toEqual([
			200,
			{ message: 'Duplicate delivery; ignored' },
		]);
		expect(replay.workflowData).toBeUndefined();
	});

	it('adds one timeline note when a contact.deleted reaches two processes before either saved what it saw', async () => {
		const id = await addRecord(bitrix24, 'crm.contact.add', {
			NAME: 'Eva',
			LAST_NAME: 'Alt',
			ORIGINATOR_ID: 'lexoffice',
			ORIGIN_ID: CONTACT_ID,
		});
		const row = new WorkflowRow();
		const [a, b] = [startProcess(), startProcess()];
		const delivery = signed('contact.deleted', '2026-12-05T11:00:00.000+01:00');
		// Both load the static data before either saves: no trigger can refuse the second one.
		const [toA, toB] = [row.load(), row.load()];
		const [first, replay] = await Promise.all([deliver(a, toA, delivery), deliver(b, toB, delivery)]);
		const events = [first, replay].map((run) => run.workflowData?.[0][0].json as IDataObject);
		expect(events.map((event) => event?.eventType)).toEqual(['contact.deleted', 'contact.deleted']);

		// Each process runs its execution; they share no lock, only Bitrix24.
		const outcomes = await Promise.all([noteDeletion(a, events[0]), noteDeletion(b, events[1])]);
		const after = await noteDeletion(a, events[0]);
		expect(timelineNotes()).toHaveLength(1);
		expect(timelineNotes()[0]).toMatchObject({ entityId: id });
		expect(after).toMatchObject({ records: [{ id, action: 'unchanged', commentId: timelineNotes()[0].id }] });
		expect(outcomes.flatMap((outcome) => (outcome.records as IDataObject[]).map((record) => record.commentId))).toEqual(
			[timelineNotes()[0].id, timelineNotes()[0].id],
		);
	});

	it('writes and reports nothing for a replayed contact or invoice event that reaches a process with no memory of it', async () => {
		const contact: IDataObject = {
			id: CONTACT_ID,
			version: 3,
			roles: { customer: { number: 10007 } },
			person: { salutation: 'Frau', firstName: 'Inge', lastName: 'Musterfrau' },
			emailAddresses: { business: ['inge@musterfrau.de'] },
			archived: false,
		};
		const invoice: IDataObject = {
			id: '0e4c6a1d-2b3f-4c5d-8e9f-a0b1c2d3e4f5',
			voucherStatus: 'open',
			voucherNumber: 'RE-2026-0815',
			voucherDate: '2026-12-01T00:00:00.000+01:00',
			dueDate: '2026-12-31T00:00:00.000+01:00',
			updatedDate: '2026-12-05T10:00:05.000+01:00',
			address: { contactId: CONTACT_ID, name: 'Inge Musterfrau', countryCode: 'DE' },
			totalPrice: { currency: 'EUR', totalGrossAmount: 119 },
		};
		// The executions of both branches, as the incremental-sync and invoice-status workflows run them after the trigger.
		const run = async (process: N8nProcess) => {
			const [contactOutcome] = (
				await process.bitrix24.runBitrix24(bitrix24, {
					parameters: {
						resource: 'lexofficeSync',
						operation: 'syncContacts',
						contact: '={{ $json }}',
						responsibleUserId: '3',
					},
					items: [{ json: structuredClone(contact) }],
					mode: 'webhook',
				})
			).json;
			const [invoiceOutcome] = (
				await process.bitrix24.runBitrix24(bitrix24, {
					parameters: { resource: 'lexofficeSync', operation: 'syncInvoice', invoice: '={{ $json }}' },
					items: [{ json: structuredClone(invoice) }],
					mode: 'webhook',
				})
			).json;
			return { contactOutcome, invoiceOutcome };
		};
		const first = await run(startProcess());
		expect(first.contactOutcome).toMatchObject({ action: 'created' });
		expect(first.invoiceOutcome).toMatchObject({
			action: 'created',
			firstSight: true,
			attachPdf: true,
			triggerCode: 'lexoffice_invoice_open',
		});

		bitrix24.requests.clear();
		const replay = await run(startProcess());
		expect(replay.contactOutcome).toMatchObject({ action: 'unchanged' });
		// Nothing for the IF nodes after Sync invoice: no timeline link, no PDF upload, no automation trigger.
		expect(replay.invoiceOutcome).toMatchObject({
			action: 'unchanged',
			firstSight: false,
			attachPdf: false,
			triggerCode: null,
		});
		expect(writeRequests(bitrix24)).toEqual([]);
	});
});
