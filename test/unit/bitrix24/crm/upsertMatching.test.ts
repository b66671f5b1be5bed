import {
	decideUpserts,
	groupByOriginId,
	type MatchCandidate,
	type UpsertDecision,
	type UpsertEvidence,
} from '../../../../nodes/Bitrix24/helpers/upsertMatching';

const record = (id: number, originId = '', originVersion = ''): MatchCandidate => ({ id, originId, originVersion });
const evidence = (partial: Partial<UpsertEvidence>): UpsertEvidence => ({
	originVersion: '3',
	byOrigin: [],
	bySecondary: [],
	...partial,
});

describe('decideUpserts', () => {
	it.each<[string, UpsertEvidence, UpsertDecision]>([
		['nothing found: create', evidence({}), { action: 'created' }],
		[
			'same version: no write',
			evidence({ byOrigin: [record(5, 'x', '3')] }),
			{ action: 'unchanged', id: 5, duplicatesFound: [] },
		],
		[
			'other version: update',
			evidence({ byOrigin: [record(5, 'x', '2')] }),
			{ action: 'updated', id: 5, duplicatesFound: [] },
		],
		[
			'unknown incoming version: always update',
			evidence({ originVersion: '', byOrigin: [record(5, 'x', '')] }),
			{
				action: 'updated',
				id: 5,
				duplicatesFound: [],
			},
		],
		[
			'several records with the id: lowest wins, others reported',
			evidence({ byOrigin: [record(9, 'x', '3'), record(4, 'x', '1'), record(7, 'x', '3')] }),
			{
				action: 'updated',
				id: 4,
				duplicatesFound: [7, 9],
			},
		],
		[
			'found only by e-mail: adopt',
			evidence({ bySecondary: [{ matcher: 'email', candidates: [record(12)] }] }),
			{
				action: 'matched',
				id: 12,
				matchedBy: 'email',
				duplicatesFound: [],
			},
		],
		[
			'secondary hits that belong to another external record are not taken',
			evidence({
				bySecondary: [{ matcher: 'email', candidates: [record(12, 'someone-else')] }],
			}),
			{ action: 'created' },
		],
		[
			'rules in order: the first that finds an adoptable record wins',
			evidence({
				bySecondary: [
					{ matcher: 'email', candidates: [] },
					{ matcher: 'field:UF_CRM_KUNDENNUMMER', candidates: [record(30), record(21)] },
					{ matcher: 'requisite:RQ_VAT_ID', candidates: [record(3)] },
				],
			}),
			{ action: 'matched', id: 21, matchedBy: 'field:UF_CRM_KUNDENNUMMER', duplicatesFound: [30] },
		],
		[
			'the external id beats secondary rules',
			evidence({
				byOrigin: [record(40, 'x', '1')],
				bySecondary: [{ matcher: 'email', candidates: [record(2)] }],
			}),
			{ action: 'updated', id: 40, duplicatesFound: [] },
		],
	])('%s', (_name, input, expected) => {
		expect(decideUpserts([input])).toEqual([expected]);
	});

	it('a record adopted for one input record is not adopted again for the next', () => {
		const shared = { matcher: 'email', candidates: [record(12), record(15)] };
		expect(
			decideUpserts([
				evidence({ bySecondary: [shared] }),
				evidence({ bySecondary: [shared] }),
				evidence({ bySecondary: [shared] }),
			]),
		).toEqual([
			{ action: 'matched', id: 12, matchedBy: 'email', duplicatesFound: [15] },
			{ action: 'matched', id: 15, matchedBy: 'email', duplicatesFound: [] },
			{ action: 'created' },
		]);
	});

	it("a record found by another input's external id is never adopted by a secondary rule", () => {
		const decisions = decideUpserts([
			evidence({ bySecondary: [{ matcher: 'email', candidates: [record(8)] }] }),
			evidence({ byOrigin: [record(8, 'b', '3')] }),
		]);
		expect(decisions.map((decision) => decision.action)).toEqual(['created', 'unchanged']);
	});
});

describe('groupByOriginId', () => {
	it('puts items with the same external id together; the last one is written', () => {
		expect(
			groupByOriginId([
				{ itemIndex: 0, originId: 'a' },
				{ itemIndex: 1, originId: 'b' },
				{ itemIndex: 2, originId: 'a' },
			]),
		).toEqual([
			{ originId: 'a', members: [0, 2], representative: 2 },
			{ originId: 'b', members: [1], representative: 1 },
		]);
	});
});
