/** Bitrix24 sandbox over real HTTP: CRM records, multifields, lists, requisites, invoices, timeline. */
import { PRESET_XML_IDS, startBitrix24Sandbox, type Bitrix24Sandbox } from '../../sandbox/bitrix24';
import { callBitrix } from '../../sandbox/bitrix24/client';

let sb: Bitrix24Sandbox;
const call = async (method: string, params: unknown = {}) => await callBitrix(sb.webhookUrl, method, params);
const ok = async (method: string, params: unknown = {}) => {
	const answer = await call(method, params);
	if (answer.status !== 200) throw new Error(`${method}: ${answer.status} ${JSON.stringify(answer.body)}`);
	return answer.body;
};

beforeAll(async () => {
	sb = await startBitrix24Sandbox({ limits: 'off', presetIdOffset: 40, invoiceCategoryId: 13 });
});
afterAll(async () => await sb.close());
beforeEach(() => sb.reset());

describe('empty error codes', () => {
	it('answers 400 with error "" and only a description, like the legacy CRM methods do', async () => {
		expect(await call('crm.contact.add')).toMatchObject({
			status: 400,
			body: { error: '', error_description: "Parameter 'fields' must be array." },
		});
		expect((await call('crm.contact.update', { fields: {} })).body).toEqual({
			error: '',
			error_description: 'ID is not defined or invalid.',
		});
		expect((await call('crm.contact.get', { id: 999999 })).body.error).toBe('');
		expect((await call('crm.automation.trigger', {})).body).toEqual({
			error: '',
			error_description: 'Target is not set.',
		});
		expect((await call('crm.requisite.add', { fields: { NAME: 'x' } })).body).toEqual({
			error: '',
			error_description: 'ENTITY_TYPE_ID is not defined or invalid.',
		});
	});
});

describe('multifields (§4.2)', () => {
	it('appends entries without ID, replaces {ID, VALUE}, deletes {ID, DELETE:Y} and {ID, VALUE:""}', async () => {
		const id = (
			await ok('crm.contact.add', {
				fields: {
					NAME: 'Jürgen',
					EMAIL: [{ VALUE: 'alt@web.de', VALUE_TYPE: 'HOME' }],
					PHONE: [
						{ VALUE: '030 1234', VALUE_TYPE: 'WORK' },
						{ VALUE: '0170 999', VALUE_TYPE: 'MOBILE' },
					],
				},
			})
		).result;
		const before = (await ok('crm.contact.get', { id })).result;
		const [oldEmail] = before.EMAIL;
		const [work, mobile] = before.PHONE;

		// The naive update: same value again without ID → a duplicate, the old one stays.
		await ok('crm.contact.update', { id, fields: { EMAIL: [{ VALUE: 'alt@web.de', VALUE_TYPE: 'HOME' }] } });
		expect((await ok('crm.contact.get', { id })).result.EMAIL.map((entry: any) => entry.VALUE)).toEqual([
			'alt@web.de',
			'alt@web.de',
		]);

		const duplicate = (await ok('crm.contact.get', { id })).result.EMAIL[1];
		await ok('crm.contact.update', {
			id,
			fields: {
				EMAIL: [
					{ ID: oldEmail.ID, VALUE: 'neu@web.de', VALUE_TYPE: 'WORK' },
					{ ID: duplicate.ID, DELETE: 'Y' },
				],
				PHONE: [
					{ ID: work.ID, VALUE: '' },
					{ ID: mobile.ID, VALUE: '0170 999', VALUE_TYPE: 'MOBILE' },
				],
			},
		});
		const after = (await ok('crm.contact.get', { id })).result;
		expect(after.EMAIL).toEqual([{ ID: oldEmail.ID, VALUE_TYPE: 'WORK', VALUE: 'neu@web.de', TYPE_ID: 'EMAIL' }]);
		expect(after.PHONE.map((entry: any) => entry.ID)).toEqual([mobile.ID]);
	});

	it('crm.item.*: fm is an array on add and an object keyed n0/<id> on update', async () => {
		const { item } = (
			await ok('crm.item.add', {
				entityTypeId: 3,
				fields: {
					name: 'Anna',
					fm: [
						{ typeId: 'EMAIL', valueType: 'WORK', value: 'anna@firma.de' },
						{ typeId: 'PHONE', valueType: 'WORK', value: '040 1' },
					],
				},
			})
		).result;
		const email = item.fm.find((entry: any) => entry.typeId === 'EMAIL');
		const phone = item.fm.find((entry: any) => entry.typeId === 'PHONE');
		const updated = (
			await ok('crm.item.update', {
				entityTypeId: 3,
				id: item.id,
				fields: {
					fm: {
						n0: { typeId: 'EMAIL', valueType: 'HOME', value: 'anna@privat.de' },
						[email.id]: { typeId: 'EMAIL', valueType: 'WORK', value: 'anna@neu.de' },
						[phone.id]: { typeId: 'PHONE', value: '' },
					},
				},
			})
		).result.item;
		expect(updated.fm.map((entry: any) => [entry.typeId, entry.value])).toEqual([
			['EMAIL', 'anna@neu.de'],
			['EMAIL', 'anna@privat.de'],
		]);
		// The legacy view sees the same values.
		expect((await ok('crm.contact.get', { id: item.id })).result.EMAIL).toHaveLength(2);
	});
});

