import type { LexofficeResource } from '../types';
import * as get from './get.operation';

export const payment: LexofficeResource = {
	value: 'payment',
	operations: [get],
};
