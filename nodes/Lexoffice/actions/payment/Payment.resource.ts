import { resourceDescription } from '../../../shared/operation';
import * as get from './get.operation';

export const operations = { get };

export const description = resourceDescription('payment', operations, 'get');