describe('lists (§2, §4.2, §4.3)', () => {
	async function addContacts(count: number) {
		for (let index = 1; index <= count; index += 1) {
			await ok('crm.contact.add', {
				fields: {
					NAME: `Kunde ${index}`,
					LAST_NAME: index % 2 === 0 ? 'Müller' : 'Schmidt',
					EMAIL: [{ VALUE: `kunde${index}@beispiel.de` }],
					ORIGINATOR_ID: 'lexoffice',
					ORIGIN_ID: `lx-${index}`,
				},
			});
		}
	}

	it('pages by 50 with total/next; start=-1 gives total 0 and no next; the >ID cursor scan reaches every row', async () => {
		await addContacts(120);
		const first = await ok('crm.contact.list', { order: { ID: 'ASC' } });
		expect(first.result).toHaveLength(50);
		expect(first.total).toBe(120);
		expect(first.next).toBe(50);
		const last = await ok('crm.contact.list', { order: { ID: 'ASC' }, start: 100 });
		expect(last.result).toHaveLength(20);
		expect(last).not.toHaveProperty('next');

		const seen: number[] = [];
		let cursor = 0;
		for (;;) {
			const page = await ok('crm.item.list', {
				entityTypeId: 3,
				order: { id: 'ASC' },
				filter: { '>id': cursor },
				select: ['id'],
				start: -1,
			});
			expect(page.total).toBe(0);
			expect(page).not.toHaveProperty('next');
			seen.push(...page.result.items.map((item: any) => item.id));
			if (page.result.items.length < 50) break;
			cursor = seen[seen.length - 1];
		}
		expect(new Set(seen).size).toBe(120);
	});

	it('filters with prefix operators and ORIGIN_ID, and returns multifields only when selected', async () => {
		await addContacts(6);
		const byOrigin = await ok('crm.contact.list', {
			filter: { ORIGINATOR_ID: 'lexoffice', ORIGIN_ID: 'lx-4' },
			select: ['ID', 'NAME'],
		});
		expect(byOrigin.result.map((row: any) => row.NAME)).toEqual(['Kunde 4']);
		const like = await ok('crm.contact.list', {
			filter: { '%LAST_NAME': 'müll', '!@NAME': ['Kunde 2'] },
			order: { ID: 'DESC' },
		});
		expect(like.result.map((row: any) => row.NAME)).toEqual(['Kunde 6', 'Kunde 4']);
		expect(like.result[0]).not.toHaveProperty('EMAIL');
		const withEmail = await ok('crm.contact.list', { filter: { EMAIL: 'kunde3@beispiel.de' }, select: ['*', 'EMAIL'] });
		expect(withEmail.result).toHaveLength(1);
		expect(withEmail.result[0].EMAIL[0].VALUE).toBe('kunde3@beispiel.de');
		const items = await ok('crm.item.list', {
			entityTypeId: 3,
			filter: { originId: 'lx-5' },
			select: ['id', 'originId'],
		});
		expect(items.result.items).toEqual([{ id: expect.any(Number), originId: 'lx-5' }]);
		const bad = await call('crm.item.list', { entityTypeId: 3, filter: { noSuchField: 1 } });
		expect(bad.status).toBe(400);
		expect(bad.body.error).toBe('INVALID_ARG_VALUE');
	});

	it('uses camelCase names in crm.item.* and UF_CRM_* names with useOriginalUfNames=Y', async () => {
		const { item } = (
			await ok('crm.item.add', {
				entityTypeId: 4,
				fields: { title: 'Nordlicht Software GmbH', ufCrmLexofficeId: 'abc-1' },
			})
		).result;
		expect(item).toMatchObject({ title: 'Nordlicht Software GmbH', ufCrmLexofficeId: 'abc-1', entityTypeId: 4 });
		const original = (await ok('crm.item.get', { entityTypeId: 4, id: item.id, useOriginalUfNames: 'Y' })).result.item;
		expect(original.UF_CRM_LEXOFFICE_ID).toBe('abc-1');
		expect(original).not.toHaveProperty('ufCrmLexofficeId');
		expect((await ok('crm.company.get', { id: item.id })).result).toMatchObject({
			ID: String(item.id),
			TITLE: 'Nordlicht Software GmbH',
			UF_CRM_LEXOFFICE_ID: 'abc-1',
		});
		const fields = (await ok('crm.item.fields', { entityTypeId: 4 })).result.fields;
		expect(fields.ufCrmLexofficeId).toMatchObject({ upperName: 'UF_CRM_LEXOFFICE_ID', isDynamic: true });
		expect((await ok('crm.company.fields')).result.UF_CRM_LEXOFFICE_ID.isDynamic).toBe(true);
		expect((await call('crm.item.add', { entityTypeId: 5, fields: {} })).body.error).toBe('ENTITY_TYPE_NOT_SUPPORTED');
	});
});

