/** The Powertools logger and metrics of every handler: created once, here. */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

export const logger = new Logger({ serviceName: 'eks-fleet-auditor' });

export const metrics = new Metrics({ namespace: 'EksFleetAuditor', serviceName: 'eks-fleet-auditor' });
