/**
 * A double click on the create-invoice button (issue #12): two executions of the bundled workflow's
 * main path — Get → Claim Record for Linking → Find or Create for Bitrix24 Record → Store LexOffice
 * Link (workflows/lexoffice-bitrix24-create-invoice.json) — for one Bitrix24 record at the same
 * time, against both sandboxes. In one n8n process (the same node classes) and in two (each its own
 * copy of the package's modules, jest.isolateModules: no shared lock or memory, as on two queue-mode
 * workers). Interleavings are forced with gates on the requests, never with timing.
 */
import { Agent } from 'node:http';

import axios from 'axios';
import type { IDataObject, IHttpRequestOptions, INodeExecutionData, INodeParameters, INodeType } from 'n8n-workflow';

import { Bitrix24 } from '../../../nodes/Bitrix24/Bitrix24.node';
import { Lexoffice } from '../../../nodes/Lexoffice/Lexoffice.node';
import { CLAIM_HELD_ERROR, claimOriginId } from '../../../nodes/shared/contract/links';
import { createExecuteContext } from '../../helpers/n8nContext';
import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../sandbox/bitrix24';
import { startLexofficeSandbox, type LexofficeSandbox } from '../../sandbox/lexoffice';
import { credentialsFor, webhookCredentials } from '../bitrix24/helpers';
import { Gate } from '../bitrix24/workers';
import { sandboxCredentials } from './helpers';

jest.setTimeout(60_000);

type NodeClass = new () => INodeType;

/** The two action nodes as one n8n process loads them. */
interface N8nProcess {
	Bitrix24: NodeClass;
	Lexoffice: NodeClass;
}

const oneProcess: N8nProcess = { Bitrix24, Lexoffice };

function startProcess(): N8nProcess {
	let started: N8nProcess | undefined;
	jest.isolateModules(() => {
		/* eslint-disable @typescript-eslint/no-require-imports */
		started = {
			Bitrix24: (require('../../../nodes/Bitrix24/Bitrix24.node') as { Bitrix24: NodeClass }).Bitrix24,
			Lexoffice: (require('../../../nodes/Lexoffice/Lexoffice.node') as { Lexoffice: NodeClass }).Lexoffice,
		};
		/* eslint-enable @typescript-eslint/no-require-imports */
	});
	return started as N8nProcess;
}

let lexoffice: LexofficeSandbox;
let bitrix24: Bitrix24Sandbox;

beforeAll(async () => {
	lexoffice = await startLexofficeSandbox({ limits: 'off' });
	bitrix24 = await startBitrix24Sandbox({ limits: 'off' });
});
afterAll(async () => {
	await lexoffice.close();
	await bitrix24.close();
});
beforeEach(() => {
	lexoffice.reset(false);
	bitrix24.reset();
});

/** One execution: every request of every node it runs (method, URL, body as text) passes the gates first. */
class Execution {
	readonly sent: string[] = [];
	constructor(
		readonly process: N8nProcess,
		readonly gates: Gate[] = [],
	) {}

	async run(
		node: 'Bitrix24' | 'Lexoffice',
		parameters: INodeParameters,
		items: INodeExecutionData[],
		continueOnFail = false,
	) {
		const NodeType = this.process[node];
		const credentials =
			node === 'Bitrix24' ? credentialsFor('webhook', webhookCredentials(bitrix24)) : sandboxCredentials(lexoffice);
		const context = createExecuteContext(new NodeType(), {
			parameters,
			credentials,
			items,
			mode: 'webhook',
			continueOnFail,
		});
		const real = context.helpers.httpRequestWithAuthentication;
		const sent = this.sent;
		const gates = this.gates;
		context.helpers.httpRequestWithAuthentication = async function (
			this: unknown,
			type: string,
			request: IHttpRequestOptions,
		) {
			const text = `${request.method ?? 'GET'} ${String(request.url)} ${typeof request.body === 'string' ? request.body : JSON.stringify(request.body ?? {})}`;
			for (const gate of gates) await gate.pass(text, sent);
			sent.push(text);
			return await real.call(this as never, type, request);
		} as typeof real;
		const [output] = (await (new NodeType().execute as NonNullable<INodeType['execute']>).call(
			context,
		)) as INodeExecutionData[][];
		return output.map((item) => item.json);
	}
}

interface Click {
	claimed: IDataObject & { claim: IDataObject };
	found: IDataObject;
	link?: IDataObject;
}

