import { CRM_ENTITIES } from '../../helpers/crmRecordEntity';
import { crmDelete } from '../shared/crmRecordOperations';

export const { option, description, execute } = crmDelete(CRM_ENTITIES.contact);
