/**
 * One calling style for shipped code (ARCHITECTURE.md "Calling style"): a function that needs an n8n
 * context takes it as `this: I…Functions` and is called with `fn.call(this, …)`, as n8n's own nodes
 * do; no parameter of a function (or function type) is an n8n context under another name.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';

export interface CallingStyleViolation {
	file: string;
	line: number;
	parameter: string;
	type: string;
}

/**
 * `IExecuteFunctions`, `IWebhookFunctions | IHookFunctions`, …: a type that is only n8n contexts,
 * named by n8n or by the transports' aliases for them (`Bitrix24Context`, `LexofficeContext`).
 */
const CONTEXT_NAME = '(?:I\\w*Functions|Bitrix24Context|LexofficeContext)';
const N8N_CONTEXT_TYPE = new RegExp(`^${CONTEXT_NAME}(?:\\|${CONTEXT_NAME})*$`);

/** The parameters of `source` that carry an n8n context under a name other than `this`. */
export function callingStyleViolations(file: string, source: string): CallingStyleViolation[] {
	const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
	const violations: CallingStyleViolation[] = [];
	const visit = (node: ts.Node): void => {
		if (ts.isParameter(node) && node.type && ts.isIdentifier(node.name) && node.name.text !== 'this') {
			const type = node.type.getText(sourceFile).replace(/\s+/g, '');
			if (N8N_CONTEXT_TYPE.test(type)) {
				const line = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
				violations.push({ file, line, parameter: node.name.text, type });
			}
		}
		ts.forEachChild(node, visit);
	};
	visit(sourceFile);
	return violations;
}

function typeScriptFiles(directory: string): string[] {
	return readdirSync(directory).flatMap((name) => {
		const path = join(directory, name);
		if (statSync(path).isDirectory()) return typeScriptFiles(path);
		return name.endsWith('.ts') ? [path] : [];
	});
}

/** Every violation in the shipped folders (nodes/, credentials/) of the repository. */
export function shippedCallingStyleViolations(repository: string): CallingStyleViolation[] {
	return ['nodes', 'credentials'].flatMap((folder) =>
		typeScriptFiles(join(repository, folder)).flatMap((path) =>
			callingStyleViolations(relative(repository, path).split('\\').join('/'), readFileSync(path, 'utf8')),
		),
	);
}
