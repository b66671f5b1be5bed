import * as getCurrent from './getCurrent.operation';
import * as getMany from './getMany.operation';
import { resourceDescription } from '../types';

export const operations = { getCurrent, getMany };

export const description = resourceDescription('user', operations, 'getMany');
