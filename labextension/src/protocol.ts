/**
 * The kernel side of these types is documented in kernel/sparklet_kernel/protocol.md; the kernel
 * owns the state and may add fields, so everything here reads only what it needs.
 */

export const JOBS_MIME_TYPE = 'application/vnd.sparklet.jobs+json';
export const SESSION_COMM_TARGET = 'sparklet.session';
export const CONTROL_REQUEST = 'sparklet_request';

/** `interrupted` is set by the frontend, never by the kernel: a job left running by a kernel that
 * died or restarted (see finalise.ts). */
export type JobStatus = 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';
export type StageStatus = 'pending' | 'active' | 'complete' | 'failed' | 'skipped' | 'interrupted';

export interface IStage {
  stageId: number;
  attempt: number;
  name: string;
  kind: 'shuffleMap' | 'result';
  status: StageStatus;
  numTasks: number;
  completed: number;
  running: number;
  failed: number;
  killed: number;
  retries: number;
  submissionTime: number | null;
  completionTime: number | null;
  inputRecords: number;
  inputBytes: number;
  shuffleReadRecords: number;
  shuffleReadBytes: number;
  shuffleWriteRecords: number;
  shuffleWriteBytes: number;
  parentIds: number[];
  failureReason: string | null;
}

export interface IDagStage {
  stageId: number;
  kind: string;
  skipped: boolean;
  numTasks: number | null;
  parentIds: number[];
  nodes: string[];
}

export interface IDagNode {
  key: string;
  rddId: number;
  stageId: number;
  scope: string;
  name: string;
  callSite: string;
  cached: boolean;
  numPartitions: number | null;
  parentIds: number[];
  /** In-stage parents by node key (the operators of one PipelinedRDD share its rddId). */
  parentKeys?: string[];
}

export interface IDagEdge {
  from: string;
  to: string;
  kind: 'narrow' | 'shuffle';
}

export interface IDag {
  stages: IDagStage[];
  nodes: IDagNode[];
  edges: IDagEdge[];
}

export interface IJob {
  jobId: number;
  description: string;
  callSite: string;
  groupId: string | null;
  status: JobStatus;
  submissionTime: number;
  completionTime: number | null;
  durationMs: number;
  numTasks: number;
  numCompletedTasks: number;
  numActiveTasks: number;
  numFailedTasks: number;
  numKilledTasks: number;
  numRetriedTasks: number;
  numSkippedStages: number;
  lostExecutors: string[];
  error: string | null;
  stages: IStage[];
  dag?: IDag;
}

/** The bundle of one cell's jobs (the MIME type's data). */
export interface ICellJobs {
  version: number;
  executionCount: number | null;
  groupId: string | null;
  hiddenJobs: number;
  jobs: IJob[];
}

export interface IExecutor {
  executorId: string;
  host: string;
  totalCores: number;
  pid: number;
  maxMemory: number;
  /** Where the executor's logs are ("stdout"/"stderr" -> a local path here; URLs in Spark). */
  logUrlMap: Record<string, string>;
  addTime: number;
  removeTime: number | null;
  removeReason: string | null;
  isActive: boolean;
  activeTasks: number;
  completedTasks: number;
  failedTasks: number;
  /** Killed by a cancel or a failing sibling (Spark counts them apart from failed). */
  killedTasks?: number;
}

export interface ICachedRDD {
  rddId: number;
  name: string;
  storageLevel: string;
  numCachedPartitions: number;
  /** Partitions of the RDD (0 until a job on it has been seen). */
  numPartitions: number;
  memSize: number;
  diskSize: number;
  /** `serialized`: pickled bytes; `estimated`: a deserialized level's sampled object sizes. */
  sizeKind?: 'serialized' | 'estimated';
}

export interface ISnapshot {
  session: {
    contextActive: boolean;
    /** `live`, `stopped` (the last context was stopped) or `none`. */
    state?: 'live' | 'stopped' | 'none';
    master: string | null;
    appName: string | null;
    applicationId: string | null;
    defaultParallelism: number | null;
    version: string;
    /** The event log a replayed application was read from (absent for a live session). */
    replay?: string;
    [key: string]: unknown;
  };
  application: { startTime?: number; endTime?: number | null; [key: string]: unknown };
  executors: IExecutor[];
  jobs: IJob[];
  storage: ICachedRDD[];
}

/** One finished task attempt: [stageId, partition, attempt, executorId, launch, finish, status,
 * error?] (status SUCCESS, FAILED or KILLED; the error of a failed attempt when the kernel sends it). */
export type TaskSpan = [number, number, number, string, number, number, string, (string | null)?];

/** One running task attempt: [stageId, partition, attempt, executorId, launch] (when the kernel
 * sends them, as `running` of the job detail). */
export type RunningTask = [number, number, number, string, number];

export interface IStageDurations {
  stageId: number;
  count: number;
  min: number;
  p25: number;
  median: number;
  p75: number;
  max: number;
}

/** The reply to the `job` request: one job with its DAG and task spans. */
export interface IJobDetail {
  job: IJob;
  spans: TaskSpan[];
  totalTasks: number;
  durations: IStageDurations[];
  running?: RunningTask[];
}