describe('links and duplicates', () => {
	it('links contacts and companies from both sides', async () => {
		const contact = (await ok('crm.contact.add', { fields: { NAME: 'Lea' } })).result;
		const first = (await ok('crm.company.add', { fields: { TITLE: 'Hansa Druck KG' } })).result;
		const second = (await ok('crm.company.add', { fields: { TITLE: 'Isar Medien GmbH' } })).result;
		await ok('crm.contact.company.items.set', {
			id: contact,
			items: [{ COMPANY_ID: first }, { COMPANY_ID: second, IS_PRIMARY: 'Y' }],
		});
		expect(
			(await ok('crm.contact.company.items.get', { id: contact })).result.map((row: any) => [
				row.COMPANY_ID,
				row.IS_PRIMARY,
			]),
		).toEqual([
			[second, 'Y'],
			[first, 'N'],
		]);
		expect((await ok('crm.company.contact.items.get', { id: first })).result.map((row: any) => row.CONTACT_ID)).toEqual(
			[contact],
		);
		expect((await ok('crm.contact.get', { id: contact })).result.COMPANY_ID).toBe(String(second));
		await ok('crm.company.contact.items.set', { id: first, items: [] });
		expect((await ok('crm.item.get', { entityTypeId: 3, id: contact })).result.item.companyIds).toEqual([second]);
	});

	it('finds duplicates by e-mail and by phone (trunk prefix normalised), at most 20 values', async () => {
		const contact = (
			await ok('crm.contact.add', {
				fields: { NAME: 'Jörg', EMAIL: [{ VALUE: 'Joerg@Example.de' }], PHONE: [{ VALUE: '+49 30 1234567' }] },
			})
		).result;
		const company = (await ok('crm.company.add', { fields: { TITLE: 'X', EMAIL: [{ VALUE: 'joerg@example.de' }] } }))
			.result;
		expect((await ok('crm.duplicate.findbycomm', { type: 'EMAIL', values: ['joerg@example.de'] })).result).toEqual({
			CONTACT: [contact],
			COMPANY: [company],
		});
		expect(
			(await ok('crm.duplicate.findbycomm', { type: 'PHONE', values: ['030 1234567'], entity_type: 'CONTACT' })).result,
		).toEqual({ CONTACT: [contact] });
		expect((await ok('crm.duplicate.findbycomm', { type: 'EMAIL', values: ['nobody@example.de'] })).result).toEqual([]);
		const tooMany = await call('crm.duplicate.findbycomm', {
			type: 'EMAIL',
			values: Array.from({ length: 21 }, (_, i) => `${i}@x.de`),
		});
		expect(tooMany.status).toBe(400);
	});
});

