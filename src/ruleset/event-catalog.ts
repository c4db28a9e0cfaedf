/**
 * The event names each known event source can produce, to catch misspelt operations at load time.
 * Amazon Lookout for Vision: the 22 API operations, plus the permission-only trial-detection actions
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list-amazonlookoutforvision.html).
 */
export const LOOKOUT_FOR_VISION_EVENT_SOURCE = 'lookoutvision.amazonaws.com';

export const LOOKOUT_FOR_VISION_EVENT_NAMES: readonly string[] = [
  'CreateDataset',
  'DeleteDataset',
  'DescribeDataset',
  'ListDatasetEntries',
  'UpdateDatasetEntries',
  'CreateModel',
  'DeleteModel',
  'DescribeModel',
  'ListModels',
  'StartModel',
  'StopModel',
  'CreateProject',
  'DeleteProject',
  'DescribeProject',
  'ListProjects',
  'StartModelPackagingJob',
  'DescribeModelPackagingJob',
  'ListModelPackagingJobs',
  'DetectAnomalies',
  'TagResource',
  'UntagResource',
  'ListTagsForResource',
  'StartTrialDetection',
  'ListTrialDetections',
  'DescribeTrialDetection',
];

const EVENT_NAMES_BY_SOURCE: ReadonlyMap<string, readonly string[]> = new Map([[LOOKOUT_FOR_VISION_EVENT_SOURCE, LOOKOUT_FOR_VISION_EVENT_NAMES]]);

/**
 * The event names a rule scoped to these sources may name, or undefined when any name is possible
 * (a source the catalog does not know, several sources, or `any`).
 */
export function knownEventNames(eventSources: readonly string[] | 'any'): readonly string[] | undefined {
  if (eventSources === 'any') return undefined;
  const [only, ...others] = eventSources;
  return only !== undefined && others.length === 0 ? EVENT_NAMES_BY_SOURCE.get(only) : undefined;
}

/** `<service>.amazonaws.com`, as CloudTrail writes eventSource. */
export const EVENT_SOURCE_PATTERN = /^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)*\.amazonaws\.com$/;
