/** Bitrix24 sandbox over real HTTP: batch (bitrix24-api.md §3.3). */
import { PRESET_XML_IDS, startBitrix24Sandbox, type Bitrix24Sandbox } from '../../sandbox/bitrix24';
import { batchCommand, callBitrix } from '../../sandbox/bitrix24/client';

let sb: Bitrix24Sandbox;
const batch = async (cmd: Record<string, string> | string[], halt = 0) =>
	await callBitrix(sb.webhookUrl, 'batch', { halt, cmd });

beforeAll(async () => {
	sb = await startBitrix24Sandbox({ limits: 'off' });
});
afterAll(async () => await sb.close());
beforeEach(() => sb.reset());

describe('batch', () => {
	it('resolves $result references: crm.item.add → [item][id], list results → [0][ID]', async () => {
		const presetId = sb.state.presets.find((preset) => preset.XML_ID === PRESET_XML_IDS.legalEntity)?.ID;
		const answer = await batch(
			{
				company: batchCommand('crm.item.add', {
					entityTypeId: 4,
					fields: { title: 'Müller & Söhne GmbH & Co. KG', originatorId: 'lexoffice', originId: 'uuid-1' },
				}),
				rq: batchCommand('crm.requisite.add', {
					fields: {
						ENTITY_TYPE_ID: 4,
						ENTITY_ID: '$result[company][item][id]',
						PRESET_ID: presetId,
						NAME: 'LexOffice',
						RQ_COMPANY_NAME: 'Müller & Söhne',
					},
				}),
				addr: batchCommand('crm.address.add', {
					fields: { TYPE_ID: 6, ENTITY_TYPE_ID: 8, ENTITY_ID: '$result[rq]', ADDRESS_1: 'Hauptstr. 1', CITY: 'Berlin' },
				}),
				found: batchCommand('crm.company.list', { filter: { ORIGIN_ID: 'uuid-1' }, select: ['ID'] }),
				again: batchCommand('crm.company.get', { id: '$result[found][0][ID]' }),
				note: batchCommand('crm.timeline.comment.add', {
					fields: {
						ENTITY_TYPE: 'company',
						ENTITY_ID: '$result[company][item][id]',
						COMMENT: 'Firma $result[company][item][title] importiert',
					},
				}),
			},
			1,
		);
		expect(answer.status).toBe(200);
		const { result, result_error, result_total, result_time } = answer.body.result;
		expect(result_error).toEqual([]);
		const companyId = result.company.item.id;
		expect(sb.state.requisites[0]).toMatchObject({ ID: result.rq, ENTITY_ID: companyId });
		expect(result.addr).toBe(true);
		expect(sb.state.addresses[0]).toMatchObject({ ENTITY_ID: result.rq, ANCHOR_ID: companyId, CITY: 'Berlin' });
		expect(result.again.ID).toBe(String(companyId));
		expect(result_total).toEqual({ found: 1 });
		expect(Object.keys(result_time)).toEqual(['company', 'rq', 'addr', 'found', 'again', 'note']);
		expect(sb.state.timeline[0]).toMatchObject({ comment: 'Firma Müller & Söhne GmbH & Co. KG importiert' });
		const logged = sb.requests.calls().at(-1);
		expect(logged).toMatchObject({ label: 'batch', batchCommands: 6, transport: 'json' });
		expect(logged?.batchMethods).toEqual([
			'crm.item.add',
			'crm.requisite.add',
			'crm.address.add',
			'crm.company.list',
			'crm.company.get',
			'crm.timeline.comment.add',
		]);
	});

	it('answers 200 with per-command errors; halt=0 goes on, halt=1 stops at the first failure', async () => {
		const commands = {
			first: batchCommand('crm.contact.add', { fields: { NAME: 'Erste' } }),
			broken: 'crm.contact.add',
			unknown: 'crm.no.such.method',
			last: batchCommand('crm.contact.add', { fields: { NAME: 'Letzte' } }),
		};
		const goOn = await batch(commands, 0);
		expect(goOn.status).toBe(200);
		expect(goOn.body.result.result_error).toEqual({
			broken: { error: '', error_description: "Parameter 'fields' must be array." },
			unknown: { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' },
		});
		expect(sb.state.contacts.map((contact) => contact.NAME)).toEqual(['Erste', 'Letzte']);

		const halted = await batch(commands, 1);
		expect(halted.status).toBe(200);
		expect(Object.keys(halted.body.result.result)).toEqual(['first']);
		expect(Object.keys(halted.body.result.result_error)).toEqual(['broken']);
		expect(sb.state.contacts.map((contact) => contact.NAME)).toEqual(['Erste', 'Letzte', 'Erste']);
	});

	it('refuses more than 50 commands as a whole and runs none of them', async () => {
		const commands = Array.from({ length: 51 }, (_, index) =>
			batchCommand('crm.contact.add', { fields: { NAME: `K${index}` } }),
		);
		const answer = await batch(commands);
		expect(answer.status).toBe(400);
		expect(answer.body.error).toBe('ERROR_BATCH_LENGTH_EXCEEDED');
		expect(sb.state.contacts).toHaveLength(0);
		const fifty = await batch(commands.slice(0, 50));
		// A list of commands answers with lists (PHP arrays), not objects.
		expect(fifty.body.result.result).toHaveLength(50);
		expect(sb.state.contacts).toHaveLength(50);
	});

	it('refuses batch inside batch and file uploads, and app-only methods via webhook, per command', async () => {
		const answer = await batch({
			nested: 'batch?cmd[a]=profile',
			upload: batchCommand('crm.documentgenerator.document.upload', {
				fields: { entityTypeId: 4, entityId: 1, fileContent: 'UEs=', region: 'de', title: 't', number: 'n' },
			}),
			bind: batchCommand('event.bind', { event: 'ONCRMCONTACTADD', handler: 'https://example.org/h' }),
			fine: 'profile',
		});
		expect(answer.status).toBe(200);
		const errors = answer.body.result.result_error;
		expect(errors.nested.error).toBe('ERROR_BATCH_METHOD_NOT_ALLOWED');
		expect(errors.upload.error).toBe('ERROR_BATCH_METHOD_NOT_ALLOWED');
		expect(errors.bind.error).toBe('ACCESS_DENIED');
		expect(answer.body.result.result.fine.ID).toBe('1');
		expect(sb.state.documents).toHaveLength(0);
	});
});