describe('requisites and addresses (§5)', () => {
	it('lists the German presets by XML_ID; their ids follow the configured offset', async () => {
		const presets = (
			await ok('crm.requisite.preset.list', {
				filter: { ENTITY_TYPE_ID: 8, COUNTRY_ID: 46 },
				select: ['ID', 'NAME', 'XML_ID'],
			})
		).result;
		const byXml = Object.fromEntries(presets.map((preset: any) => [preset.XML_ID, preset.ID]));
		expect(byXml[PRESET_XML_IDS.legalEntity]).toBe('42');
		expect(byXml[PRESET_XML_IDS.person]).toBe('43');
		expect(byXml[PRESET_XML_IDS.soleProprietor]).toBe('44');
		// The first preset is not a default one: picking presets[0] is wrong.
		expect(presets[0].XML_ID).toBe('');
	});

	it('builds company → requisite → address; a second address of the same type is "TypeAddress exists"', async () => {
		const company = (await ok('crm.company.add', { fields: { TITLE: 'Bäckerei Sonnenschein GmbH' } })).result;
		const presetId = sb.state.presets.find((preset) => preset.XML_ID === PRESET_XML_IDS.legalEntity)?.ID;
		const requisite = (
			await ok('crm.requisite.add', {
				fields: {
					ENTITY_TYPE_ID: 4,
					ENTITY_ID: company,
					PRESET_ID: presetId,
					NAME: 'LexOffice',
					RQ_COMPANY_NAME: 'Bäckerei Sonnenschein GmbH',
					RQ_VAT_ID: 'DE123456789',
				},
			})
		).result;
		const address = {
			TYPE_ID: 6,
			ENTITY_TYPE_ID: 8,
			ENTITY_ID: requisite,
			ADDRESS_1: 'Hauptstraße 1',
			CITY: 'Köln',
			POSTAL_CODE: '50667',
			COUNTRY: 'Deutschland',
		};
		expect((await ok('crm.address.add', { fields: address })).result).toBe(true);
		const again = await call('crm.address.add', { fields: { ...address, CITY: 'Bonn' } });
		expect(again.status).toBe(400);
		expect(again.body).toEqual({ error: '', error_description: 'TypeAddress exists' });
		expect((await ok('crm.address.update', { fields: { ...address, CITY: 'Bonn' } })).result).toBe(true);
		const listed = (await ok('crm.address.list', { filter: { ENTITY_TYPE_ID: 8, ENTITY_ID: requisite } })).result;
		expect(listed).toEqual([
			expect.objectContaining({ TYPE_ID: '6', CITY: 'Bonn', ANCHOR_TYPE_ID: '4', ANCHOR_ID: String(company) }),
		]);
		expect(
			(
				await call('crm.requisite.add', {
					fields: { ENTITY_TYPE_ID: 2, ENTITY_ID: company, PRESET_ID: presetId, NAME: 'x' },
				})
			).body.error_description,
		).toBe('ENTITY_TYPE_ID is not defined or invalid.');
		expect(
			(await call('crm.requisite.add', { fields: { ENTITY_TYPE_ID: 4, ENTITY_ID: company, PRESET_ID: 1, NAME: 'x' } }))
				.body.error_description,
		).toBe('PRESET_ID is not defined or invalid.');
	});

	it('offers the address types with German labels that do not match the constant names', async () => {
		const types = (await ok('crm.enum.addresstype')).result;
		expect(types.map((type: any) => type.ID).sort((a: number, b: number) => a - b)).toEqual([1, 4, 6, 8, 9, 11]);
		expect(types.find((type: any) => type.ID === 4).NAME).toBe('Registrierte Adresse');
		expect((await ok('crm.enum.ownertype')).result.find((type: any) => type.SYMBOL_CODE === 'SMART_INVOICE').ID).toBe(
			31,
		);
	});
});

