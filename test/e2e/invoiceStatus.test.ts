/**
 * The bundled invoice-status workflow, imported unchanged into a real n8n 2.41.1 with the packed
 * package, its "Bitrix24 app" credential connected through n8n's own OAuth2 flow: finalizing,
 * paying and voiding invoices in the LexOffice sandbox give the Bitrix24 sandbox the smart invoice,
 * the timeline link, the PDF document, the stage changes and exactly one automation-trigger firing
 * per change; a replayed delivery, a later event about an unchanged invoice and a second daily
 * check fire nothing; the daily check fires "überfällig" once for an invoice that fell due silently.
 */
import axios from 'axios';

import {
	bundledWorkflow,
	createSandboxCredentials,
	executionError,
	nodeOutputJson,
	pollUntil,
	startN8n,
	type N8nInstance,
} from '../harness';
import { startBitrix24Sandbox } from '../sandbox/bitrix24';
import { startLexofficeSandbox } from '../sandbox/lexoffice';

type LexofficeSandbox = Awaited<ReturnType<typeof startLexofficeSandbox>>;
type Bitrix24Sandbox = Awaited<ReturnType<typeof startBitrix24Sandbox>>;

const WORKFLOW = 'lexoffice-bitrix24-invoice-status';
const TRIGGER_CODES = [
	'lexoffice_invoice_open',
	'lexoffice_invoice_paid',
	'lexoffice_invoice_voided',
	'lexoffice_invoice_overdue',
];
jest.setTimeout(120_000);
const FINISHED = ['success', 'error', 'crashed', 'canceled'];

const daysAgo = (days: number) => {
	const day = new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
	return `${day}T00:00:00.000+02:00`;
};

