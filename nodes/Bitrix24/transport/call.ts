import type { IDataObject } from 'n8n-workflow';

import { resolveConnection, type Bitrix24Authentication, type Bitrix24Context } from './connection';
import { bitrix24ConfigError } from './errors';
import { isReadMethod } from './methods';
import { assertCallableWith, sendRequest, type Bitrix24Envelope } from './request';
import { assertMethodName } from './urls';

export interface CallOptions {
	itemIndex?: number;
	/** Defaults to the node's `authentication` parameter. */
	authentication?: Bitrix24Authentication;
}

/** The sub-methods of a hand-written `batch` call (`cmd` values are `method?query`, §3.3). */
function methodsInBatch(params: IDataObject): string[] {
	const commands = params.cmd;
	if (typeof commands !== 'object' || commands === null) return [];
	return Object.values(commands)
		.filter((command): command is string => typeof command === 'string')
		.map((command) => command.split('?')[0]);
}

/**
 * Calls one Bitrix24 REST method (POST, JSON body) with the node's credential and returns the
 * whole answer: `result`, and `total`/`next`/`time` when Bitrix24 sends them.
 */
export async function bitrix24Call(
	this: Bitrix24Context,
	method: string,
	params: IDataObject = {},
	options: CallOptions = {},
): Promise<Bitrix24Envelope> {
	const connection = await resolveConnection.call(this, options.authentication);
	try {
		assertMethodName(method);
	} catch (error) {
		throw bitrix24ConfigError(
			this.getNode(),
			(error as Error).message,
			'Method names are the dotted names from the Bitrix24 REST documentation, without the portal address.',
			connection.secrets,
			options.itemIndex,
		);
	}
	const isBatch = method.toLowerCase() === 'batch';
	const methods = isBatch ? methodsInBatch(params) : [method];
	assertCallableWith.call(this, connection, methods, options.itemIndex);
	return await sendRequest.call(this, connection, method, params, {
		idempotent: methods.length > 0 && methods.every(isReadMethod),
		budgetMethods: methods,
		itemIndex: options.itemIndex,
	});
}
