/**
 * The Language option of every operation that writes text Bitrix24 users read (issue #13 item 5):
 * each writes German by default and English when asked, against the Bitrix24 sandbox; a deletion
 * note, an invoice link or an invoice's closing note written in one language is found by a replay
 * in the other.
 */
import { randomUUID } from 'node:crypto';

import { NodeOperationError, type IDataObject, type INodeParameters } from 'n8n-workflow';

import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../sandbox/bitrix24';
import { addRecord, runBitrix24 } from './crm/helpers';
import { caught, restCalls } from './helpers';
import { run } from './invoices/run';

type Language = 'de' | 'en';
/** A language, or 'default': the parameter left out, as in a workflow saved before the option existed. */
type Choice = Language | 'default';

describe('Language of the texts Bitrix24 users read', () => {
	let sb: Bitrix24Sandbox;
	beforeAll(async () => (sb = await startBitrix24Sandbox({ limits: 'off' })));
	afterAll(async () => await sb.close());
	beforeEach(() => sb.reset());

	const withLanguage = (parameters: INodeParameters, language: Choice = 'default') =>
		language === 'default' ? parameters : { ...parameters, language };

	describe('Summarize Sync Results (the import/sync notification)', () => {
		const outcomes: IDataObject[] = [
			{ entityType: 'company', action: 'created', contactPersons: [{ action: 'created' }] },
			{ entityType: 'contact', action: 'updated', matchedBy: 'email', contactPersons: [] },
			{ entityType: 'contact', action: 'failed', name: 'Eva Roth', error: 'refused' },
			{ entityType: 'contact', action: 'skipped', reason: 'archived in LexOffice' },
		];
		const summarize = async (language?: Choice, dryRun = false) =>
			(
				await runBitrix24(sb, {
					parameters: withLanguage({ resource: 'lexofficeSync', operation: 'summarize' }, language),
					items: outcomes.map((json) => ({ json: { ...json, dryRun } })),
				})
			).json[0];

		it.each([
			[
				'default',
				['[b]LexOffice-Abgleich[/b]: 4 Kontakte', 'Unternehmen: 1 neu, 0 aktualisiert', 'Fehler bei Eva Roth'],
			],
			['de', ['Kontakte: 0 neu, 1 aktualisiert, 0 unverändert, 1 fehlgeschlagen', 'Übersprungen: 1 archiviert']],
			[
				'en',
				[
					'[b]LexOffice sync[/b]: 4 contacts',
					'Companies: 1 created, 0 updated, 0 unchanged, 0 failed',
					'Contacts: 0 created, 1 updated, 0 unchanged, 1 failed',
					'Contact persons: 1 created',
					'Of these, existing Bitrix24 records taken over (same e-mail): 1',
					'Skipped: 1 archived, 0 other',
					'Failed for Eva Roth: refused',
				],
			],
		] as Array<[Choice, string[]]>)('in %s', async (language, expected) => {
			const { message, contacts } = await summarize(language);
			for (const line of expected) expect(message).toContain(line);
			if (language === 'en') expect(message).not.toMatch(/neu|Kontakte|Fehler/);
			// The counts are the same whatever the language.
			expect(contacts).toEqual({ created: 0, updated: 1, unchanged: 0, failed: 1 });
		});

		it('says "dry run" in English too', async () => {
			expect(String((await summarize('en', true)).message)).toContain('(dry run, nothing written)');
			expect(String((await summarize('de', true)).message)).toContain('(Probelauf, nichts geschrieben)');
		});
	});

	describe('Note Deletion (timeline note)', () => {
		const deletion = (language?: Choice, deletedAt = '2026-11-27T10:15:00.000+01:00') =>
			withLanguage({ resource: 'lexofficeSync', operation: 'noteDeletion', lexofficeId: 'lx-1', deletedAt }, language);
		const comments = () => sb.state.timeline.flatMap((entry) => (entry.kind === 'comment' ? [entry.comment] : []));
		const linkedContact = async () =>
			await addRecord(sb, 'crm.contact.add', {
				NAME: 'Eva',
				LAST_NAME: 'Alt',
				ORIGINATOR_ID: 'lexoffice',
				ORIGIN_ID: 'lx-1',
			});

		it('writes the note in English when asked, German by default', async () => {
			await linkedContact();
			await runBitrix24(sb, { parameters: deletion('en') });
			expect(comments()).toEqual([
				'The linked LexOffice contact was deleted in LexOffice on 2026-11-27 10:15 (LexOffice ID lx-1). The record stays in Bitrix24. (Key: lexoffice/contact.deleted/lx-1/2026-11-27T09:15:00.000Z)',
			]);
			sb.reset();
			await linkedContact();
			await runBitrix24(sb, { parameters: deletion() });
			expect(comments()).toEqual([
				'Der verknüpfte LexOffice-Kontakt wurde am 27.11.2026 10:15 in LexOffice gelöscht (LexOffice-ID lx-1). Der Datensatz bleibt in Bitrix24 erhalten. (Kennung: lexoffice/contact.deleted/lx-1/2026-11-27T09:15:00.000Z)',
			]);
		});

		it.each([
			['de', 'en'],
			['en', 'de'],
		] as Array<[Language, Language]>)(
			'a replay in the other language finds the note written in %s and adds none',
			async (first, replay) => {
				const id = await linkedContact();
				const written = await runBitrix24(sb, { parameters: deletion(first) });
				expect(written.json[0]).toMatchObject({ records: [{ id, action: 'created' }] });
				expect(comments()[0]).toContain(first === 'en' ? '(Key: lexoffice/' : '(Kennung: lexoffice/');
				const again = await runBitrix24(sb, { parameters: deletion(replay) });
				expect(again.json[0]).toMatchObject({ records: [{ id, action: 'unchanged', alreadyNoted: true }] });
				expect(again.sent.filter((request) => request.method.includes('crm.timeline.comment.add'))).toEqual([]);
				expect(comments()).toHaveLength(1);
				// Another deletion of the same contact is another note, in either language.
				await runBitrix24(sb, { parameters: deletion(replay, '2026-11-28T08:00:00.000+01:00') });
				expect(comments()).toHaveLength(2);
			},
		);
	});

	/** Sync Invoice of one LexOffice invoice, in `language`. */
	const sync = async (invoice: IDataObject, language?: Choice) =>
		(
			await runBitrix24(sb, {
				parameters: withLanguage(
					{ resource: 'lexofficeSync', operation: 'syncInvoice', invoice: '={{ $json }}' },
					language,
				),
				items: [{ json: structuredClone(invoice) }],
			})
		).json[0];
	/** A LexOffice invoice without client (lexoffice-api.md §4.2). */
	const invoiceOf = (voucherStatus: string, voucherNumber?: string): IDataObject => ({
		id: randomUUID(),
		voucherStatus,
		...(voucherNumber ? { voucherNumber } : {}),
		voucherDate: '2026-11-20T00:00:00.000+01:00',
		dueDate: '2099-12-31T00:00:00.000+01:00',
		address: { name: 'Laufkundschaft', countryCode: 'DE' },
		totalPrice: { currency: 'EUR', totalNetAmount: 100, totalGrossAmount: 119, totalTaxAmount: 19 },
	});

	describe('Sync Invoice (title, trigger name)', () => {
		const titleOf = (invoice: IDataObject) => sb.state.items.find((item) => item.XML_ID === invoice.id)?.TITLE;

		it.each([
			[
				'default',
				{
					title: 'Rechnung RE-7',
					triggerName: 'LexOffice: Rechnung offen',
				},
			],
			[
				'en',
				{
					title: 'Invoice RE-7',
					triggerName: 'LexOffice: Invoice open',
				},
			],
		] as Array<[Choice, IDataObject]>)('an open invoice in %s', async (language, expected) => {
			const invoice = invoiceOf('open', 'RE-7');
			const out = await sync(invoice, language);
			expect(out).toMatchObject({ ...expected, action: 'created', triggerCode: 'lexoffice_invoice_open' });
			expect(titleOf(invoice)).toBe(expected.title);
			// The timeline text is Post Invoice Link's own, in its own Language option (below).
			expect(Object.keys(out)).not.toEqual(expect.arrayContaining(['timelineComment']));
			expect(Object.keys(out)).not.toEqual(expect.arrayContaining(['timelineLinkText']));
		});

		it.each([
			['de', 'LexOffice-Rechnung (Entwurf)'],
			['en', 'LexOffice invoice (draft)'],
		] as Array<[Language, string]>)('a draft without number in %s', async (language, title) => {
			const invoice = invoiceOf('draft');
			const out = await sync(invoice, language);
			expect(out).toMatchObject({ title, triggerName: null });
			expect(titleOf(invoice)).toBe(title);
		});

		it('switching the language renames the smart invoice at its next sync, and reports no trigger again', async () => {
			const invoice = invoiceOf('open', 'RE-8');
			await sync(invoice, 'de');
			const out = await sync(invoice, 'en');
			expect(out).toMatchObject({ action: 'updated', changedFields: ['title'], triggerCode: null, triggerName: null });
			expect(titleOf(invoice)).toBe('Invoice RE-8');
		});
	});

	describe('Post Invoice Link and the closing note (timeline notes of the invoice flow)', () => {
		const postLink = async (result: IDataObject, language?: Choice) =>
			await runBitrix24(sb, {
				parameters: withLanguage(
					{ resource: 'lexofficeSync', operation: 'postInvoiceLink', syncResult: '={{ $json }}' },
					language,
				),
				items: [{ json: result }],
			});
		const notesOn = (id: unknown) =>
			sb.state.timeline.flatMap((entry) =>
				entry.kind === 'comment' && entry.entityTypeId === 31 && entry.entityId === id ? [entry.comment] : [],
			);
		const linkOf = (invoice: IDataObject) =>
			`[URL=https://app.lexware.de/permalink/invoices/view/${String(invoice.id)}]`;

		it.each([
			['default', 'Rechnung RE-7 aus LexOffice übernommen (Status: offen).', 'Rechnung RE-7 in LexOffice öffnen'],
			['de', 'Rechnung RE-7 aus LexOffice übernommen (Status: offen).', 'Rechnung RE-7 in LexOffice öffnen'],
			['en', 'Invoice RE-7 taken over from LexOffice (status: open).', 'Open invoice RE-7 in LexOffice'],
		] as Array<[Choice, string, string]>)('the link note in %s', async (language, sentence, linkText) => {
			const invoice = invoiceOf('open', 'RE-7');
			const result = await sync(invoice, 'de');
			await postLink(result, language);
			expect(notesOn(result.id)).toEqual([`${sentence}\n${linkOf(invoice)}${linkText}[/URL]`]);
		});

		it.each([
			['de', 'Rechnung (Entwurf) aus LexOffice übernommen (Status: Entwurf).', 'Rechnungsentwurf in LexOffice öffnen'],
			['en', 'Invoice (draft) taken over from LexOffice (status: draft).', 'Open the draft invoice in LexOffice'],
		] as Array<[Language, string, string]>)(
			'the link note of a draft without number in %s',
			async (language, sentence, linkText) => {
				const invoice = invoiceOf('draft');
				const result = await sync(invoice, language);
				await postLink(result, language);
				expect(notesOn(result.id)).toEqual([`${sentence}\n${linkOf(invoice)}${linkText}[/URL]`]);
			},
		);

		it.each([
			['de', 'en'],
			['en', 'de'],
		] as Array<[Language, Language]>)(
			'a link posted in %s is not posted again by a run in %s',
			async (first, replay) => {
				const invoice = invoiceOf('open', 'RE-8');
				const result = await sync(invoice, first);
				await postLink(result, first);
				const again = await postLink(result, replay);
				expect(again.json[0]).toMatchObject({ timelines: [{ alreadyThere: true }] });
				expect(again.sent.filter((request) => request.method.includes('crm.timeline.comment.add'))).toEqual([]);
				expect(notesOn(result.id)).toHaveLength(1);
			},
		);

		it.each([
			[
				'default',
				'Die Rechnung RE-9 wurde in LexOffice storniert; diese Rechnung ist damit geschlossen. (Kennung: lexoffice/invoice.voided/ID)',
			],
			['en', 'Invoice RE-9 was voided in LexOffice; this invoice is closed. (Key: lexoffice/invoice.voided/ID)'],
		] as Array<[Choice, string]>)('the closing note of a voided invoice in %s', async (language, note) => {
			const invoice = invoiceOf('open', 'RE-9');
			const { id } = await sync(invoice, language);
			await sync({ ...invoice, voucherStatus: 'voided' }, language);
			expect(notesOn(id)).toEqual([note.replace('ID', String(invoice.id))]);
		});

		it.each([
			['en', 'The draft invoice was deleted in LexOffice; this invoice is closed. (Key: lexoffice/invoice.deleted/ID)'],
			[
				'de',
				'Der Rechnungsentwurf wurde in LexOffice gelöscht; diese Rechnung ist damit geschlossen. (Kennung: lexoffice/invoice.deleted/ID)',
			],
		] as Array<[Language, string]>)('the closing note of a deleted draft in %s', async (language, note) => {
			const invoice = invoiceOf('draft');
			const { id } = await sync(invoice, language);
			await sync({ id: invoice.id, deleted: true }, language);
			expect(notesOn(id)).toEqual([note.replace('ID', String(invoice.id))]);
		});

		it.each([
			// As the German-only code before the Language option wrote it.
			[
				'de',
				'en',
				'Die Rechnung RE-10 wurde in LexOffice storniert; diese Rechnung ist damit geschlossen. (Kennung: lexoffice/invoice.voided/ID)',
			],
			['en', 'de', 'Invoice RE-10 was voided in LexOffice; this invoice is closed. (Key: lexoffice/invoice.voided/ID)'],
		] as Array<[Language, Language, string]>)(
			'a closing note written in %s (and not recorded) is found by a run in %s, which adds none',
			async (_written, reading, note) => {
				const invoice = invoiceOf('open', 'RE-10');
				const { id } = await sync(invoice, reading);
				// An earlier run wrote the note and was lost before recording it.
				const earlier = note.replace('ID', String(invoice.id));
				await addRecord(sb, 'crm.timeline.comment.add', {
					ENTITY_ID: id,
					ENTITY_TYPE: 'smart_invoice',
					COMMENT: earlier,
				});
				const closed = await sync({ ...invoice, voucherStatus: 'voided' }, reading);
				expect(closed).toMatchObject({ status: 'voided', closed: true });
				expect(notesOn(id)).toEqual([earlier]);
			},
		);
	});

	describe('Register App Trigger (names in the automation rules)', () => {
		const register = (parameters: INodeParameters) =>
			run(sb, {
				authentication: 'oAuth2',
				parameters: { resource: 'automation', operation: 'registerTrigger', ...parameters },
			});

		it.each([
			['default', 'LexOffice: Rechnung überfällig'],
			['de', 'LexOffice: Rechnung überfällig'],
			['en', 'LexOffice: Invoice overdue'],
		] as Array<[Choice, string]>)(
			'an empty name of an invoice trigger code is its name in %s',
			async (language, name) => {
				const { json } = await register(withLanguage({ code: 'lexoffice_invoice_overdue', name: '' }, language));
				expect(json[0]).toEqual({ CODE: 'lexoffice_invoice_overdue', NAME: name, registered: true });
				expect(sb.state.appTriggers).toEqual([{ CODE: 'lexoffice_invoice_overdue', NAME: name }]);
			},
		);

		it('a name entered wins over the language; another code needs a name', async () => {
			const { json } = await register({ code: 'lexoffice_invoice_paid', name: 'Bezahlt!', language: 'en' });
			expect(json[0]).toMatchObject({ NAME: 'Bezahlt!' });
			sb.requests.clear();
			const error = await caught(register({ code: 'my.trigger', name: ' ', language: 'en' }));
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe('"Trigger Name" is empty');
			expect(restCalls(sb)).toHaveLength(0);
		});
	});

	describe('Build Answer Page (the pages of the create-invoice button)', () => {
		const page = async (parameters: INodeParameters, language?: Choice) =>
			String(
				(
					await runBitrix24(sb, {
						parameters: withLanguage({ resource: 'placement', operation: 'renderPage', ...parameters }, language),
						items: [
							{
								json: {
									voucherNumber: 'RE-9',
									contactName: 'Müller & Söhne',
									editUrl: 'https://app.lexware.de/permalink/invoices/edit/9',
									error: 'LexOffice refused the invoice',
									description: 'Check the address',
								},
							},
						],
					})
				).json[0].html,
			);

		it.each([
			[
				'default',
				'de',
				[
					'<h1>LexOffice: Rechnung erstellt</h1>',
					'<p>Der Rechnungsentwurf RE-9 für Müller &amp; Söhne liegt in LexOffice bereit. Der Kunde wurde dafür in LexOffice neu angelegt.</p>',
					'>Rechnung in LexOffice bearbeiten</a>',
				],
			],
			[
				'en',
				'en',
				[
					'<h1>LexOffice: Invoice created</h1>',
					'<p>The draft invoice RE-9 for Müller &amp; Söhne is ready in LexOffice. The customer was newly created in LexOffice for it.</p>',
					'>Edit the invoice in LexOffice</a>',
				],
			],
		] as Array<[Choice, string, string[]]>)('"Invoice Created" in %s', async (language, lang, parts) => {
			const html = await page(
				{ content: 'invoiceCreated', url: '={{ $json.editUrl }}', contactCreated: true },
				language,
			);
			expect(html).toContain(`<html lang="${lang}">`);
			for (const part of parts) expect(html).toContain(part);
			expect(html).toContain('href="https://app.lexware.de/permalink/invoices/edit/9"');
		});

		it.each([
			[
				'de',
				'<h1>LexOffice: Die Rechnung konnte nicht erstellt werden</h1>',
				'LexOffice refused the invoice – Check the address Sonst wurde nichts geändert. Details stehen in n8n in der Ausführung',
				'des Workflows &quot;Workflow under test&quot;.',
			],
			[
				'en',
				'<h1>LexOffice: The invoice could not be created</h1>',
				'LexOffice refused the invoice – Check the address Nothing else was changed. Details are in n8n, execution',
				'of the workflow &quot;Workflow under test&quot;.',
			],
		] as Array<[Language, string, string, string]>)('"Invoice Not Created" in %s', async (language, ...parts) => {
			const html = await page({ content: 'invoiceFailed' }, language);
			for (const part of parts) expect(html).toContain(part);
			expect(html).not.toContain('<a ');
			const unknown = await page({ content: 'invoiceFailed', error: '', errorDescription: '' }, language);
			expect(unknown).toContain(language === 'en' ? 'Unknown error Nothing else' : 'Unbekannter Fehler Sonst');
		});

		it.each([
			[
				'de',
				'Ein gleichzeitiger Klick auf diesen Datensatz hat den LexOffice-Kunden eben verknüpft',
				'LexOffice refused the invoice – Check the address Der Kunde „Eva Roth“ wurde dafür in LexOffice neu angelegt und mit diesem Datensatz verknüpft. Sonst wurde nichts geändert.',
				'Ein anderer Klick auf diesen Datensatz sucht oder erstellt gerade seinen LexOffice-Kunden. Es wurde nichts geändert',
			],
			[
				'en',
				'A click on this record at the same time has just linked the LexOffice customer',
				'LexOffice refused the invoice – Check the address The customer “Eva Roth” was newly created in LexOffice for it and linked to this record. Nothing else was changed.',
				'Another click on this record is finding or creating its LexOffice customer right now. Nothing was changed',
			],
		] as Array<[Language, string, string, string]>)(
			'the double-click fields (issue #12) reach the texts in %s',
			async (language, waited, changed, inProgress) => {
				const created = { content: 'invoiceCreated', url: '={{ $json.editUrl }}' };
				expect(await page({ ...created, linkedByConcurrentClick: true }, language)).toContain(waited);
				expect(await page(created, language)).not.toContain(waited);

				const failed = { content: 'invoiceFailed', contactName: 'Eva Roth' };
				expect(await page({ ...failed, contactCreated: true, linkStored: true }, language)).toContain(changed);
				// Without the flags the name is not mentioned: nothing changed.
				expect(await page(failed, language)).not.toContain('Eva Roth');

				const busy = await page({ ...failed, clickInProgress: true }, language);
				expect(busy).toContain(inProgress);
				// The text of its language, not the node's English error.
				expect(busy).not.toContain('LexOffice refused the invoice');
			},
		);

		it('a custom page stays as entered, whatever the language', async () => {
			const html = await page({ title: 'Fertig', message: 'Alles gut', linkText: 'Öffnen' }, 'en');
			expect(html).toContain('<h1>Fertig</h1>');
			expect(html).toContain('<p>Alles gut</p>');
		});
	});
});
