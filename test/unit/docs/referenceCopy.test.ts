/**
 * docs/reference/ is the repository's copy of the team's researched API facts, so a clone is
 * self-contained (tests read the pinned webhook key and the event list from it). Where the
 * development workspace's originals sit beside the clone (../shared/reference, as in CI), the
 * copy must not have drifted from them.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const COPY = join(__dirname, '..', '..', '..', 'docs', 'reference');
const ORIGINALS = join(__dirname, '..', '..', '..', '..', 'shared', 'reference');

describe('docs/reference', () => {
	it('holds the reference files the tests rely on', () => {
		expect(readdirSync(COPY).sort()).toEqual(
			expect.arrayContaining([
				'bitrix24-api.md',
				'lexoffice-api.md',
				'lexware-webhook-public-key.pem',
				'n8n-community-nodes.md',
			]),
		);
	});

	// Outside the workspace (a plain clone) there are no originals to compare with.
	const originals = existsSync(ORIGINALS) ? readdirSync(ORIGINALS) : [];
	if (originals.length > 0) {
		it.each(originals.map((name) => [name]))('%s is identical to the workspace original', (name) => {
			expect(readFileSync(join(COPY, name), 'utf8')).toBe(readFileSync(join(ORIGINALS, name), 'utf8'));
		});
	}
});
