import { CRM_ENTITIES } from '../../helpers/crmRecordEntity';
import { crmUpdate } from '../shared/crmRecordOperations';

export const { option, description, execute } = crmUpdate(CRM_ENTITIES.contact);
