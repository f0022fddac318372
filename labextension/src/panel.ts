/**
 * The "Spark" side panel: the current notebook's session (executors), its jobs (live, with
 * cancel), the selected job's stages, DAG, event timeline (running tasks included) and task table,
 * and what is cached; or, after "Open event log…", the same views of an application replayed from
 * a Spark event log.
 *
 * Snapshots arrive up to four times a second; the panel redraws at most once per animation frame
 * and only while visible, and asks for the selected job's details (DAG, task spans) at most once
 * a second while the job runs and once more when it ends. Nothing here grows with the number of
 * tasks: the kernel sends counters, and a sample of spans past 2,000 tasks.
 *
 * The panel is a size container: below 420 px its tables turn into one block per row (each value
 * labelled) and the timeline is drawn to the panel's width, so nothing is clipped at JupyterLab's
 * default sidebar width.
 */

import { Widget } from '@lumino/widgets';

import { ICachedRDD, IJob, IJobDetail, ISnapshot, TaskSpan } from './protocol';
import { SessionModel } from './session';
import { IPanelSource, ReplayModel } from './replay';
import { renderDag } from './dag';
import { localiseDag } from './dagtext';
import { renderTimeline } from './timeline';
import { bytes, count, duration, el, num } from './format';
import { english, ITrans } from './i18n';
import { cancelButton, jobRow, stageRow, statusText } from './jobs';
import { ISparkletSessions, ISparkletTranslator, ISparkPanel } from './tokens';

const DETAIL_INTERVAL_MS = 1000;

function str(v: unknown): string | null {
  return typeof v === 'string' && v ? v : null;
}
/** Rows of the task table; a bigger job shows its first attempts and says how many are left out. */
const MAX_TASK_ROWS = 200;

/** A table whose cells carry their column's name, shown beside each value when the panel is narrow. */
function table(className: string, headers: string[], rows: { cells: (string | Node)[]; attrs?: Record<string, string>; cls?: string; title?: string }[]): HTMLTableElement {
  const t = el('table', `sparklet-table ${className}`);
  t.append(el('thead', '', el('tr', '', ...headers.map(h => el('th', '', h)))));
  const body = el('tbody');
  for (const r of rows) {
    const tr = el('tr', r.cls ?? '');
    r.cells.forEach((c, i) => {
      const td = el('td', '', c);
      td.dataset.label = headers[i];
      tr.append(td);
    });
    for (const [k, v] of Object.entries(r.attrs ?? {})) {
      tr.dataset[k] = v;
    }
    if (r.title) {
      tr.title = r.title;
    }
    body.append(tr);
  }
  t.append(body);
  return t;
}

export class SparkPanel extends Widget implements ISparkPanel {
  constructor(
    private sessions: ISparkletSessions,
    private translator: ISparkletTranslator | null
  ) {
    super();
    this.id = 'sparklet-spark-panel';
    this.addClass('sparklet-panel');
    this.node.append(this.header, this.sessionView, this.jobsView, this.detailView, this.storageView);
    this.detailView.append(this.detailHead, this.stagesView, this.dagView, this.timelineView, this.tasksView);
    sessions.currentChanged.connect(() => this.showLive());
    translator?.changed.connect(this.onLanguage, this);
    this.onLanguage();
    this.bind(sessions.current);
  }

  /** Event log a user asked for: replayed by the current notebook's kernel. */
  async openEventLog(path: string): Promise<void> {
    const live = this.sessions.current;
    const trans = this.trans;
    if (!live || live.state !== 'live') {
      throw new Error(trans.__('Open a notebook on a Sparklet kernel first: its kernel reads the event log.'));
    }
    this.replayError = '';
    this.replayPending = path;
    this.schedule();
    try {
      this.bind(await ReplayModel.open(live, path));
    } catch (e) {
      this.replayError = trans.__('Could not open %1: %2', path, (e as Error).message);
      throw e;
    } finally {
      this.replayPending = '';
      this.schedule();
    }
  }

  showLive(): void {
    this.replayError = '';
    this.bind(this.sessions.current);
  }

