import { oncePerExecution } from '../../shared/executionCache';
import { accountKeyOf, type Bitrix24Context } from '../transport';

/**
 * `read` made a read of the portal's setup (field lists, requisite templates, a user): once per
 * execution, credential and `nameOf(…args)`, however often a node in a loop runs
 * (nodes/shared/executionCache.ts). The returned function is called like `read`.
 */
export function portalSetupRead<C extends Bitrix24Context, A extends unknown[], T>(
	nameOf: (...args: A) => string,
	read: (this: C, ...args: A) => Promise<T>,
): (this: C, ...args: A) => Promise<T> {
	return async function (this: C, ...args: A): Promise<T> {
		return await oncePerExecution(
			this,
			await accountKeyOf.call(this),
			nameOf(...args),
			async () => await read.call(this, ...args),
		);
	};
}
