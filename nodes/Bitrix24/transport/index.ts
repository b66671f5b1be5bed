/** The Bitrix24 transport: the only code that talks HTTP to Bitrix24. */
export { bitrix24Call, type CallOptions } from './call';
export {
	bitrix24Batch,
	BATCH_LIMIT,
	NOT_EXECUTED,
	type BatchCommand,
	type BatchCommandResult,
	type BatchOptions,
} from './batch';
export { bitrix24Paginate, bitrix24ScanAll, collectRows, PAGE_SIZE, rowsOf, type ScanOptions } from './paging';
export {
	accountKeyOf,
	CREDENTIAL_TYPES,
	portalHostOf,
	type Bitrix24Authentication,
	type Bitrix24Context,
} from './connection';
export { uncertainWriteOf, type Bitrix24Envelope } from './request';
