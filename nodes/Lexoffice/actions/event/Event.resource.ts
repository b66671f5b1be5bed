import { resourceDescription } from '../../../shared/operation';
import * as getResource from './getResource.operation';

export const operations = { getResource };

export const description = resourceDescription('event', operations, 'getResource');
