import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../../sandbox/bitrix24';
import { addRecord } from '../crm/helpers';
import { caught, everythingIn, oauthCredentials, restCalls } from '../helpers';
import { loadOptions, run } from '../invoices/run';

describe('Automation (bitrix24-api.md §8)', () => {
	let sb: Bitrix24Sandbox;
	let contactId: number;
	let companyId: number;
	let invoiceId: number;

	beforeAll(async () => {
		sb = await startBitrix24Sandbox({ limits: 'off', invoiceCategoryId: 5 });
		contactId = await addRecord(sb, 'crm.contact.add', { NAME: 'Erika', LAST_NAME: 'Mustermann' });
		companyId = await addRecord(sb, 'crm.company.add', { TITLE: 'Muster GmbH' });
		const response = await fetch(`${sb.webhookUrl}crm.item.add`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ entityTypeId: 31, fields: { title: 'Rechnung RE-1' } }),
		});
		invoiceId = ((await response.json()) as { result: { item: { id: number } } }).result.item.id;
	});
	afterAll(async () => await sb.close());
	beforeEach(() => sb.requests.clear());

	const automation = (parameters: Record<string, unknown>, authentication: 'webhook' | 'oAuth2' = 'oAuth2') =>
		run(sb, { authentication, parameters: { resource: 'automation', ...parameters } });

	describe('app triggers (application context, admin)', () => {
		it('register → list → dropdown → fire on a smart invoice → delete, via OAuth2', async () => {
			const registered = await automation({
				operation: 'registerTrigger',
				code: 'lexoffice.invoice.paid',
				name: 'LexOffice: Rechnung bezahlt',
			});
			expect(registered.sent[0].body).toEqual({ CODE: 'lexoffice.invoice.paid', NAME: 'LexOffice: Rechnung bezahlt' });
			expect(sb.state.appTriggers).toEqual([{ CODE: 'lexoffice.invoice.paid', NAME: 'LexOffice: Rechnung bezahlt' }]);

			const listed = await automation({ operation: 'listTriggers' });
			expect(listed.json).toEqual([{ CODE: 'lexoffice.invoice.paid', NAME: 'LexOffice: Rechnung bezahlt' }]);
			expect(listed.output.map((item) => item.pairedItem)).toEqual([{ item: 0 }]);

			const options = await loadOptions(
				sb,
				'getAppTriggers',
				{ resource: 'automation', operation: 'fireTrigger' },
				'oAuth2',
			);
			expect(options).toEqual([
				{ name: 'LexOffice: Rechnung bezahlt', value: 'lexoffice.invoice.paid', description: 'lexoffice.invoice.paid' },
			]);

			const fired = await automation({
				operation: 'fireTrigger',
				triggerCode: 'lexoffice.invoice.paid',
				entityType: 'smartInvoice',
				entityId: String(invoiceId),
			});
			expect(fired.sent[0].body).toEqual({ CODE: 'lexoffice.invoice.paid', OWNER_TYPE_ID: 31, OWNER_ID: invoiceId });
			expect(sb.state.triggerFirings).toContainEqual(
				expect.objectContaining({
					kind: 'app-trigger',
					code: 'lexoffice.invoice.paid',
					entityTypeId: 31,
					entityId: invoiceId,
				}),
			);

			await automation({ operation: 'deleteTrigger', triggerCode: 'lexoffice.invoice.paid' });
			expect(sb.state.appTriggers).toEqual([]);
		});

		it('firing a code the application never registered names the one-time registration as the fix', async () => {
			const firedBefore = sb.state.triggerFirings.length;
			const error = await caught(
				automation({
					operation: 'fireTrigger',
					triggerCode: 'lexoffice_invoice_open',
					entityType: 'smartInvoice',
					entityId: String(invoiceId),
				}),
			);
			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toBe('Trigger not found.');
			expect((error as NodeApiError).description).toContain('Register App Trigger');
			expect((error as NodeApiError).description).toContain('"Register triggers once"');
			expect(sb.state.triggerFirings).toHaveLength(firedBefore);
		});

		it('a code with characters Bitrix24 does not allow is refused with a suggestion, before anything is sent', async () => {
			const error = await caught(automation({ operation: 'registerTrigger', code: 'LexOffice Bezahlt!', name: 'x' }));
			expect(error).toBeInstanceOf(NodeOperationError);
			expect((error as NodeOperationError).description).toContain('"lexoffice_bezahlt_"');
			expect(restCalls(sb)).toHaveLength(0);
		});

		it.each([
			[{ operation: 'registerTrigger', code: 'lexoffice.paid', name: 'Bezahlt' }, 'crm.automation.trigger.add'],
			[{ operation: 'listTriggers' }, 'crm.automation.trigger.list'],
			[{ operation: 'deleteTrigger', triggerCode: 'lexoffice.paid' }, 'crm.automation.trigger.delete'],
			[
				{ operation: 'fireTrigger', triggerCode: 'lexoffice.paid', entityType: 'deal', entityId: '7' },
				'crm.automation.trigger.execute',
			],
		])('%p with a webhook credential fails up front, naming the OAuth2 credential', async (parameters, method) => {
			const error = await caught(automation(parameters, 'webhook'));
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toContain(method);
			expect(error.message).toContain('OAuth2');
			expect((error as NodeOperationError).description).toContain('Bitrix24 OAuth2 API');
			expect(everythingIn(error)).not.toContain(sb.webhookUrl);
			expect(restCalls(sb)).toHaveLength(0);
		});

		it("an app user who is not an administrator gets Bitrix24's own refusal", async () => {
			const credentials = { ...(await oauthCredentials(sb)), oauthTokenData: { ...(await sb.oauth.issueTokens(2)) } };
			const error = await caught(
				run(sb, {
					authentication: 'oAuth2',
					credentials,
					parameters: { resource: 'automation', operation: 'registerTrigger', code: 'x.y', name: 'x' },
				}),
			);
			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toBe('Access denied! Admin permissions required');
		});
	});

	describe('Fire Webhook Trigger (crm.automation.trigger, works with a webhook)', () => {
		it('sends target TYPE_ID and the code', async () => {
			const { json, sent } = await automation(
				{
					operation: 'fireWebhookTrigger',
					entityType: 'contact',
					entityId: String(contactId),
					webhookTriggerCode: 'nwly5',
				},
				'webhook',
			);
			expect(sent[0].body).toEqual({ target: `CONTACT_${contactId}`, code: 'nwly5' });
			expect(sb.state.triggerFirings).toContainEqual(
				expect.objectContaining({ kind: 'webhook-trigger', target: `CONTACT_${contactId}`, code: 'nwly5' }),
			);
			expect(json[0]).toMatchObject({ fired: true, target: `CONTACT_${contactId}` });
		});

		it('leaves the code out when empty; a smart-invoice target may be "not found" (VERIFY), shown as Bitrix24 says it', async () => {
			const error = await caught(
				automation(
					{ operation: 'fireWebhookTrigger', entityType: 'smartInvoice', entityId: String(invoiceId) },
					'webhook',
				),
			);
			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toBe('Target is not found.');

			sb.portal.config.smartInvoiceWebhookTrigger = 'fires';
			try {
				const { sent } = await automation(
					{ operation: 'fireWebhookTrigger', entityType: 'smartInvoice', entityId: String(invoiceId) },
					'webhook',
				);
				expect(sent[0].body).toEqual({ target: `SMART_INVOICE_${invoiceId}` });
			} finally {
				sb.portal.config.smartInvoiceWebhookTrigger = 'target-not-found';
			}
		});
	});

	describe('Start Workflow (bizproc.workflow.start, works with a webhook)', () => {
		it('the template dropdown offers only templates of the chosen record type', async () => {
			const forContacts = await loadOptions(sb, 'getWorkflowTemplates', {
				resource: 'automation',
				operation: 'startWorkflow',
				entityType: 'contact',
			});
			expect(forContacts.map((option) => [option.name, option.value])).toEqual([['Neuen Kontakt prüfen', '14']]);
			const forInvoices = await loadOptions(sb, 'getWorkflowTemplates', {
				resource: 'automation',
				operation: 'startWorkflow',
				entityType: 'smartInvoice',
			});
			expect(forInvoices.map((option) => option.value)).toEqual(['16']);
		});

		it('starts a template on a contact with parameters, and on a smart invoice', async () => {
			const { json, sent } = await automation(
				{
					operation: 'startWorkflow',
					entityType: 'contact',
					entityId: String(contactId),
					templateId: '14',
					workflowParameters: {
						parameter: [
							{ name: 'Quelle', value: 'LexOffice' },
							{ name: '', value: 'ignored' },
						],
					},
				},
				'webhook',
			);
			expect(sent[0].body).toEqual({
				TEMPLATE_ID: 14,
				DOCUMENT_ID: ['crm', 'CCrmDocumentContact', `CONTACT_${contactId}`],
				PARAMETERS: { Quelle: 'LexOffice' },
			});
			const started = sb.state.workflows[sb.state.workflows.length - 1];
			expect(started).toMatchObject({ templateId: 14, parameters: { Quelle: 'LexOffice' } });
			expect(json[0].workflowId).toBe(started.id);

			await automation(
				{ operation: 'startWorkflow', entityType: 'smartInvoice', entityId: String(invoiceId), templateId: '16' },
				'webhook',
			);
			expect(sb.state.workflows[sb.state.workflows.length - 1].documentId).toEqual([
				'crm',
				'Bitrix\\Crm\\Integration\\BizProc\\Document\\SmartInvoice',
				`SMART_INVOICE_${invoiceId}`,
			]);
		});

		it("a template of another record type fails with Bitrix24's description", async () => {
			const error = await caught(
				automation(
					{ operation: 'startWorkflow', entityType: 'company', entityId: String(companyId), templateId: '14' },
					'webhook',
				),
			);
			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toBe('Template type and DOCUMENT_ID mismatch!');
		});
	});
});
