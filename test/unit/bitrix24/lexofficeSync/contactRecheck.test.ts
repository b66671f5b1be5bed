/**
 * The decisions of Sync Contacts across workers (contactRecheck.ts), pure: which record of a
 * LexOffice id is kept after adds, what is deleted, and how a compare-and-set on ORIGIN_VERSION
 * went. The interleavings themselves run in acrossWorkers.test.ts.
 */
import {
	addedVerdict,
	duplicateDeletes,
	isPendingOfSameVersion,
	pendingVersion,
	swapOutcome,
	versionSwapCommands,
	type AddedRecord,
} from '../../../../nodes/Bitrix24/actions/lexofficeSync/contactRecheck';
import type { MatchCandidate } from '../../../../nodes/Bitrix24/helpers/upsertMatching';

const added = (ownId: number, extra: Partial<AddedRecord> = {}): AddedRecord => ({
	entity: 'contact',
	originId: 'lx-1',
	ownId,
	pending: '2/abcd1234~n1',
	personIds: [],
	...extra,
});
const candidate = (id: number, originVersion: string): MatchCandidate => ({ id, originId: 'lx-1', originVersion });

describe('addedVerdict: which record of a LexOffice id is kept after adds', () => {
	it.each<[string, number, MatchCandidate[], ReturnType<typeof addedVerdict>]>([
		['alone, still pending with our text: stamp', 10, [candidate(10, '2/abcd1234~n1')], { kind: 'stamp' }],
		[
			'another worker added a lower one: ours is the duplicate',
			11,
			[candidate(10, '2/abcd1234'), candidate(11, '2/abcd1234~n1')],
			{ kind: 'duplicate', keptId: 10 },
		],
		[
			'another worker added a higher one: ours is kept (it deletes its own)',
			10,
			[candidate(11, '3/abcd1234~n2'), candidate(10, '2/abcd1234~n1')],
			{ kind: 'stamp' },
		],
		[
			'three adders: the lowest is kept, whatever the order of the answer',
			12,
			[candidate(12, '2/abcd1234~n1'), candidate(11, ''), candidate(10, '1/abcd1234')],
			{ kind: 'duplicate', keptId: 10 },
		],
		['our record is gone: plan again', 10, [], { kind: 'vanished' }],
		['only another record is left: plan again', 10, [candidate(9, '2/abcd1234')], { kind: 'vanished' }],
		[
			'kept, but another writer wrote it since: that one stamps',
			10,
			[candidate(10, '3/abcd1234~n2')],
			{ kind: 'overtaken', stored: '3/abcd1234~n2' },
		],
	])('%s', (_name, ownId, found, expected) => {
		expect(addedVerdict(added(ownId), found)).toEqual(expected);
	});
});

describe('duplicateDeletes', () => {
	it('deletes the requisite (with its addresses) and the contact persons before the record itself', () => {
		expect(
			duplicateDeletes(added(11, { entity: 'company', requisiteId: 70, personIds: [21, 22] }), 'd4').map((command) => [
				command.key,
				command.method,
				command.params?.id,
			]),
		).toEqual([
			['d4rq', 'crm.requisite.delete', 70],
			['d4p1', 'crm.contact.delete', 21],
			['d4p2', 'crm.contact.delete', 22],
			['d4', 'crm.company.delete', 11],
		]);
	});

	it('deletes only the record when nothing came with it', () => {
		expect(duplicateDeletes(added(11), 'd0').map((command) => command.method)).toEqual(['crm.contact.delete']);
	});
});

describe('versionSwapCommands and swapOutcome: compare-and-set on ORIGIN_VERSION', () => {
	it('lists the record by id and expected text, and takes the update id from that answer', () => {
		expect(versionSwapCommands('company', 5, '1/abcd1234', '2/abcd1234~n1', { check: 'c0', update: 'k0' })).toEqual([
			{
				key: 'c0',
				method: 'crm.company.list',
				params: { filter: { ID: 5, '=ORIGIN_VERSION': '1/abcd1234' }, select: ['ID'] },
			},
			{
				key: 'k0',
				method: 'crm.company.update',
				params: { id: '$result[c0][0][ID]', fields: { ORIGIN_VERSION: '2/abcd1234~n1' } },
			},
		]);
	});

	it('updates plainly a record that has no version to compare with', () => {
		expect(versionSwapCommands('contact', 5, '', '2/x~n', { check: 'c0', update: 'k0' })).toEqual([
			{ key: 'k0', method: 'crm.contact.update', params: { id: 5, fields: { ORIGIN_VERSION: '2/x~n' } } },
		]);
	});

	const refused = { ok: false, error: 'ERROR', description: 'Not found' };
	it.each<[string, Parameters<typeof swapOutcome>, ReturnType<typeof swapOutcome>]>([
		['the update went through', [{ ok: true, result: [{ ID: 5 }] }, { ok: true }, true], 'done'],
		['the list found nothing: another writer was first', [{ ok: true, result: [] }, refused, true], 'lost'],
		['the list found it, the update was refused', [{ ok: true, result: [{ ID: 5 }] }, refused, true], 'refused'],
		['the answer was lost', [{ ok: true, result: [{ ID: 5 }] }, { ok: false, uncertain: true }, true], 'uncertain'],
		['nothing came back', [undefined, undefined, true], 'uncertain'],
		['a plain update refused', [undefined, refused, false], 'refused'],
	])('%s', (_name, args, expected) => {
		expect(swapOutcome(...args)).toBe(expected);
	});
});

describe('pending ORIGIN_VERSION', () => {
	it('starts with the version, so it compares by LexOffice version, and never equals a stamp', () => {
		const pending = pendingVersion('3/abcd1234', 'n1');
		expect(pending).toBe('3/abcd1234~n1');
		expect(isPendingOfSameVersion(pending, '3/abcd1234')).toBe(true);
		expect(isPendingOfSameVersion(pending, '3/ffff0000')).toBe(false);
		expect(isPendingOfSameVersion('3/abcd1234', '3/abcd1234')).toBe(false);
		expect(isPendingOfSameVersion('31/abcd1234~n1', '3/abcd1234')).toBe(false);
	});
});
