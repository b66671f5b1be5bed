import * as deleteOperation from './delete.operation';
import * as getMany from './getMany.operation';
import * as upsert from './upsert.operation';
import { resourceDescription } from '../../../shared/operation';

/** Requisites ("Details") of contacts and companies, with their addresses (bitrix24-api.md §5). */
export const operations = { delete: deleteOperation, getMany, upsert };

export const description = resourceDescription('requisite', operations, 'upsert');
