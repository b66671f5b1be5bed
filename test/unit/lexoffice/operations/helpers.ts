import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { Lexoffice } from '../../../../nodes/Lexoffice/Lexoffice.node';
import { runNode } from '../../../helpers/n8nContext';
import type { LexofficeSandbox } from '../../../sandbox/lexoffice';
import { sandboxCredentials } from '../helpers';

export interface RunOptions {
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	appUrl?: string;
	/** The node version (default: the latest). */
	typeVersion?: number;
}

/** Runs the LexOffice node with these parameters against the sandbox; the node's first output. */
export async function runOperation(
	sb: LexofficeSandbox,
	parameters: Record<string, unknown>,
	{ items, continueOnFail, appUrl, typeVersion }: RunOptions = {},
): Promise<INodeExecutionData[]> {
	const credentials = sandboxCredentials(sb);
	const [output] = await runNode(new Lexoffice(), {
		parameters: parameters as INodeParameters,
		credentials: { lexofficeApi: { ...credentials.lexofficeApi, ...(appUrl ? { appUrl } : {}) } },
		items,
		continueOnFail,
		typeVersion,
	});
	return output;
}

/** The error a run throws (fails the test if it does not throw). */
export async function operationError(
	sb: LexofficeSandbox,
	parameters: Record<string, unknown>,
	options: RunOptions = {},
) {
	const outcome = await runOperation(sb, parameters, options).then(
		(output) => ({ output }),
		(error: unknown) => ({ error }),
	);
	if (!('error' in outcome)) throw new Error(`expected the run to fail, got ${JSON.stringify(outcome.output)}`);
	return outcome.error as Error & { description?: string; httpCode?: string; context: { itemIndex?: number } };
}

/** A resource locator value in "By ID" mode. */
export const byId = (value: string) => ({ __rl: true, mode: 'id', value });
export const byUrl = (value: string) => ({ __rl: true, mode: 'url', value });

export const jsonOf = (output: INodeExecutionData[]) => output.map((item) => item.json);
