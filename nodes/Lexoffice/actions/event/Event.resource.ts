import type { LexofficeResource } from '../types';
import * as getResource from './getResource.operation';

export const event: LexofficeResource = {
	value: 'event',
	operations: [getResource],
};
