import type { LexofficeResource } from '../types';
import * as create from './create.operation';
import * as deleteSubscription from './delete.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';

export const eventSubscription: LexofficeResource = {
	value: 'eventSubscription',
	operations: [create, deleteSubscription, get, getMany],
};
