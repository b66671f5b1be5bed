import type { LexofficeResource } from '../types';
import * as get from './get.operation';

export const profile: LexofficeResource = {
	value: 'profile',
	operations: [get],
};
