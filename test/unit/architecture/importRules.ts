/**
 * The import direction of shipped code (ARCHITECTURE.md "Import direction"), as a function over an
 * import graph so that it can be tested on a made-up graph as well as run on the real tree.
 *
 *   nodes/shared/  ←  <Api>/transport/  ←  <Api>/helpers/ (pure)  ←  <Api>/actions/, <Api>/methods/  ←  <Api>/<Api>.node.ts
 *
 * - nodes/shared/ imports only nodes/shared/ (and packages).
 * - Within an API node (Lexoffice, Bitrix24) a file imports its own layer or lower ones; actions of
 *   one resource (actions/<resource>/, actions/shared/ too) import no other resource's folder: what
 *   two resources share lives in helpers/ or actions/shared/ (operation building blocks that read
 *   node parameters). methods/ and actions/ do not import each other.
 * - A trigger (nodes/<Name>Trigger/) owns its files; besides them it may import its API's transport/
 *   and helpers/ and nodes/shared/, never another trigger's files, actions/ or methods/.
 * - The API nodes never import each other: what both agree on is in nodes/shared/contract/.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** file (relative to the repository, `/`-separated, with extension) → the files it imports. */
export type ImportGraph = Record<string, string[]>;

const API_NODES = new Set(['Lexoffice', 'Bitrix24']);
/** Which API node's transport and helpers a trigger may use. */
const TRIGGER_API: Record<string, string> = {
	LexofficeTrigger: 'Lexoffice',
	LexofficePollTrigger: 'Lexoffice',
	Bitrix24Trigger: 'Bitrix24',
};

type Layer = 'shared' | 'transport' | 'helpers' | 'actions' | 'methods' | 'node' | 'trigger';
const RANK: Record<Layer, number> = {
	shared: 0,
	transport: 1,
	helpers: 2,
	actions: 3,
	methods: 3,
	node: 4,
	trigger: 4,
};

interface Place {
	/** The folder under nodes/ ('shared', 'Bitrix24', 'LexofficeTrigger', …). */
	owner: string;
	layer: Layer;
	/** For actions: the resource folder ('contact', 'shared', '' for files directly in actions/). */
	resource?: string;
}

export function placeOf(file: string): Place | undefined {
	const parts = file.split('/');
	if (parts[0] !== 'nodes' || parts.length < 3) return undefined;
	const owner = parts[1];
	if (owner === 'shared') return { owner, layer: 'shared' };
	if (owner in TRIGGER_API) return { owner, layer: 'trigger' };
	if (!API_NODES.has(owner)) return undefined;
	if (parts.length === 3) return { owner, layer: 'node' };
	const folder = parts[2];
	if (folder === 'transport' || folder === 'helpers' || folder === 'methods') return { owner, layer: folder };
	if (folder === 'actions') return { owner, layer: 'actions', resource: parts.length > 4 ? parts[3] : '' };
	return undefined;
}

/** Why `from` may not import `to`, or undefined when it may. */
export function ruleBroken(from: string, to: string): string | undefined {
	const source = placeOf(from);
	const target = placeOf(to);
	if (!source || !target) return undefined;
	if (source.layer === 'shared')
		return target.layer === 'shared' ? undefined : 'nodes/shared/ imports only nodes/shared/';
	if (target.layer === 'shared') return undefined;
	if (source.layer === 'trigger') {
		if (target.owner === source.owner) return undefined;
		if (target.owner === TRIGGER_API[source.owner] && (target.layer === 'transport' || target.layer === 'helpers'))
			return undefined;
		return `a trigger imports only its own files, its API's transport/ and helpers/, and nodes/shared/`;
	}
	if (target.owner !== source.owner)
		return 'the API nodes do not import each other (or a trigger): shared meaning lives in nodes/shared/contract/';
	if (RANK[target.layer] > RANK[source.layer])
		return `${source.layer}/ must not import ${target.layer}/ (transport ← helpers ← actions/methods ← node)`;
	if (RANK[target.layer] === RANK[source.layer] && target.layer !== source.layer)
		return `${source.layer}/ must not import ${target.layer}/`;
	// actions/shared/ is the one folder every resource may use; it uses no resource's folder itself.
	if (
		source.layer === 'actions' &&
		source.resource &&
		target.resource &&
		target.resource !== 'shared' &&
		target.resource !== source.resource
	) {
		return `actions/${source.resource}/ must not import actions/${target.resource}/: share through helpers/ or actions/shared/`;
	}
	return undefined;
}

export interface Violation {
	from: string;
	to: string;
	rule: string;
}

export function importViolations(graph: ImportGraph): Violation[] {
	const violations: Violation[] = [];
	for (const [from, targets] of Object.entries(graph)) {
		for (const to of targets) {
			const rule = ruleBroken(from, to);
			if (rule) violations.push({ from, to, rule });
		}
	}
	return violations;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/g;

function sourceFiles(folder: string): string[] {
	return readdirSync(folder).flatMap((name) => {
		const path = join(folder, name);
		if (statSync(path).isDirectory()) return sourceFiles(path);
		return path.endsWith('.ts') ? [path] : [];
	});
}

function resolveImport(fromFile: string, specifier: string): string {
	const base = resolve(dirname(fromFile), specifier);
	for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) {
		try {
			if (statSync(candidate).isFile()) return candidate;
		} catch {
			// not this one
		}
	}
	throw new Error(`${fromFile}: cannot resolve import '${specifier}'`);
}

/** The relative imports of every .ts file under `root`/nodes. */
export function readImportGraph(root: string): ImportGraph {
	const graph: ImportGraph = {};
	for (const file of sourceFiles(join(root, 'nodes'))) {
		const text = readFileSync(file, 'utf8');
		const targets = [...text.matchAll(IMPORT)]
			.map((match) => match[1])
			.filter((specifier) => specifier.startsWith('.'));
		const key = relative(root, file).split('\\').join('/');
		graph[key] = targets.map((specifier) => relative(root, resolveImport(file, specifier)).split('\\').join('/'));
	}
	return graph;
}
