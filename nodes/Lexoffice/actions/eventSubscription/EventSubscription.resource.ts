import { resourceDescription } from '../../../shared/operation';
import * as create from './create.operation';
import * as deleteSubscription from './delete.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';

export const operations = { create, delete: deleteSubscription, get, getMany };

export const description = resourceDescription('eventSubscription', operations, 'create');
