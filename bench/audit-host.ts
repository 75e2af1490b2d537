/**
 * Child-process entry of the measured audit (see `runAuditInChild`): it runs one audit, measures its own peak RSS,
 * replies with the result and exits. The process holds nothing but the auditor, so its RSS is the auditor's.
 */
import type { AuditHostRequest, AuditHostResult } from './audit-run.ts';
import { runAudit } from './audit-run.ts';
import { serveRequests } from './ipc.ts';
import { startRssSampler } from './measure.ts';

serveRequests<AuditHostRequest>(
  async (request): Promise<AuditHostResult> => {
    const sampler = startRssSampler();
    const result = await runAudit(request.sim, request.profile, request.accounts, request.regions);
    return { type: 'result', ...result, peakRssMb: sampler.stop() };
  },
  () => true,
);
