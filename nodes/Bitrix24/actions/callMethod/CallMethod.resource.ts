import * as batch from './batch.operation';
import * as call from './call.operation';
import { resourceDescription } from '../../../shared/operation';

export const operations = { batch, call };

export const description = resourceDescription('callMethod', operations, 'call');