describe('smart invoices (§6)', () => {
	it('resolves category and stages at runtime and validates stage ids against the category', async () => {
		const categories = (await ok('crm.category.list', { entityTypeId: 31 })).result.categories;
		const category = categories.find((entry: any) => entry.isDefault === 'Y');
		expect(category.id).toBe(13);
		const stages = (await ok('crm.status.list', { filter: { ENTITY_ID: `SMART_INVOICE_STAGE_${category.id}` } }))
			.result;
		expect(stages.map((stage: any) => stage.STATUS_ID)).toEqual(['DT31_13:N', 'DT31_13:S', 'DT31_13:P', 'DT31_13:D']);
		const types = (await ok('crm.status.entity.types')).result;
		expect(types.find((type: any) => type.ID === 'SMART_INVOICE_STAGE_13').PREFIX).toBe('DT31_13');

		const { item } = (
			await ok('crm.item.add', {
				entityTypeId: 31,
				fields: { title: 'RE-2024-001', xmlId: 'voucher-1', opportunity: 119, isManualOpportunity: 'Y' },
			})
		).result;
		expect(item).toMatchObject({ xmlId: 'voucher-1', categoryId: 13, stageId: 'DT31_13:N', entityTypeId: 31 });
		const moved = (await ok('crm.item.update', { entityTypeId: 31, id: item.id, fields: { stageId: 'DT31_13:P' } }))
			.result.item;
		expect(moved).toMatchObject({ stageId: 'DT31_13:P', previousStageId: 'DT31_13:N' });
		const wrong = await call('crm.item.update', { entityTypeId: 31, id: item.id, fields: { stageId: 'DT31_1:P' } });
		expect(wrong.status).toBe(400);
		expect(sb.state.items[0].STAGE_ID).toBe('DT31_13:P');
		expect((await ok('crm.item.list', { entityTypeId: 31, filter: { xmlId: 'voucher-1' } })).result.items).toHaveLength(
			1,
		);
	});
});

