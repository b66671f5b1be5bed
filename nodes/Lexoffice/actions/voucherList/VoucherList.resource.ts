import { resourceDescription } from '../../../shared/operation';
import * as getMany from './getMany.operation';

export const operations = { getMany };

export const description = resourceDescription('voucherList', operations, 'getMany');
