/**
 * The warnings n8n's editor shows on a node when a workflow is opened, computed the way the editor
 * computes them, against a running n8n:
 *
 * - parameter issues: n8n-workflow's NodeHelpers.getNodeParametersIssues with the node type's
 *   description as n8n serves it (/types/nodes.json), from the n8n-workflow copy of the installed n8n;
 * - credential issues: the editor's useNodeHelpers.getNodeCredentialIssues (not exported by
 *   n8n-workflow, so rebuilt here): a shown credential that is required but not set, or whose id is
 *   not one of the instance's credentials of that type;
 * - "The value "…" is not supported!": the editor's ParameterInput compares an options parameter's
 *   value with its options, loaded through /rest/dynamic-node-parameters/options for loadOptions
 *   methods (so with the node's credentials, against the portal), unless allowArbitraryValues.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

import type { INode, INodeProperties, INodePropertyOptions, INodeTypeDescription } from 'n8n-workflow';

import { ensureN8n } from './ensureN8n';
import type { N8nClient } from './n8nClient';

type NodeHelpersModule = typeof import('n8n-workflow').NodeHelpers;

function n8nsNodeHelpers(): NodeHelpersModule {
	const fromN8n = createRequire(path.join(ensureN8n().dir, 'node_modules', 'n8n', 'package.json'));
	return (fromN8n('n8n-workflow') as typeof import('n8n-workflow')).NodeHelpers;
}

/** One message per problem, prefixed with the parameter or credential it is about. */
export type NodeIssues = string[];

export interface EditorIssueContext {
	client: N8nClient;
	/** Every node type description n8n serves (all versions). */
	nodeTypes: INodeTypeDescription[];
	/** Credential ids that exist, by credential type. */
	credentialIds: Record<string, string[]>;
	projectId?: string;
}

export function descriptionOf(nodeTypes: INodeTypeDescription[], node: INode): INodeTypeDescription | undefined {
	return nodeTypes.find(
		(candidate) => candidate.name === node.type && [candidate.version].flat().includes(node.typeVersion),
	);
}

function optionValues(options: INodeProperties['options']): unknown[] {
	return (options ?? []).map((option) => (option as INodePropertyOptions).value);
}

/** The issues the editor shows on this node of an opened workflow. */
export async function editorIssues(context: EditorIssueContext, node: INode): Promise<NodeIssues> {
	const description = descriptionOf(context.nodeTypes, node);
	if (!description) return [`node type ${node.type} v${node.typeVersion} is not known`];
	if (node.disabled) return [];
	const NodeHelpers = n8nsNodeHelpers();
	const issues: NodeIssues = [];

	const parameterIssues = NodeHelpers.getNodeParametersIssues(description.properties, node, description);
	for (const [name, messages] of Object.entries(parameterIssues?.parameters ?? {})) {
		for (const message of messages) issues.push(`${name}: ${message}`);
	}

	for (const credential of description.credentials ?? []) {
		if (!NodeHelpers.displayParameter(node.parameters, credential, node, description)) continue;
		const reference = node.credentials?.[credential.name];
		if (!reference) {
			if (credential.required) issues.push(`credential ${credential.name}: not set`);
			continue;
		}
		if (!reference.id || !(context.credentialIds[credential.name] ?? []).includes(reference.id)) {
			issues.push(`credential ${credential.name}: "${reference.name}" does not exist (id ${String(reference.id)})`);
		}
	}

	// Without a usable credential n8n cannot load a dropdown at all (the editor says so instead).
	if (issues.some((issue) => issue.startsWith('credential '))) return issues;
	for (const property of description.properties) {
		if (property.type !== 'options' || property.allowArbitraryValues) continue;
		if (!NodeHelpers.displayParameterPath(node.parameters, property, '', node, description)) continue;
		const value = node.parameters[property.name] ?? property.default;
		if (typeof value === 'string' && value.startsWith('=')) continue;
		const method = property.typeOptions?.loadOptionsMethod;
		const values = method
			? optionValues(
					await context.client.loadOptions({
						nodeTypeAndVersion: { name: node.type, version: node.typeVersion },
						path: property.name,
						methodName: method,
						currentNodeParameters: node.parameters,
						credentials: node.credentials,
						projectId: context.projectId,
					}),
				)
			: optionValues(property.options);
		if (!values.includes(value)) issues.push(`${property.name}: The value "${String(value)}" is not supported!`);
	}
	return issues;
}