describe('timeline, documents, automation', () => {
	it('adds comments (lower-case fields, FILES as [name, base64]) and log messages (iconCode required)', async () => {
		const company = (await ok('crm.company.add', { fields: { TITLE: 'Elbe Consulting GmbH' } })).result;
		const pdf = Buffer.from('%PDF-1.4 Rechnung').toString('base64');
		const comment = await ok('crm.timeline.comment.add', {
			fields: {
				ENTITY_TYPE: 'company',
				ENTITY_ID: company,
				COMMENT: 'Rechnung [URL=https://app.lexoffice.de/x]RE-1[/URL]',
				FILES: [['RE-1.pdf', pdf]],
			},
		});
		expect(comment.result).toEqual(expect.any(Number));
		expect(sb.state.timeline[0]).toMatchObject({
			kind: 'comment',
			entityTypeId: 4,
			entityId: company,
			files: [{ name: 'RE-1.pdf', kind: 'pdf' }],
		});
		expect(
			(await call('crm.timeline.comment.add', { FIELDS: { ENTITY_TYPE: 'company', ENTITY_ID: company, COMMENT: 'x' } }))
				.status,
		).toBe(400);
		expect(
			(await call('crm.timeline.comment.add', { fields: { ENTITY_TYPE: 'company', ENTITY_ID: 1, COMMENT: 'x' } })).body
				.error,
		).toBe('OWNER_NOT_FOUND');

		const missingIcon = await call('crm.timeline.logmessage.add', {
			fields: { entityTypeId: 4, entityId: company, title: 'Import', text: 'aus LexOffice' },
		});
		expect(missingIcon.status).toBe(400);
		const log = await ok('crm.timeline.logmessage.add', {
			fields: { entityTypeId: 4, entityId: company, title: 'Import', text: 'aus LexOffice', iconCode: 'info' },
		});
		expect(log.result.logMessage).toMatchObject({ title: 'Import', iconCode: 'info', authorId: 1 });
	});

	it('records uploaded documents', async () => {
		const company = (await ok('crm.company.add', { fields: { TITLE: 'Isar Medien GmbH' } })).result;
		const docx = Buffer.from('PK\u0003\u0004 docx').toString('base64');
		const pdf = Buffer.from('%PDF-1.7').toString('base64');
		const { document } = (
			await ok('crm.documentgenerator.document.upload', {
				fields: {
					entityTypeId: 4,
					entityId: company,
					fileContent: docx,
					pdfContent: pdf,
					region: 'de',
					title: 'RE-7',
					number: 'RE-7',
				},
			})
		).result;
		expect(document).toMatchObject({ title: 'RE-7', entityId: String(company) });
		expect(sb.state.documents[0]).toMatchObject({ number: 'RE-7', file: { kind: 'docx' }, pdf: { kind: 'pdf' } });
	});

	it('fires the webhook trigger on valid targets; SMART_INVOICE_x is "Target is not found." (§8 VERIFY)', async () => {
		const contact = (await ok('crm.contact.add', { fields: { NAME: 'Greta' } })).result;
		const invoice = (await ok('crm.item.add', { entityTypeId: 31, fields: { title: 'RE-9' } })).result.item.id;
		expect((await ok('crm.automation.trigger', { target: `CONTACT_${contact}`, code: 'abc12' })).result).toBe(true);
		expect(sb.state.triggerFirings).toEqual([
			expect.objectContaining({ kind: 'webhook-trigger', code: 'abc12', entityTypeId: 3, entityId: contact }),
		]);
		expect((await call('crm.automation.trigger', { target: `SMART_INVOICE_${invoice}` })).body.error_description).toBe(
			'Target is not found.',
		);
		expect((await call('crm.automation.trigger', { target: 'CONTACT' })).body.error_description).toBe(
			'Incorrect target format.',
		);
		sb.portal.config.smartInvoiceWebhookTrigger = 'fires';
		expect((await ok('crm.automation.trigger', { target: `SMART_INVOICE_${invoice}` })).result).toBe(true);
		expect(sb.state.triggerFirings).toHaveLength(2);
	});

	it('starts workflows on contacts via webhook (admin), checking template and document', async () => {
		const contact = (await ok('crm.contact.add', { fields: { NAME: 'Sören' } })).result;
		const started = await ok('bizproc.workflow.start', {
			TEMPLATE_ID: 14,
			DOCUMENT_ID: ['crm', 'CCrmDocumentContact', `CONTACT_${contact}`],
			PARAMETERS: { Quelle: 'LexOffice' },
		});
		expect(started.result).toEqual(expect.any(String));
		expect(sb.state.workflows[0]).toMatchObject({ templateId: 14, parameters: { Quelle: 'LexOffice' } });
		const mismatch = await call('bizproc.workflow.start', {
			TEMPLATE_ID: 15,
			DOCUMENT_ID: ['crm', 'CCrmDocumentContact', `CONTACT_${contact}`],
		});
		expect(mismatch.body.error_description).toBe('Template type and DOCUMENT_ID mismatch!');
	});
});

describe('users', () => {
	it('pages user.get by 50 and filters ACTIVE', async () => {
		const all = await ok('user.get', {});
		expect(all.total).toBe(57);
		expect(all.next).toBe(50);
		const active = await ok('user.get', { FILTER: { ACTIVE: true } });
		expect(active.total).toBe(51);
		const rest = await ok('user.get', { FILTER: { ACTIVE: true }, start: 50 });
		expect(rest.result).toHaveLength(1);
		expect(rest.result.every((user: any) => user.ACTIVE === true)).toBe(true);
	});
});
