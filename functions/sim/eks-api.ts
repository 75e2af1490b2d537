/**
 * The EKS operations (restJson1 bodies), served from the fleet state and scoped to the caller's account and the
 * signed region. Routing from method and path is in `eks-routes.ts`.
 */
import { describeAddonVersions, describeClusterVersions } from './eks-catalog-api.ts';
import {
  clusterInsights,
  insightId,
  renderAddon,
  renderCluster,
  renderInsight,
  renderInsightSummary,
  renderNodegroup,
} from './eks-resources.ts';
import { SimApiError, invalidParameter, resourceNotFound } from './errors.ts';
import { paginate } from './pagination.ts';
import type { Page } from './pagination.ts';
import type { SimCluster } from './state.ts';
import { startAddonUpdate, startClusterVersionUpdate, startNodegroupVersionUpdate } from './update-requests.ts';
import type { UpdateContext } from './update-requests.ts';
import { advanceUpdates, findUpdate, listUpdateIds, renderUpdate } from './updates.ts';
import type { ServiceContext } from './wire.ts';

/** A routed EKS request: path parameters, query string and JSON body. */
export interface EksInput {
  readonly path: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly body: Readonly<Record<string, unknown>>;
}

/** Serves one EKS operation: returns the JSON response body or throws SimApiError. */
export type EksHandler = (ctx: ServiceContext, input: EksInput) => unknown;

function list<T>(ctx: ServiceContext, input: EksInput, items: readonly T[]): Page<T> {
  return paginate(
    items,
    {
      maxResults: input.query.get('maxResults') ?? numberField(input.body, 'maxResults'),
      nextToken: input.query.get('nextToken') ?? stringField(input.body, 'nextToken'),
    },
    { pageSize: ctx.pageSize, limit: 100, invalid: (message) => invalidParameter(message) },
  );
}

function stringField(body: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidParameter(`${key} must be a string`);
  return value;
}

function numberField(body: Readonly<Record<string, unknown>>, key: string): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number') throw invalidParameter(`${key} must be a number`);
  return value;
}

function stringList(value: unknown, key: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw invalidParameter(`${key} must be a list of strings`);
  }
  return value as string[];
}

/** The caller's cluster, with its due updates applied; ResourceNotFoundException like EKS otherwise. */
export function clusterOf(ctx: ServiceContext, name: string | undefined): SimCluster {
  const cluster = name === undefined ? undefined : ctx.state.cluster(ctx.principal.accountId, ctx.region, name);
  if (cluster === undefined)
    throw resourceNotFound(`No cluster found for name: ${name ?? ''}.`, { clusterName: name ?? '' });
  advanceUpdates(cluster, ctx.now.getTime());
  return cluster;
}

function updateContext(ctx: ServiceContext): UpdateContext {
  return {
    nowMs: ctx.now.getTime(),
    durationMs: ctx.updateDurationMs,
    calendar: ctx.state.calendar,
    catalog: ctx.state.catalog,
  };
}

function scopeOf(query: URLSearchParams): { kind: 'cluster' } | { kind: 'nodegroup' | 'addon'; name: string } {
  const nodegroupName = query.get('nodegroupName');
  if (nodegroupName !== null && nodegroupName !== '') return { kind: 'nodegroup', name: nodegroupName };
  const addonName = query.get('addonName');
  if (addonName !== null && addonName !== '') return { kind: 'addon', name: addonName };
  return { kind: 'cluster' };
}

