import * as deleteOperation from './delete.operation';
import * as getMany from './getMany.operation';
import * as upsert from './upsert.operation';
import { resourceDescription } from '../../../shared/operation';

/** Addresses of requisites, one per address type (bitrix24-api.md §5). */
export const operations = { delete: deleteOperation, getMany, upsert };

export const description = resourceDescription('address', operations, 'upsert');
