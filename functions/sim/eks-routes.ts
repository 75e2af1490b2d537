/**
 * EKS request routing: method and path, exactly as the SDK's restJson1 schemas write them
 * (`GET /clusters/{name}`, `POST /clusters/{clusterName}/insights`, …), to the operation that serves them.
 */
import { EKS_HANDLERS } from './eks-api.ts';
import { EKS_CREATE_HANDLERS, EKS_CREATE_ROUTES } from './eks-create-api.ts';
import type { EksInput } from './eks-api.ts';
import { SimApiError } from './errors.ts';
import type { ResolvedCall } from './wire.ts';
import { restJson } from './wire.ts';

const ROUTES: readonly { method: string; segments: readonly string[]; operation: string }[] = [
  ['GET', 'clusters', 'ListClusters'],
  ['GET', 'clusters/{name}', 'DescribeCluster'],
  ['GET', 'clusters/{clusterName}/node-groups', 'ListNodegroups'],
  ['GET', 'clusters/{clusterName}/node-groups/{nodegroupName}', 'DescribeNodegroup'],
  ['POST', 'clusters/{clusterName}/node-groups/{nodegroupName}/update-version', 'UpdateNodegroupVersion'],
  ['GET', 'clusters/{clusterName}/addons', 'ListAddons'],
  ['GET', 'clusters/{clusterName}/addons/{addonName}', 'DescribeAddon'],
  ['POST', 'clusters/{clusterName}/addons/{addonName}/update', 'UpdateAddon'],
  ['GET', 'clusters/{clusterName}/fargate-profiles', 'ListFargateProfiles'],
  ['POST', 'clusters/{clusterName}/insights', 'ListInsights'],
  ['GET', 'clusters/{clusterName}/insights/{id}', 'DescribeInsight'],
  ['GET', 'clusters/{name}/updates', 'ListUpdates'],
  ['POST', 'clusters/{name}/updates', 'UpdateClusterVersion'],
  ['GET', 'clusters/{name}/updates/{updateId}', 'DescribeUpdate'],
  ['GET', 'addons/supported-versions', 'DescribeAddonVersions'],
  ['GET', 'cluster-versions', 'DescribeClusterVersions'],
  ['POST', 'tags/{resourceArn}', 'TagResource'],
  ['DELETE', 'tags/{resourceArn}', 'UntagResource'],
  ['GET', 'tags/{resourceArn}', 'ListTagsForResource'],
  ...EKS_CREATE_ROUTES,
].map(([method = '', pattern = '', operation = '']) => ({ method, segments: pattern.split('/'), operation }));

function flatten(
  path: Record<string, string>,
  query: URLSearchParams,
  body: Record<string, unknown>,
): Record<string, string> {
  const params: Record<string, string> = { ...path };
  for (const key of new Set(query.keys())) params[key] = query.getAll(key).join(',');
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      params[key] = String(value);
    else if (value !== null && value !== undefined) params[key] = JSON.stringify(value);
  }
  return params;
}

/**
 * Routes an EKS request. Returns null for a path no supported operation has (the server answers
 * UnknownOperationException); throws SimApiError for a body that is not JSON.
 */
export function resolveEksCall(
  method: string,
  rawPath: string,
  query: URLSearchParams,
  rawBody: string,
): ResolvedCall | null {
  const parts = rawPath.split('/').filter((part) => part !== '');
  let segments: string[];
  try {
    segments = parts.map((part) => decodeURIComponent(part));
  } catch {
    return null;
  }
  for (const route of ROUTES) {
    if (route.method !== method || route.segments.length !== segments.length) continue;
    const path: Record<string, string> = {};
    const matches = route.segments.every((pattern, i) => {
      const segment = segments[i] ?? '';
      if (pattern.startsWith('{')) {
        path[pattern.slice(1, -1)] = segment;
        return true;
      }
      return pattern === segment;
    });
    if (!matches) continue;
    let body: Record<string, unknown> = {};
    if (rawBody.trim() !== '') {
      try {
        const parsed: unknown = JSON.parse(rawBody);
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
          body = parsed as Record<string, unknown>;
      } catch {
        throw new SimApiError('SerializationException', 400, 'The request body is not valid JSON');
      }
    }
    const handler = EKS_HANDLERS[route.operation] ?? EKS_CREATE_HANDLERS[route.operation];
    if (handler === undefined) return null;
    const input: EksInput = { path, query, body };
    return {
      operation: route.operation,
      params: flatten(path, query, body),
      serve: (ctx) => restJson(handler(ctx, input), ctx.requestId),
    };
  }
  return null;
}
