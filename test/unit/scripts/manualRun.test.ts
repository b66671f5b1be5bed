import { formatStatistics, type ImportStatistics } from '../../../scripts/lib/manualRun';

const statistics = (failures: number, dryRun = false): ImportStatistics => ({
	dryRun,
	total: 320,
	companies: { created: 97, updated: 3, unchanged: 0, failed: 1 },
	contacts: { created: 187, updated: 0, unchanged: 12, failed: failures - 1 },
	contactPersons: { created: 137, updated: 0, unchanged: 0, failed: 0 },
	adoptedExisting: 0,
	duplicatesRemoved: 0,
	withWarnings: 0,
	skippedArchived: 16,
	skippedOther: 0,
	responsibleUserId: null,
	runs: 2,
	startedAt: null,
	durationSeconds: null,
	message: '',
	failures: Array.from({ length: failures }, (_, index) => ({
		lexofficeId: `id-${index}`,
		name: index === 0 ? null : `Kontakt ${index}`,
		error: 'Bitrix24 said no',
	})),
});

describe('formatStatistics', () => {
	it('prints the counts per kind and lists the failures by name, else by LexOffice id', () => {
		const lines = formatStatistics(statistics(2)).split('\n');
		expect(lines[0]).toBe('320 LexOffice contacts');
		expect(lines[1]).toMatch(/^companies\s+97 created\s+3 updated\s+0 unchanged\s+1 failed$/);
		expect(lines[2]).toMatch(/^contacts\s+187 created\s+0 updated\s+12 unchanged\s+1 failed$/);
		expect(lines[3]).toMatch(/^contact persons\s+137 created/);
		expect(lines).toContain('skipped (archived): 16');
		expect(lines).toContain('failed: id-0: Bitrix24 said no');
		expect(lines).toContain('failed: Kontakt 1: Bitrix24 said no');
	});

	it('says how many existing Bitrix24 records were adopted, when there were any', () => {
		expect(formatStatistics({ ...statistics(0), adoptedExisting: 5 })).toContain(
			'adopted existing Bitrix24 records (same e-mail): 5',
		);
		expect(formatStatistics(statistics(0))).not.toContain('adopted');
	});

	it('says when nothing was written and cuts a long failure list', () => {
		const text = formatStatistics(statistics(9, true), 5);
		expect(text.split('\n')[0]).toBe('320 LexOffice contacts (dry run: nothing written)');
		expect(text.match(/^failed: /gm)).toHaveLength(5);
		expect(text).toMatch(/… and 4 more failures$/);
	});
});