/** The workflow's main path for a click on Bitrix24 contact `id`; on an error after the claim, its error path (Release Link Claim). */
async function click(execution: Execution, id: number, options: INodeParameters = {}): Promise<Click> {
	const record = { authentication: 'webhook', recordType: 'contact', recordId: String(id) };
	const [got] = await execution.run('Bitrix24', { ...record, resource: 'contact', operation: 'get' }, [{ json: {} }]);
	const [claimed] = (await execution.run(
		'Bitrix24',
		{ ...record, resource: 'lexofficeSync', operation: 'claimLink', options },
		[{ json: got }],
	)) as Array<Click['claimed']>;
	const claim = claimed.claim;
	try {
		const [found] = await execution.run(
			'Lexoffice',
			{
				resource: 'contact',
				operation: 'findOrCreateForBitrix24',
				recordType: 'contact',
				linkedContactId: claimed.ORIGINATOR_ID === 'lexoffice' ? String(claimed.ORIGIN_ID) : '',
				customerNumber: '',
				options: { afterAbandonedAttempt: claim.tookOver === true },
			},
			[{ json: claimed }],
		);
		if (!found.linkMustBeWritten) return { claimed, found };
		const [link] = await execution.run(
			'Bitrix24',
			{
				...record,
				resource: 'lexofficeSync',
				operation: 'storeLink',
				lexofficeId: String(found.id),
				expectedOriginId: String(claim.originId),
			},
			[{ json: found }],
		);
		return { claimed, found, link };
	} catch (error) {
		await execution.run(
			'Bitrix24',
			{
				...record,
				resource: 'lexofficeSync',
				operation: 'releaseClaim',
				claim: claim.claimed ? String(claim.originId) : '',
				previousOriginatorId: String(claim.previousOriginatorId),
				previousOriginId: String(claim.previousOriginId),
			},
			[{ json: { error: (error as Error).message } }],
		);
		throw error;
	}
}

/** Set-up requests open their own connection: a kept-alive one may have been closed by the server meanwhile. */
const fresh = new Agent({ keepAlive: false });

/** A contact added through the sandbox's REST API, as a user would. */
async function addContact(fields: IDataObject = {}): Promise<number> {
	const response = await axios.post(
		`${bitrix24.webhookUrl}crm.contact.add`,
		{ fields: { NAME: 'Inge', LAST_NAME: 'Doppelklick', ...fields } },
		{ proxy: false, httpAgent: fresh },
	);
	return Number((response.data as { result: unknown }).result);
}
const row = (id: number) => bitrix24.state.contacts.find((contact) => Number(contact.ID) === id) as IDataObject;
const lexofficeContactsNamed = (lastName: string) =>
	[...lexoffice.state.contacts.values()].filter((contact) => contact.person?.lastName === lastName);

const isPostContact = (text: string) => text.startsWith('POST') && text.includes('/v1/contacts');
/** The compare-and-set batch (list by id and link, then update) that claims or links the record. */
const isLinkWrite = (text: string) => text.includes('crm.contact.update');
const reads = (sent: string[]) => sent.filter((text) => text.includes('crm.contact.get')).length;
/** Reached when an execution reads the record after it found it claimed and waited once (Get, claim read, claim read again). */
const waitedOnce = () => new Gate((text, sent) => text.includes('crm.contact.get') && reads(sent) >= 2);

describe.each([
	['in one n8n process', () => [oneProcess, oneProcess]],
	['on two queue-mode workers (isolated module copies)', () => [startProcess(), startProcess()]],
])('a double click %s', (_where, processes) => {
	it('creates one LexOffice contact: the second click waits for the first and uses its contact', async () => {
		const [first, second] = processes();
		const id = await addContact();
		const holdCreate = new Gate(isPostContact);
		const a = new Execution(first, [holdCreate]);
		const clickA = click(a, id);
		await holdCreate.reached;
		// The first click holds the claim and is about to create the contact.
		expect(row(id)).toMatchObject({ ORIGINATOR_ID: 'lexoffice', ORIGIN_ID: expect.stringMatching(/^claim:/) });
		const waiting = waitedOnce();
		const createsToo = new Gate(isPostContact);
		const clickB = click(new Execution(second, [waiting, createsToo]), id);
		// With the claim the second click waits; without it, it would go on to create a second contact.
		await Promise.race([waiting.reached, createsToo.reached]);
		for (const gate of [waiting, createsToo, holdCreate]) gate.release();
		const [resultA, resultB] = await Promise.all([clickA, clickB]);

		const created = lexofficeContactsNamed('Doppelklick');
		expect(created).toHaveLength(1);
		expect(resultA.found).toMatchObject({ id: created[0].id, created: true, matchedBy: 'created' });
		expect(resultA.link).toMatchObject({ action: 'linked', lexofficeId: created[0].id });
		expect(resultB.found).toMatchObject({ id: created[0].id, created: false, matchedBy: 'linkedId' });
		expect(resultB.claimed.claim).toMatchObject({
			claimed: false,
			waitedForAnotherClick: true,
			linkedByAnotherClick: true,
		});
		expect(resultA.claimed.claim).toMatchObject({ claimed: true, linkedByAnotherClick: false });
		expect(row(id)).toMatchObject({ ORIGINATOR_ID: 'lexoffice', ORIGIN_ID: created[0].id });
	});
});

