import type { LexofficeResource } from '../types';
import * as getMany from './getMany.operation';

export const voucherList: LexofficeResource = {
	value: 'voucherList',
	operations: [getMany],
};
