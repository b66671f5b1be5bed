import path from 'node:path';

import { REPO_ROOT, readManifest } from './packAndInstall';

export interface DeclaredTypes {
	packageName: string;
	/** Full node type names as n8n registers them: `<package>.<description.name>` (plus `…Tool` variants). */
	nodeTypes: string[];
	credentialTypes: string[];
}

/** Loads a built file the way n8n does: the class named after the file (`Foo.node.js` → `Foo`). */
function instantiate(packageDir: string, file: string): unknown {
	const [className] = path.basename(file).split('.');
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const exported = require(path.join(packageDir, file)) as Record<string, new () => unknown>;
	const TypeClass = exported[className];
	if (typeof TypeClass !== 'function') throw new Error(`${file} does not export a class ${className}`);
	return new TypeClass();
}

/**
 * The node and credential type names the built package declares (package.json `n8n` section →
 * dist files), so tests compare n8n's view with the build rather than with a list that can drift.
 */
export async function declaredTypes(packageDir: string = REPO_ROOT): Promise<DeclaredTypes> {
	const manifest = await readManifest(packageDir);
	const nodeTypes = manifest.n8n.nodes.flatMap((file) => {
		const { description } = instantiate(packageDir, file) as { description: { name: string; usableAsTool?: unknown } };
		const name = `${manifest.name}.${description.name}`;
		// n8n registers a `<name>Tool` variant of every node marked usableAsTool, for AI agents.
		return description.usableAsTool ? [name, `${name}Tool`] : [name];
	});
	const credentialTypes = manifest.n8n.credentials.map(
		(file) => (instantiate(packageDir, file) as { name: string }).name,
	);
	return { packageName: manifest.name, nodeTypes, credentialTypes };
}