describe('the claim on the Bitrix24 record', () => {
	// In one process the keyed lock keeps the second from reading before the first has claimed.
	it('on two workers, when both read the record unlinked before either claims, the compare-and-set lets only one claim', async () => {
		const [first, second] = [startProcess(), startProcess()];
		const id = await addContact({ LAST_NAME: 'Gleichzeitig' });
		const claimA = new Gate(isLinkWrite);
		const holdCreate = new Gate(isPostContact);
		const claimB = new Gate(isLinkWrite);
		const waiting = waitedOnce();
		const a = new Execution(first, [claimA, holdCreate]);
		const b = new Execution(second, [claimB, waiting]);
		const clickA = click(a, id);
		await claimA.reached;
		const clickB = click(b, id);
		await claimB.reached;
		// Both have read "unlinked" and are about to claim.
		claimA.release();
		await holdCreate.reached;
		claimB.release();
		await waiting.reached;
		waiting.release();
		holdCreate.release();
		const [resultA, resultB] = await Promise.all([clickA, clickB]);

		const created = lexofficeContactsNamed('Gleichzeitig');
		expect(created).toHaveLength(1);
		expect(b.sent.filter(isLinkWrite)).toHaveLength(1);
		expect(b.sent.filter(isPostContact)).toHaveLength(0);
		expect(resultA.found.id).toBe(created[0].id);
		expect(resultB.found).toMatchObject({ id: created[0].id, matchedBy: 'linkedId' });
		expect(row(id)).toMatchObject({ ORIGINATOR_ID: 'lexoffice', ORIGIN_ID: created[0].id });
	});

	it('a claim another execution still holds: after the wait, an error that says nothing was changed', async () => {
		const held = claimOriginId('a1b2c3d4-0000-4000-8000-000000000001', Date.now() + 5 * 60_000);
		const id = await addContact({ ORIGINATOR_ID: 'lexoffice', ORIGIN_ID: held });
		const error = await click(new Execution(oneProcess), id, { waitSeconds: 0 }).catch((caught: Error) => caught);
		expect(error).toBeInstanceOf(Error);
		expect((error as Error).message).toContain('Another execution is still finding or creating the LexOffice contact');
		expect((error as { description?: string }).description).toContain('Nothing was changed');
		expect(row(id)).toMatchObject({ ORIGINATOR_ID: 'lexoffice', ORIGIN_ID: held });
		expect(lexofficeContactsNamed('Doppelklick')).toHaveLength(0);
	});

	it('with the error output (as in the template), the error of a claim still held begins as the answer page expects', async () => {
		const held = claimOriginId('a1b2c3d4-0000-4000-8000-000000000004', Date.now() + 5 * 60_000);
		const id = await addContact({ ORIGINATOR_ID: 'lexoffice', ORIGIN_ID: held });
		const [item] = await new Execution(oneProcess).run(
			'Bitrix24',
			{
				authentication: 'webhook',
				resource: 'lexofficeSync',
				operation: 'claimLink',
				recordType: 'contact',
				recordId: String(id),
				options: { waitSeconds: 0 },
			},
			[{ json: {} }],
			true,
		);
		// n8n hands the error page only this message; its "Another Click in Progress" is mapped from its
		// beginning (workflows/lexoffice-bitrix24-create-invoice.json, checked by templates.test.ts).
		expect(String(item.error).startsWith(`${CLAIM_HELD_ERROR} of Bitrix24 contact ${id}`)).toBe(true);
		expect(row(id)).toMatchObject({ ORIGIN_ID: held });
	});

	it('when the first click fails and gives its claim back, the waiting click claims and creates, and does not say another click linked it', async () => {
		const id = await addContact({ LAST_NAME: 'Zweiter' });
		const holdCreate = new Gate(isPostContact);
		const clickA = click(new Execution(oneProcess, [holdCreate]), id).catch((error: Error) => error);
		await holdCreate.reached;
		const waiting = waitedOnce();
		const clickB = click(new Execution(oneProcess, [waiting]), id);
		await waiting.reached;
		// LexOffice refuses the first click's contact; it releases its claim on the error path.
		lexoffice.setFaults({ failNext: [{ method: 'POST', pathIncludes: '/v1/contacts', status: 400 }] });
		holdCreate.release();
		expect(await clickA).toBeInstanceOf(Error);
		waiting.release();
		const resultB = await clickB;

		const created = lexofficeContactsNamed('Zweiter');
		expect(created).toHaveLength(1);
		expect(resultB.claimed.claim).toMatchObject({
			claimed: true,
			waitedForAnotherClick: true,
			linkedByAnotherClick: false,
		});
		expect(resultB.found).toMatchObject({ id: created[0].id, created: true });
		expect(row(id)).toMatchObject({ ORIGINATOR_ID: 'lexoffice', ORIGIN_ID: created[0].id });
	});

	it('an expired claim is taken over, and the contact its execution created is used, not created again', async () => {
		const expired = claimOriginId('a1b2c3d4-0000-4000-8000-000000000002', Date.now() - 1000);
		const id = await addContact({ LAST_NAME: 'Abgebrochen', ORIGINATOR_ID: 'lexoffice', ORIGIN_ID: expired });
		// The stopped execution had created the contact but not stored its link.
		const response = await axios.post(
			`${lexoffice.url}/v1/contacts`,
			{ version: 0, roles: { customer: {} }, person: { firstName: 'Inge', lastName: 'Abgebrochen' } },
			{ headers: { Authorization: `Bearer ${lexoffice.apiKey}` }, proxy: false, httpAgent: fresh },
		);
		const madeBefore = (response.data as { id: string }).id;

		const result = await click(new Execution(oneProcess), id);
		expect(result.claimed.claim).toMatchObject({ claimed: true, tookOver: true });
		expect(result.found).toMatchObject({ id: madeBefore, created: true, settledByReadBack: true });
		expect(lexofficeContactsNamed('Abgebrochen')).toHaveLength(1);
		expect(row(id)).toMatchObject({ ORIGINATOR_ID: 'lexoffice', ORIGIN_ID: madeBefore });
	});

	it('an error after the claim gives the record its previous link back (Release Link Claim)', async () => {
		const id = await addContact({ NAME: '', LAST_NAME: '', ORIGINATOR_ID: 'othersystem', ORIGIN_ID: 'X-17' });
		await expect(click(new Execution(oneProcess), id)).rejects.toThrow('NAME and LAST_NAME');
		expect(row(id)).toMatchObject({ ORIGINATOR_ID: 'othersystem', ORIGIN_ID: 'X-17' });
		expect(lexoffice.state.contacts.size).toBe(0);
	});

	it('Store LexOffice Link does not overwrite a record that no longer holds the claim, and says what it holds', async () => {
		const id = await addContact({ ORIGINATOR_ID: 'lexoffice', ORIGIN_ID: 'd6a1f0c2-1111-4a8b-9c0d-1e2f3a4b5c61' });
		const execution = new Execution(oneProcess);
		const run = execution.run(
			'Bitrix24',
			{
				authentication: 'webhook',
				resource: 'lexofficeSync',
				operation: 'storeLink',
				recordType: 'contact',
				recordId: String(id),
				lexofficeId: 'd6a1f0c2-2222-4a8b-9c0d-1e2f3a4b5c62',
				expectedOriginId: claimOriginId('a1b2c3d4-0000-4000-8000-000000000003', Date.now() + 60_000),
			},
			[{ json: {} }],
		);
		await expect(run).rejects.toThrow('it now holds ORIGINATOR_ID "lexoffice", ORIGIN_ID "d6a1f0c2-1111');
		expect(execution.sent.filter(isLinkWrite)).toHaveLength(0);
		expect(row(id)).toMatchObject({ ORIGIN_ID: 'd6a1f0c2-1111-4a8b-9c0d-1e2f3a4b5c61' });
	});
});
