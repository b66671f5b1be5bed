/**
 * `npm run bench` — the import benchmark (initial import of N LexOffice contacts through a real
 * n8n into the sandboxes, with the published rate limits) needs the bundled initial-import
 * workflow, which does not exist yet. Until it does, say so plainly instead of printing numbers.
 */
console.log(
	'bench: not yet — the benchmark measures the bundled initial-import workflow, which is not built yet. ' +
		'See README "Benchmarks".',
);