/** The tags object of the cluster, node group or add-on an EKS ARN names (in the caller's account and region). */
function taggable(ctx: ServiceContext, arn: string): Record<string, string> {
  const match = /^arn:aws:eks:([a-z0-9-]+):(\d{12}):(cluster|nodegroup|addon)\/([^/]+)(?:\/([^/]+)\/[^/]+)?$/.exec(arn);
  if (match === null) throw new SimApiError('BadRequestException', 400, `${arn} is not a valid EKS resource ARN`);
  const [, region, account, kind, clusterName = '', child = ''] = match;
  const notFound = new SimApiError('NotFoundException', 404, `Resource not found: ${arn}`);
  if (region !== ctx.region || account !== ctx.principal.accountId) throw notFound;
  const cluster = ctx.state.cluster(account, region, clusterName);
  if (cluster === undefined) throw notFound;
  if (kind === 'cluster') return cluster.tags;
  const resource = kind === 'nodegroup' ? cluster.nodegroups.get(child) : cluster.addons.get(child);
  if (resource?.arn !== arn) throw notFound;
  return resource.tags;
}

/** Every simulated EKS operation by name. */
export const EKS_HANDLERS: Readonly<Record<string, EksHandler>> = {
  ListClusters: (ctx, input) => {
    const page = list(
      ctx,
      input,
      ctx.state.clustersIn(ctx.principal.accountId, ctx.region).map((c) => c.name),
    );
    return { clusters: page.items, nextToken: page.nextToken };
  },
  DescribeCluster: (ctx, { path }) => ({ cluster: renderCluster(clusterOf(ctx, path.name)) }),
  ListNodegroups: (ctx, input) => {
    const page = list(ctx, input, [...clusterOf(ctx, input.path.clusterName).nodegroups.keys()]);
    return { nodegroups: page.items, nextToken: page.nextToken };
  },
  DescribeNodegroup: (ctx, { path }) => {
    const cluster = clusterOf(ctx, path.clusterName);
    const ng = cluster.nodegroups.get(path.nodegroupName ?? '');
    if (ng === undefined) {
      throw resourceNotFound(`No node group found for name: ${path.nodegroupName ?? ''}.`, {
        clusterName: cluster.name,
        nodegroupName: path.nodegroupName ?? '',
      });
    }
    return { nodegroup: renderNodegroup(cluster, ng) };
  },
  ListAddons: (ctx, input) => {
    const page = list(ctx, input, [...clusterOf(ctx, input.path.clusterName).addons.keys()]);
    return { addons: page.items, nextToken: page.nextToken };
  },
  DescribeAddon: (ctx, { path }) => {
    const cluster = clusterOf(ctx, path.clusterName);
    const addon = cluster.addons.get(path.addonName ?? '');
    if (addon === undefined) {
      throw resourceNotFound(`No addon: ${path.addonName ?? ''} found in cluster: ${cluster.name}`, {
        clusterName: cluster.name,
        addonName: path.addonName ?? '',
      });
    }
    return { addon: renderAddon(cluster, addon) };
  },
  ListFargateProfiles: (ctx, input) => {
    const page = list(ctx, input, clusterOf(ctx, input.path.clusterName).fargateProfiles);
    return { fargateProfileNames: page.items, nextToken: page.nextToken };
  },
  ListInsights: (ctx, input) => {
    const cluster = clusterOf(ctx, input.path.clusterName);
    const filter = input.body.filter;
    const spec = typeof filter === 'object' && filter !== null ? (filter as Record<string, unknown>) : {};
    const categories = stringList(spec.categories, 'filter.categories');
    const versions = stringList(spec.kubernetesVersions, 'filter.kubernetesVersions');
    const statuses = stringList(spec.statuses, 'filter.statuses');
    const matching = clusterInsights(cluster, ctx.now.getTime()).filter(
      (insight) =>
        (categories === undefined || categories.length === 0 || categories.includes(insight.category)) &&
        (versions === undefined || versions.length === 0 || versions.includes(insight.kubernetesVersion)) &&
        (statuses === undefined || statuses.length === 0 || statuses.includes(insight.status)),
    );
    const page = list(ctx, input, matching);
    const nowMs = ctx.now.getTime();
    return { insights: page.items.map((i) => renderInsightSummary(cluster, i, nowMs)), nextToken: page.nextToken };
  },
  DescribeInsight: (ctx, { path }) => {
    const cluster = clusterOf(ctx, path.clusterName);
    const insight = clusterInsights(cluster, ctx.now.getTime()).find((i) => insightId(cluster, i) === path.id);
    if (insight === undefined) {
      throw resourceNotFound(`No insight found for id: ${path.id ?? ''}`, { clusterName: cluster.name });
    }
    return { insight: renderInsight(cluster, insight, ctx.now.getTime()) };
  },
  ListUpdates: (ctx, input) => {
    const cluster = clusterOf(ctx, input.path.name);
    const page = list(ctx, input, listUpdateIds(cluster, scopeOf(input.query)));
    return { updateIds: page.items, nextToken: page.nextToken };
  },
  DescribeUpdate: (ctx, { path, query }) => {
    const cluster = clusterOf(ctx, path.name);
    return { update: renderUpdate(findUpdate(cluster, path.updateId ?? '', scopeOf(query))) };
  },
  UpdateClusterVersion: (ctx, { path, body }) => {
    const cluster = clusterOf(ctx, path.name);
    const update = startClusterVersionUpdate(
      cluster,
      {
        version: stringField(body, 'version'),
        clientRequestToken: stringField(body, 'clientRequestToken'),
        force: body.force === true,
        rollbackConfig: body.rollbackConfig,
        insights: clusterInsights(cluster, ctx.now.getTime()),
      },
      updateContext(ctx),
    );
    return { update: renderUpdate(update) };
  },
  UpdateNodegroupVersion: (ctx, { path, body }) => {
    const cluster = clusterOf(ctx, path.clusterName);
    const template = body.launchTemplate;
    const launchTemplateVersion =
      typeof template === 'object' && template !== null ? (template as Record<string, unknown>).version : undefined;
    const update = startNodegroupVersionUpdate(
      cluster,
      path.nodegroupName ?? '',
      {
        version: stringField(body, 'version'),
        releaseVersion: stringField(body, 'releaseVersion'),
        launchTemplateVersion: typeof launchTemplateVersion === 'string' ? launchTemplateVersion : undefined,
        clientRequestToken: stringField(body, 'clientRequestToken'),
      },
      updateContext(ctx),
    );
    return { update: renderUpdate(update) };
  },
  UpdateAddon: (ctx, { path, body }) => {
    const cluster = clusterOf(ctx, path.clusterName);
    const update = startAddonUpdate(
      cluster,
      path.addonName ?? '',
      {
        addonVersion: stringField(body, 'addonVersion'),
        resolveConflicts: stringField(body, 'resolveConflicts'),
        clientRequestToken: stringField(body, 'clientRequestToken'),
      },
      updateContext(ctx),
    );
    return { update: renderUpdate(update) };
  },
  TagResource: (ctx, { path, body }) => {
    const tags = taggable(ctx, path.resourceArn ?? '');
    const added = body.tags;
    if (typeof added !== 'object' || added === null || Object.values(added).some((v) => typeof v !== 'string')) {
      throw new SimApiError('BadRequestException', 400, 'tags must be a map of strings');
    }
    for (const [key, value] of Object.entries(added as Record<string, string>)) {
      if (key.toLowerCase().startsWith('aws:')) {
        throw new SimApiError('BadRequestException', 400, `Tag keys starting with aws: are reserved: ${key}`);
      }
      tags[key] = value;
    }
    return {};
  },
  UntagResource: (ctx, { path, query }) => {
    const tags = taggable(ctx, path.resourceArn ?? '');
    for (const key of query.getAll('tagKeys')) Reflect.deleteProperty(tags, key);
    return {};
  },
  ListTagsForResource: (ctx, { path }) => ({ tags: taggable(ctx, path.resourceArn ?? '') }),
  DescribeAddonVersions: (ctx, input) => describeAddonVersions(ctx, input.query),
  DescribeClusterVersions: (ctx, input) => describeClusterVersions(ctx, input.query),
};