describe('bundled invoice-status workflow in a real n8n', () => {
	let n8n: N8nInstance | undefined;
	let lexoffice: LexofficeSandbox | undefined;
	let bitrix24: Bitrix24Sandbox | undefined;
	let workflowId = '';
	let customerId = '';
	let companyId = 0;

	const api = (): N8nInstance => {
		if (!n8n) throw new Error('n8n did not start (see beforeAll)');
		return n8n;
	};
	const lx = (): LexofficeSandbox => lexoffice as LexofficeSandbox;
	const bx = (): Bitrix24Sandbox => bitrix24 as Bitrix24Sandbox;

	const smartInvoice = (lexofficeId: string) => bx().state.items.filter((item) => item.XML_ID === lexofficeId);
	const firings = (smartInvoiceId: unknown) =>
		bx()
			.state.triggerFirings.filter((firing) => firing.entityTypeId === 31 && firing.entityId === smartInvoiceId)
			.map((firing) => firing.code);
	const stage = (code: string) => {
		const category = bx().state.categories.find(
			(candidate) => candidate.entityTypeId === 31 && candidate.isDefault === 'Y',
		)?.id;
		return `DT31_${String(category)}:${code}`;
	};

	/**
	 * Deliveries flushed, the expected state reached in Bitrix24, then every execution finished and
	 * none added over two polls: only then do counts of firings, documents and comments mean "exactly".
	 */
	const settle = async (reached: () => boolean, what: string) => {
		await lx().webhooks.flush();
		try {
			await pollUntil(async () => (reached() ? true : undefined), { what, timeoutMs: 120_000 });
		} catch (error) {
			// Say why: the executions that failed meanwhile, with their errors.
			const failed = (await api().executionSummaries(workflowId)).filter((execution) => execution.status !== 'success');
			const reasons = await Promise.all(
				failed.map(
					async (execution) =>
						`${execution.id} ${execution.status}: ${executionError(await api().getExecution(execution.id)) ?? ''}`,
				),
			);
			throw new Error(`${(error as Error).message}; executions not successful: ${reasons.join(' | ') || 'none'}`);
		}
		let previous = '';
		const executions = await pollUntil(
			async () => {
				const list = await api().executionSummaries(workflowId);
				const fingerprint = list.map((execution) => `${execution.id}:${execution.status}`).join(',');
				const settled = list.every((execution) => FINISHED.includes(execution.status)) && fingerprint === previous;
				previous = fingerprint;
				return settled ? list : undefined;
			},
			{ what: "the workflow's executions to finish", timeoutMs: 60_000, intervalMs: 2_000 },
		);
		for (const execution of executions.filter((candidate) => candidate.status !== 'success')) {
			throw new Error(
				`execution ${execution.id} ended ${execution.status}: ${executionError(await api().getExecution(execution.id)) ?? ''}`,
			);
		}
	};
	const linkComments = (entityTypeId: number, entityId: unknown, lexofficeId: string) =>
		bx().state.timeline.filter(
			(entry) =>
				entry.kind === 'comment' &&
				entry.entityTypeId === entityTypeId &&
				entry.entityId === entityId &&
				entry.comment.includes(`[URL=https://app.lexware.de/permalink/invoices/view/${lexofficeId}]`),
		);
	/** A later LexOffice event about the invoice, signed as LexOffice signs it. */
	const postLaterEvent = async (lexofficeId: string) => {
		const webhookId = await api().webhookIdOf(workflowId, 'Invoice event');
		const later = lx().webhooks.signedPayload(
			'invoice.changed',
			lexofficeId,
			new Date().toISOString().replace('Z', '+00:00'),
		);
		await axios.post(api().webhookUrl(`${webhookId}/webhook`), later.body, {
			headers: { 'Content-Type': 'application/json', 'X-Lxo-Signature': later.signature },
			proxy: false,
		});
	};

	const newInvoice = (overrides: Record<string, unknown> = {}) =>
		lx().simulate.createInvoice({
			voucherDate: daysAgo(2),
			address: { contactId: customerId },
			lineItems: [
				{
					type: 'custom',
					name: 'Brötchenlieferung',
					quantity: 3,
					unitName: 'Kiste',
					unitPrice: { currency: 'EUR', netAmount: 40, taxRatePercentage: 19 },
				},
			],
			totalPrice: { currency: 'EUR' },
			taxConditions: { taxType: 'net' },
			shippingConditions: { shippingType: 'none' },
			...overrides,
		});

	beforeAll(async () => {
		lexoffice = await startLexofficeSandbox({ limits: 'off', seed: { contacts: 0, invoices: 0 } });
		bitrix24 = await startBitrix24Sandbox({ limits: 'off' });
		// A loaded machine (2 cores, several agents) can take minutes to migrate a fresh n8n database.
		n8n = await startN8n({ readinessTimeoutMs: 8 * 60_000 });
		await createSandboxCredentials(n8n, lexoffice, bitrix24, { app: true });
		workflowId = (await n8n.importWorkflow(bundledWorkflow(WORKFLOW))).id;

		// The customer exists in both systems, linked the way the contact sync links it.
		customerId = lx().simulate.createContact({
			version: 0,
			roles: { customer: {} },
			company: { name: 'Bäckerei Sonnenschein GmbH' },
		} as never).id;
		const added = await axios.post(
			`${bitrix24.webhookUrl}crm.company.add`,
			{ fields: { TITLE: 'Bäckerei Sonnenschein GmbH', ORIGINATOR_ID: 'lexoffice', ORIGIN_ID: customerId } },
			{ proxy: false },
		);
		companyId = Number(added.data.result);
	}, 10 * 60_000);

	afterAll(async () => {
		await n8n?.stop();
		await lexoffice?.close();
		await bitrix24?.close();
	});

	it('registers the four app triggers in the one-time setup branch, through the OAuth2 app credential', async () => {
		const executionId = await api().runManually(workflowId, 'Register triggers once');
		const execution = await api().waitForExecution(workflowId, (candidate) => candidate.id === executionId);
		expect([execution.status, executionError(execution)]).toEqual(['success', undefined]);
		expect(
			bx()
				.state.appTriggers.map((trigger) => trigger.CODE)
				.sort(),
		).toEqual([...TRIGGER_CODES].sort());
		expect(bx().state.appTriggers.find((trigger) => trigger.CODE === 'lexoffice_invoice_overdue')?.NAME).toBe(
			'LexOffice: Rechnung überfällig',
		);

		await api().publish(workflowId);
		await api().waitPublished(workflowId);
	});

	it('creates the smart invoice of a draft with the timeline link, then finalizing and paying move it, one trigger each', async () => {
		const invoice = newInvoice();
		await settle(() => smartInvoice(invoice.id).length > 0 && bx().state.timeline.length > 0, 'the draft in Bitrix24');
		const [created] = smartInvoice(invoice.id);
		expect(smartInvoice(invoice.id)).toHaveLength(1);
		expect(created).toMatchObject({
			COMPANY_ID: companyId,
			STAGE_ID: stage('N'),
			OPPORTUNITY: 142.8,
			CURRENCY_ID: 'EUR',
			TITLE: `Rechnung ${invoice.voucherNumber}`,
		});
		const comments = bx().state.timeline.filter(
			(entry) => entry.kind === 'comment' && entry.entityTypeId === 31 && entry.entityId === created.ID,
		);
		expect(comments).toHaveLength(1);
		expect(comments[0].kind === 'comment' ? comments[0].comment : '').toContain(
			`[URL=https://app.lexware.de/permalink/invoices/view/${invoice.id}]`,
		);
		// German, as the template's Language sets it (the status too, not LexOffice's code).
		expect(comments[0].kind === 'comment' ? comments[0].comment : '').toContain(
			`Rechnung ${invoice.voucherNumber} aus LexOffice übernommen (Status: Entwurf).`,
		);
		// The link is on the client's card too (issue #13).
		expect(linkComments(4, companyId, invoice.id)).toHaveLength(1);
		expect(firings(created.ID)).toEqual([]);
		expect(bx().state.documents).toHaveLength(0);

		lx().simulate.finalizeInvoice(invoice.id);
		await settle(
			() => firings(created.ID).length > 0 && bx().state.documents.length > 0,
			'the finalized invoice in Bitrix24',
		);
		expect(smartInvoice(invoice.id)[0]).toMatchObject({ STAGE_ID: stage('S'), ACCOUNT_NUMBER: invoice.voucherNumber });
		expect(firings(created.ID)).toEqual(['lexoffice_invoice_open']);
		const documents = bx().state.documents.filter(
			(document) => document.entityTypeId === 31 && document.entityId === created.ID,
		);
		expect(documents).toHaveLength(1);
		expect(documents[0]).toMatchObject({ number: invoice.voucherNumber });
		expect(documents[0].pdf?.kind).toBe('pdf');

		// payment.changed, invoice.changed and invoice.status.changed: three executions, one report.
		lx().simulate.payInvoice(invoice.id);
		await settle(() => firings(created.ID).length > 1, 'the payment in Bitrix24');
		expect(smartInvoice(invoice.id)[0].STAGE_ID).toBe(stage('P'));
		expect(firings(created.ID)).toEqual(['lexoffice_invoice_open', 'lexoffice_invoice_paid']);
		expect(bx().state.documents.filter((document) => document.entityId === created.ID)).toHaveLength(1);
		expect(
			bx().state.timeline.filter((entry) => entry.entityTypeId === 31 && entry.entityId === created.ID),
		).toHaveLength(1);
	});

	it('fires nothing for a replayed delivery or a later event about an unchanged invoice', async () => {
		const [paid] = bx().state.items.filter((item) => item.STAGE_ID === stage('P'));
		const lexofficeId = String(paid.XML_ID);
		const before = {
			firings: bx().state.triggerFirings.length,
			documents: bx().state.documents.length,
			timeline: bx().state.timeline.length,
		};
		const executionsBefore = (await api().executionSummaries(workflowId)).length;

		const webhook = { webhookId: await api().webhookIdOf(workflowId, 'Invoice event') };
		const post = async (body: string, signature: string) =>
			await axios.post(api().webhookUrl(`${webhook.webhookId}/webhook`), body, {
				headers: { 'Content-Type': 'application/json', 'X-Lxo-Signature': signature },
				proxy: false,
			});
		const last = lx()
			.webhooks.deliveries()
			.filter((delivery) => delivery.resourceId === lexofficeId && delivery.eventType === 'invoice.status.changed')
			.at(-1);
		expect(last).toBeDefined();
		await post(String(last?.body), String(last?.signature)); // LexOffice delivering the same event again
		const later = lx().webhooks.signedPayload(
			'invoice.changed',
			lexofficeId,
			new Date().toISOString().replace('Z', '+00:00'),
		);
		await post(later.body, later.signature); // a new event, nothing changed for Bitrix24
		const started = async () => (await api().executionSummaries(workflowId)).length > executionsBefore;
		await pollUntil(async () => ((await started()) ? true : undefined), {
			what: 'the later event to start an execution',
			timeoutMs: 30_000,
		});
		await settle(() => true, 'nothing');

		expect((await api().executionSummaries(workflowId)).length).toBeGreaterThan(executionsBefore);
		expect({
			firings: bx().state.triggerFirings.length,
			documents: bx().state.documents.length,
			timeline: bx().state.timeline.length,
		}).toEqual(before);
		const latest = await api().waitForExecution(
			workflowId,
			(execution) => nodeOutputJson(execution, 'Sync invoice').length > 0,
		);
		expect(nodeOutputJson(latest, 'Sync invoice')[0]).toMatchObject({
			action: 'unchanged',
			triggerCode: null,
			attachPdf: false,
			firstSight: false,
		});
	});

	it('voids a finalized invoice: failure stage and "storniert", once', async () => {
		const invoice = newInvoice();
		lx().simulate.finalizeInvoice(invoice.id);
		await settle(() => smartInvoice(invoice.id)[0]?.STAGE_ID === stage('S'), 'the finalized invoice in Bitrix24');
		const [item] = smartInvoice(invoice.id);
		lx().simulate.voidInvoice(invoice.id);
		await settle(() => firings(item.ID).length > 1, 'the voiding in Bitrix24');
		expect(smartInvoice(invoice.id)[0].STAGE_ID).toBe(stage('D'));
		expect(firings(item.ID)).toEqual(['lexoffice_invoice_open', 'lexoffice_invoice_voided']);
		expect(bx().state.documents.filter((document) => document.entityId === item.ID)).toHaveLength(1);
		// One closing note, in the template's German.
		const closingNotes = bx().state.timeline.flatMap((entry) =>
			entry.kind === 'comment' &&
			entry.entityTypeId === 31 &&
			entry.entityId === item.ID &&
			entry.comment.includes('lexoffice/invoice.voided/')
				? [entry.comment]
				: [],
		);
		expect(closingNotes).toEqual([
			`Die Rechnung ${invoice.voucherNumber} wurde in LexOffice storniert; diese Rechnung ist damit geschlossen. (Kennung: lexoffice/invoice.voided/${invoice.id})`,
		]);
	});

	it('fires "überfällig" from the daily check once for an invoice that fell due without any event', async () => {
		const invoice = newInvoice();
		lx().simulate.finalizeInvoice(invoice.id);
		await settle(() => firings(smartInvoice(invoice.id)[0]?.ID).length > 0, 'the finalized invoice in Bitrix24');
		const [item] = smartInvoice(invoice.id);
		expect(firings(item.ID)).toEqual(['lexoffice_invoice_open']);

		// Days pass: the due date is behind us; LexOffice sends nothing.
		const stored = lx().state.invoices.get(invoice.id);
		if (!stored) throw new Error('invoice vanished from the sandbox');
		stored.dueDate = daysAgo(3);

		for (let run = 0; run < 2; run++) {
			const executionId = await api().runManually(workflowId, 'Daily at 07:00');
			const execution = await api().waitForExecution(workflowId, (candidate) => candidate.id === executionId);
			expect([execution.status, executionError(execution)]).toEqual(['success', undefined]);
		}
		expect(firings(item.ID)).toEqual(['lexoffice_invoice_open', 'lexoffice_invoice_overdue']);
		expect(smartInvoice(invoice.id)[0].STAGE_ID).toBe(stage('S'));
	});

	it(
		'closes the smart invoice of a draft deleted in LexOffice (invoice.deleted): failure stage, one note, no trigger',
		async () => {
			const invoice = newInvoice();
			await settle(
				() => linkComments(31, smartInvoice(invoice.id)[0]?.ID, invoice.id).length > 0,
				'the draft in Bitrix24',
			);
			const [item] = smartInvoice(invoice.id);
			expect(item.STAGE_ID).toBe(stage('N'));

			lx().simulate.deleteInvoice(invoice.id);
			await settle(() => smartInvoice(invoice.id)[0]?.STAGE_ID === stage('D'), 'the deletion in Bitrix24');
			expect(smartInvoice(invoice.id)).toHaveLength(1);
			const notes = bx().state.timeline.filter(
				(entry) =>
					entry.kind === 'comment' &&
					entry.entityTypeId === 31 &&
					entry.entityId === item.ID &&
					entry.comment.includes(`lexoffice/invoice.deleted/${invoice.id}`),
			);
			expect(notes).toHaveLength(1);
			expect(firings(item.ID)).toEqual([]);
			expect(String(smartInvoice(invoice.id)[0].SOURCE_DESCRIPTION)).toContain('status=deleted');
		},
		5 * 60_000,
	);

	it(
		'attaches the PDF at the next event when the upload failed, exactly once',
		async () => {
			const invoice = newInvoice();
			await settle(() => smartInvoice(invoice.id).length > 0, 'the draft in Bitrix24');
			const [item] = smartInvoice(invoice.id);
			bx().setFaults({
				failNext: [
					{
						pathIncludes: 'crm.documentgenerator.document.upload',
						status: 400,
						body: { error: 'ACCESS_DENIED', error_description: 'Access denied.' },
					},
				],
			});
			lx().simulate.finalizeInvoice(invoice.id);
			await settle(() => firings(item.ID).length > 0, 'the finalized invoice in Bitrix24');
			bx().setFaults({});
			// The upload failed; its record released it and says why, and the trigger branch still ran.
			const recorded = await Promise.all(
				(await api().executionSummaries(workflowId)).map(async (execution) =>
					nodeOutputJson(await api().getExecution(execution.id), 'Record PDF attached'),
				),
			);
			expect(JSON.stringify(recorded.flat())).toContain('The PDF of smart invoice');
			expect(firings(item.ID)).toEqual(['lexoffice_invoice_open']);

			await postLaterEvent(invoice.id);
			await settle(() => bx().state.documents.some((document) => document.entityId === item.ID), 'the PDF in Bitrix24');
			await postLaterEvent(invoice.id);
			await settle(() => true, 'another event');
			expect(
				bx().state.documents.filter((document) => document.entityTypeId === 31 && document.entityId === item.ID),
			).toHaveLength(1);
			expect(firings(item.ID)).toEqual(['lexoffice_invoice_open']);
			expect(String(smartInvoice(invoice.id)[0].SOURCE_DESCRIPTION)).toContain('pdf=ja');
		},
		8 * 60_000,
	);

	// Last in the file: it changes the published workflow's settings.
	it(
		"a user's settings hold in the published workflow: drafts left out, voided to a stage picked from the portal's list",
		async () => {
			const category = bx().state.categories.find(
				(candidate) => candidate.entityTypeId === 31 && candidate.isDefault === 'Y',
			)?.id;
			bx().state.statuses.push({
				ID: 9100,
				ENTITY_ID: `SMART_INVOICE_STAGE_${String(category)}`,
				STATUS_ID: stage('UC_STORNO'),
				NAME: 'Storniert',
				NAME_INIT: 'Storniert',
				SORT: 45,
				SYSTEM: 'N',
				CATEGORY_ID: category ?? null,
				COLOR: null,
				SEMANTICS: 'F',
			});
			const workflow = await api().getWorkflow(workflowId);
			const syncNode = workflow.nodes.find((node) => node.name === 'Sync invoice');
			if (!syncNode) throw new Error('the template has no "Sync invoice" node');
			// The stage dropdown as the editor fills it, from the portal.
			const stages = await api().loadOptions({
				nodeTypeAndVersion: { name: syncNode.type, version: syncNode.typeVersion },
				path: 'options.stage_voided',
				methodName: 'getSyncInvoiceStages',
				currentNodeParameters: syncNode.parameters,
				credentials: syncNode.credentials,
			});
			const picked = stages.find((option) => option.name.includes('Storniert'))?.value;
			expect(picked).toBe(stage('UC_STORNO'));

			const nodes = workflow.nodes.map((node) =>
				node === syncNode
					? { ...node, parameters: { ...node.parameters, options: { skipDrafts: true, stage_voided: picked } } }
					: node,
			);
			await api().updateWorkflow(workflowId, { ...workflow, nodes });
			await api().publish(workflowId);
			await api().waitPublished(workflowId);

			const invoice = newInvoice();
			await settle(() => true, 'the draft event');
			expect(smartInvoice(invoice.id)).toHaveLength(0);
			lx().simulate.finalizeInvoice(invoice.id);
			await settle(() => smartInvoice(invoice.id)[0]?.STAGE_ID === stage('S'), 'the finalized invoice in Bitrix24');
			const [item] = smartInvoice(invoice.id);
			lx().simulate.voidInvoice(invoice.id);
			await settle(() => firings(item.ID).length > 1, 'the voiding in Bitrix24');
			expect(smartInvoice(invoice.id)).toHaveLength(1);
			expect(smartInvoice(invoice.id)[0].STAGE_ID).toBe(stage('UC_STORNO'));
			expect(firings(item.ID)).toEqual(['lexoffice_invoice_open', 'lexoffice_invoice_voided']);
		},
		8 * 60_000,
	);
});
