/**
 * The baseline the benchmark compares against: what an n8n user builds from core nodes alone.
 * One LexOffice list call, then per contact one LexOffice GET and one Bitrix24 crm.contact.add
 * through the HTTP Request node. It copies only the name (no companies, requisites or
 * addresses), so it does less work per record than the real import: the comparison favours it.
 *
 * Both HTTP Request nodes are paced with the node's own Batching option at exactly the published
 * sustained rate (one request per 500 ms = 2/s for either API). Unpaced, the first requests ride
 * the bursts (Bitrix24 lets 50 through at once) and a small N would extrapolate to a speed no
 * long import can keep; pacing is also what n8n's docs advise against 429s.
 */
import { randomUUID } from 'node:crypto';

import type { IConnections, INode, INodeParameters } from 'n8n-workflow';

import type { WorkflowJson } from '../../test/harness';

export const NAIVE_TRIGGER = 'Start naive import';
export const NAIVE_HEADER_CREDENTIAL = 'LexOffice header (benchmark)';
const PACED = { batching: { batch: { batchSize: 1, batchInterval: 500 } } };

export interface NaiveImportTarget {
	lexofficeHost: string;
	/** Bitrix24 incoming webhook base URL, ending in '/'. */
	bitrix24WebhookUrl: string;
	/** How many contacts to copy (≤ 250, one LexOffice page). */
	records: number;
}

function node(
	name: string,
	type: string,
	typeVersion: number,
	parameters: INodeParameters,
	extra: Partial<INode> = {},
): INode {
	return { id: randomUUID(), name, type, typeVersion, position: [0, 0], parameters, ...extra };
}

const lexofficeAuth = { authentication: 'genericCredentialType', genericAuthType: 'httpHeaderAuth' };
const lexofficeCredential: Partial<INode> = {
	credentials: { httpHeaderAuth: { id: null, name: NAIVE_HEADER_CREDENTIAL } },
};
const HTTP = 'n8n-nodes-base.httpRequest';

export function naiveImportWorkflow(target: NaiveImportTarget): WorkflowJson {
	const nodes = [
		node(NAIVE_TRIGGER, 'n8n-nodes-base.manualTrigger', 1, {}),
		node(
			'List LexOffice contacts',
			HTTP,
			4.2,
			{ ...lexofficeAuth, url: `${target.lexofficeHost}/v1/contacts?page=0&size=${target.records}`, options: {} },
			lexofficeCredential,
		),
		node('One item per contact', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'content', options: {} }),
		node(
			'Get LexOffice contact',
			HTTP,
			4.2,
			{ ...lexofficeAuth, url: `=${target.lexofficeHost}/v1/contacts/{{ $json.id }}`, options: PACED },
			{ ...lexofficeCredential, onError: 'continueRegularOutput' },
		),
		node(
			'Create Bitrix24 contact',
			HTTP,
			4.2,
			{
				method: 'POST',
				url: `${target.bitrix24WebhookUrl}crm.contact.add`,
				sendBody: true,
				specifyBody: 'json',
				jsonBody:
					'={{ JSON.stringify({ fields: $json.company ? { NAME: $json.company.name } : { NAME: $json.person.firstName, LAST_NAME: $json.person.lastName } }) }}',
				options: PACED,
			},
			{ onError: 'continueRegularOutput' },
		),
	];
	const connections: IConnections = {};
	nodes.forEach((from, index) => {
		from.position = [index * 220, 0];
		const to = nodes[index + 1];
		if (to) connections[from.name] = { main: [[{ node: to.name, type: 'main', index: 0 }]] };
	});
	return {
		name: 'Benchmark: naive one-request-per-record import',
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
	};
}