  private onLanguage(): void {
    this.trans = this.translator?.forPanel(this.sessions.currentPanel) ?? english;
    this.title.caption = this.trans.__('Spark: jobs, stages, DAG, timeline and storage of this notebook');
    this.dagKey = '';
    this.timelineOf = null;
    this.schedule();
  }

  private bind(model: IPanelSource | null): void {
    if (model === this.model) {
      return;
    }
    this.model?.changed.disconnect(this.schedule, this);
    this.model = model;
    model?.changed.connect(this.schedule, this);
    this.selected = null;
    this.detail = null;
    this.detailFailed = '';
    this.dagKey = '';
    this.timelineOf = null;
    this.onLanguage();
  }

  protected onAfterShow(): void {
    void this.model?.refresh();
    this.schedule();
  }

  protected onResize(): void {
    this.schedule();
  }

  private schedule(): void {
    if (this.frame === 0) {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        if (this.isVisible) {
          this.draw();
        }
      });
    }
  }

  private draw(): void {
    // read the width before this frame's DOM writes, so reading it does not force a layout
    const width = Math.max(160, this.detailView.clientWidth - 4);
    const model = this.model;
    const snap = model?.snapshot ?? null;
    this.drawHeader(model, snap);
    if (!snap) {
      for (const view of [this.sessionView, this.jobsView, this.storageView]) {
        view.replaceChildren();
      }
      this.detailView.hidden = true;
      return;
    }
    this.drawSession(snap);
    this.drawJobs(snap);
    this.drawDetail(snap, width);
    this.drawStorage(snap);
  }

  private drawHeader(model: IPanelSource | null, snap: ISnapshot | null): void {
    const trans = this.trans;
    let state: string;
    const replay = model instanceof ReplayModel ? model : null;
    if (replay) {
      state = trans.__('replay of %1', replay.path);
    } else if (!model) {
      state = trans.__('Open a notebook on the Sparklet kernel to see its Spark session.');
    } else if (model.state === 'not-sparklet') {
      state = trans.__("This notebook's kernel has no Sparklet session (run %load_ext sparklet_kernel).");
    } else if (model.state === 'disconnected') {
      state = trans.__('The kernel is gone.');
    } else if (!snap) {
      state = trans.__('Connecting to the kernel…');
    } else if (snap.session.contextActive) {
      state = trans.__('live');
    } else if (snap.session.state === 'stopped') {
      state = trans.__('stopped: the SparkContext was stopped (sc.stop())');
    } else {
      state = trans.__('no active SparkContext');
    }
    const connection = el('span', 'sparklet-connection', state);
    connection.title = state;
    const actions = el('div', 'sparklet-panel-actions');
    const open = el('button', 'sparklet-button sparklet-open-log', trans.__('Open event log…'));
    open.title = trans.__('Replay a Spark event log (Sparklet or Apache Spark) in these views');
    open.addEventListener('click', () => this.onOpenLog?.());
    actions.append(open);
    if (replay) {
      const back = el('button', 'sparklet-button sparklet-show-live', trans.__('Back to the live session'));
      back.addEventListener('click', () => this.showLive());
      actions.append(back);
    } else {
      const running = snap ? snap.jobs.filter(j => j.status === 'running').length : 0;
      const cancelAll = el('button', 'sparklet-button sparklet-cancel-all', trans.__('Cancel all jobs'));
      cancelAll.disabled = running === 0;
      const live = model as SessionModel | null;
      cancelAll.addEventListener('click', () => void live?.cancelAll().then(() => live.refresh()));
      actions.append(cancelAll);
    }
    const children: HTMLElement[] = [el('h2', '', 'Spark'), connection, actions];
    if (this.replayPending) {
      children.push(el('div', 'sparklet-note sparklet-replay-pending', trans.__('Reading %1…', this.replayPending)));
    }
    if (this.replayError) {
      children.push(el('div', 'sparklet-job-error sparklet-replay-error', this.replayError));
    }
    this.header.replaceChildren(...children);
  }

  /** Set by the plugin: asks for a path and calls `openEventLog`. */
  onOpenLog: (() => void) | null = null;

  private drawSession(snap: ISnapshot): void {
    const trans = this.trans;
    const s = snap.session;
    const fact = (label: string, value: string) => {
      const span = el('span', '', el('b', '', label + ' '), value);
      span.title = `${label} ${value}`;
      return span;
    };
    const facts = el(
      'div',
      'sparklet-facts',
      // a stopped context's facts come from its application (the session has none any more)
      fact(trans.__('master'), s.master ?? str(snap.application.master) ?? '—'),
      fact(trans.__('app'), s.appName ?? str(snap.application.appName) ?? '—'),
      fact(trans.__('id'), s.applicationId ?? str(snap.application.appId) ?? '—'),
      fact(trans.__('parallelism'), String(s.defaultParallelism ?? '—'))
    );
    const headers = [
      trans.__('executor'),
      trans.__('state'),
      trans.__('cores'),
      trans.__('memory'),
      trans.__('active'),
      trans.__('done'),
      trans.__('failed'),
      trans.__('killed')
    ];
    const rows = snap.executors.map(e => ({
      cls: e.isActive ? '' : 'sparklet-mod-removed',
      attrs: { executorId: e.executorId },
      title: trans.__('pid %1 on %2', e.pid, e.host),
      cells: [
        e.executorId,
        e.isActive ? trans.__('active') : e.removeReason ? trans.__('removed: %1', e.removeReason) : trans.__('removed'),
        String(e.totalCores),
        e.maxMemory ? bytes(e.maxMemory) : '—',
        count(num(e.activeTasks)),
        count(num(e.completedTasks)),
        count(num(e.failedTasks)),
        count(num(e.killedTasks))
      ]
    }));
    this.sessionView.replaceChildren(
      el('h3', '', trans.__('Session')),
      facts,
      table('sparklet-executors', headers, rows)
    );
  }

  private drawJobs(snap: ISnapshot): void {
    const trans = this.trans;
    const jobs = [...snap.jobs].reverse();
    const list = el('div', 'sparklet-job-list');
    if (!jobs.length) {
      list.append(el('div', 'sparklet-note', trans.__('No jobs yet: run an action (collect, count, …) in the notebook.')));
    }
    const selected = this.selectedJob(snap);
    const live = this.model instanceof SessionModel ? this.model : null;
    for (const job of jobs) {
      const row = jobRow(trans, job);
      if (selected && job.jobId === selected.jobId) {
        row.classList.add('sparklet-mod-selected');
      }
      row.addEventListener('click', () => {
        this.selected = job.jobId;
        this.detail = null;
        this.schedule();
      });
      if (job.status === 'running' && live) {
        const cancel = cancelButton(trans, job.jobId);
        cancel.addEventListener('click', ev => {
          ev.stopPropagation();
          cancel.disabled = true;
          void live.cancelJob(job.jobId).then(() => live.refresh());
        });
        row.append(cancel);
      }
      list.append(row);
    }
    this.jobsView.replaceChildren(el('h3', '', trans.__('Jobs (%1)', jobs.length)), list);
  }

  /** The job the user picked, else the latest one. */
  private selectedJob(snap: ISnapshot): IJob | null {
    const picked = snap.jobs.find(j => j.jobId === this.selected);
    return picked ?? snap.jobs[snap.jobs.length - 1] ?? null;
  }

  private drawDetail(snap: ISnapshot, width: number): void {
    const trans = this.trans;
    const job = this.selectedJob(snap);
    this.detailView.hidden = !job;
    if (!job) {
      return;
    }
    this.fetchDetail(job);
    const detail = this.detail && this.detail.job.jobId === job.jobId ? this.detail : null;
    const head = el('h3', 'sparklet-detail-title', trans.__('Job %1: %2', job.jobId, job.description));
    head.title = job.description;
    this.detailHead.replaceChildren(head);
    if (job.error) {
      this.detailHead.append(el('div', 'sparklet-job-error', job.error));
    }
    // stage counters come from the snapshot (always fresh); durations from the latest detail
    const list = el('div', 'sparklet-stage-list');
    const now = job.completionTime ?? (job.status === 'running' ? Date.now() : job.submissionTime + job.durationMs);
    for (const stage of job.stages ?? []) {
      const row = stageRow(trans, stage, now);
      const d = detail?.durations.find(x => x.stageId === stage.stageId);
      if (d) {
        const q = el(
          'div',
          'sparklet-stage-durations',
          trans.__('task time min %1 · median %2 · p75 %3 · max %4', duration(d.min), duration(d.median), duration(d.p75), duration(d.max))
        );
        row.append(q);
      }
      list.append(row);
    }
    this.stagesView.replaceChildren(el('h4', '', trans.__('Stages')), list);
    if (!detail) {
      this.dagKey = '';
      this.timelineOf = null;
      this.dagView.replaceChildren();
      this.timelineView.replaceChildren();
      this.tasksView.replaceChildren();
      return;
    }
    const dag = detail.job.dag;
    const key = `${job.jobId}:${JSON.stringify(dag)}`;
    if (dag && key !== this.dagKey) {
      this.dagKey = key;
      this.dagView.replaceChildren(el('h4', '', trans.__('DAG')), localiseDag(renderDag(dag, (m, ...a) => trans.__(m, ...a)), trans));
    }
    // the timeline changes only with a new detail (at most once a second) or a new width
    if (detail !== this.timelineOf || width !== this.timelineWidth) {
      this.timelineOf = detail;
      this.timelineWidth = width;
      this.timelineView.replaceChildren(
        el('h4', '', trans.__('Event timeline')),
        renderTimeline(detail, snap.executors, width, Date.now(), trans)
      );
      this.drawTasks(detail);
    }
  }

  /** Every task attempt of the job (of the kernel's sample past 2,000): Spark's task table. */
  private drawTasks(detail: IJobDetail): void {
    const trans = this.trans;
    const spans: TaskSpan[] = [...detail.spans].sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
    const stateOf = (s: string) =>
      s === 'SUCCESS' ? statusText(trans, 'succeeded') : s === 'KILLED' ? trans.__('killed') : statusText(trans, 'failed');
    const rows = [
      ...(detail.running ?? []).map(([stageId, partition, attempt, executorId, launch]) => ({
        cls: 'sparklet-mod-running',
        attrs: { state: 'RUNNING' },
        cells: [String(stageId), String(partition), String(attempt), executorId, duration(Date.now() - launch), statusText(trans, 'running'), '']
      })),
      ...spans.slice(0, MAX_TASK_ROWS).map(([stageId, partition, attempt, executorId, launch, finish, status, error]) => {
        const err = el('span', 'sparklet-task-error', error ?? '');
        if (error) {
          err.title = error;
        }
        return {
          cls: status === 'SUCCESS' ? '' : status === 'KILLED' ? 'sparklet-mod-killed' : 'sparklet-mod-failed',
          attrs: { state: status },
          cells: [String(stageId), String(partition), String(attempt), executorId, duration(finish - launch), stateOf(status), err]
        };
      })
    ];
    const headers = [
      trans.__('stage'),
      trans.__('partition'),
      trans.__('attempt'),
      trans.__('executor'),
      trans.__('duration'),
      trans.__('state'),
      trans.__('error')
    ];
    const box = el('details', 'sparklet-task-table');
    box.open = this.tasksOpen ?? spans.length <= 50;
    box.addEventListener('toggle', () => (this.tasksOpen = box.open));
    const total = detail.totalTasks + (detail.running?.length ?? 0);
    box.append(el('summary', '', trans._n('Tasks (%1)', 'Tasks (%1)', total)), table('sparklet-tasks', headers, rows));
    if (spans.length > MAX_TASK_ROWS || detail.totalTasks > spans.length) {
      box.append(el('div', 'sparklet-note', trans.__('%1 of %2 task attempts listed', count(Math.min(spans.length, MAX_TASK_ROWS)), count(detail.totalTasks))));
    }
    this.tasksView.replaceChildren(box);
  }

  private fetchDetail(job: IJob): void {
    const model = this.model;
    const have = this.detail;
    const fresh =
      have !== null && have.job.jobId === job.jobId && have.job.status === job.status &&
      (job.status !== 'running' || Date.now() - this.detailAt < DETAIL_INTERVAL_MS);
    // a job the kernel no longer knows (it keeps the latest 200) is not asked for again
    const failedBefore = this.detailFailed === `${job.jobId}:${job.status}`;
    if (!model || fresh || failedBefore || this.detailPending) {
      if (!fresh && this.detailPending) {
        this.detailAgain = true;
      }
      return;
    }
    this.detailPending = true;
    this.detailAt = Date.now();
    model
      .jobDetail(job.jobId)
      .then(detail => {
        if (model === this.model) {
          this.detail = detail;
        }
      })
      .catch(e => {
        this.detailFailed = `${job.jobId}:${job.status}`;
        console.warn('Sparklet: job detail request failed', e);
      })
      .finally(() => {
        this.detailPending = false;
        const again = this.detailAgain || job.status === 'running';
        this.detailAgain = false;
        this.schedule();
        if (again) {
          window.setTimeout(() => this.schedule(), DETAIL_INTERVAL_MS);
        }
      });
  }

  private drawStorage(snap: ISnapshot): void {
    const trans = this.trans;
    const children: HTMLElement[] = [el('h3', '', trans.__('Storage (%1)', snap.storage.length))];
    if (!snap.storage.length) {
      children.push(el('div', 'sparklet-note', trans.__('Nothing cached: rdd.cache() or persist() keeps partitions for later jobs.')));
    } else {
      const headers = [trans.__('RDD'), trans.__('storage level'), trans.__('cached partitions'), trans.__('in memory'), trans.__('on disk')];
      // a deserialized level's sizes are an estimate of the Python objects, said so beside them
      const size = (r: ICachedRDD, n: number) => {
        if (r.sizeKind !== 'estimated' || !n) {
          return bytes(n);
        }
        const span = el('span', 'sparklet-size-estimated', trans.__('≈ %1 (estimate)', bytes(n)));
        span.title = trans.__('Estimated from the sizes of the cached Python objects (a deserialized storage level)');
        return span;
      };
      const rows = snap.storage.map(r => ({
        attrs: { rddId: String(r.rddId), sizeKind: r.sizeKind ?? '' },
        title: r.name,
        cells: [
          `${r.rddId}${r.name ? ' · ' + r.name : ''}`,
          r.storageLevel,
          count(num(r.numCachedPartitions)),
          size(r, num(r.memSize)),
          size(r, num(r.diskSize))
        ]
      }));
      children.push(table('sparklet-storage', headers, rows));
    }
    this.storageView.replaceChildren(...children);
  }

  private model: IPanelSource | null = null;
  private trans: ITrans = english;
  private selected: number | null = null;
  private detail: IJobDetail | null = null;
  private detailAt = 0;
  private detailPending = false;
  private detailAgain = false;
  private detailFailed = '';
  private dagKey = '';
  private frame = 0;
  private timelineWidth = 0;
  private timelineOf: IJobDetail | null = null;
  private tasksOpen: boolean | null = null;
  private replayPending = '';
  private replayError = '';
  private header = el('div', 'sparklet-panel-header');
  private sessionView = el('section', 'sparklet-section sparklet-session');
  private jobsView = el('section', 'sparklet-section sparklet-jobs');
  private detailView = el('section', 'sparklet-section sparklet-job-detail');
  private detailHead = el('div', 'sparklet-detail-head');
  private stagesView = el('div', 'sparklet-detail-stages');
  private dagView = el('div', 'sparklet-detail-dag');
  private timelineView = el('div', 'sparklet-detail-timeline');
  private tasksView = el('div', 'sparklet-detail-tasks');
  private storageView = el('section', 'sparklet-section sparklet-storage-view');
}
