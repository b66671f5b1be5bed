import * as create from './create.operation';
import * as deleteOperation from './delete.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as update from './update.operation';
import * as upsert from './upsert.operation';
import { resourceDescription } from '../../../shared/operation';

/** Operations shared with the other CRM record resource: actions/shared/crmRecord*. */
export const operations = { create, delete: deleteOperation, get, getMany, update, upsert };

export const description = resourceDescription('company', operations, 'get');
