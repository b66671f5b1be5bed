import * as call from './call.operation';
import { resourceDescription } from '../types';

export const operations = { call };

export const description = resourceDescription('callMethod', operations, 'call');
