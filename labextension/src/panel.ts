/**
 * The "Spark" side panel: the current notebook's session (executors), its jobs (live, with
 * cancel), the selected job's stages, DAG and event timeline, and what is cached.
 *
 * Snapshots arrive up to four times a second; the panel redraws at most once per animation frame
 * and only while visible, and asks for the selected job's details (DAG, task spans) at most once
 * a second while the job runs and once more when it ends. Nothing here grows with the number of
 * tasks: the kernel sends counters, and a sample of spans past 2,000 tasks.
 */

import { Widget } from '@lumino/widgets';

import { IJob, IJobDetail, ISnapshot } from './protocol';
import { SessionModel } from './session';
import { SessionTracker } from './tracker';
import { renderDag } from './dag';
import { renderTimeline } from './timeline';
import { bytes, count, duration, el } from './format';
import { cancelButton, jobRow, stageRow } from './jobs';

const DETAIL_INTERVAL_MS = 1000;

export class SparkPanel extends Widget {
  constructor(tracker: SessionTracker) {
    super();
    this.id = 'sparklet-spark-panel';
    this.addClass('sparklet-panel');
    this.title.caption = 'Spark: jobs, stages, DAG, timeline and storage of this notebook';
    this.node.append(this.header, this.sessionView, this.jobsView, this.detailView, this.storageView);
    this.detailView.append(this.detailHead, this.stagesView, this.dagView, this.timelineView);
    tracker.currentChanged.connect((_, model) => this.bind(model));
    this.bind(tracker.current);
  }

  private bind(model: SessionModel | null): void {
    if (model === this.model) {
      return;
    }
    this.model?.changed.disconnect(this.schedule, this);
    this.model = model;
    model?.changed.connect(this.schedule, this);
    this.selected = null;
    this.detail = null;
    this.dagKey = '';
    this.schedule();
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
    const width = Math.max(240, this.detailView.clientWidth - 4);
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

  private drawHeader(model: SessionModel | null, snap: ISnapshot | null): void {
    let state: string;
    if (!model) {
      state = 'Open a notebook on the Sparklet kernel to see its Spark session.';
    } else if (model.state === 'not-sparklet') {
      state = "This notebook's kernel is not Sparklet.";
    } else if (model.state === 'disconnected') {
      state = 'The kernel is gone.';
    } else if (!snap) {
      state = 'Connecting to the kernel…';
    } else {
      state = snap.session.contextActive ? 'live' : 'no active SparkContext';
    }
    const running = snap ? snap.jobs.filter(j => j.status === 'running').length : 0;
    const cancelAll = el('button', 'sparklet-button sparklet-cancel-all', 'Cancel all jobs');
    cancelAll.disabled = running === 0;
    cancelAll.addEventListener('click', () => void model?.cancelAll().then(() => model.refresh()));
    this.header.replaceChildren(
      el('h2', '', 'Spark'),
      el('span', 'sparklet-connection', state),
      cancelAll
    );
  }

  private drawSession(snap: ISnapshot): void {
    const s = snap.session;
    const facts = el(
      'div',
      'sparklet-facts',
      el('span', '', el('b', '', 'master '), s.master ?? '—'),
      el('span', '', el('b', '', 'app '), s.appName ?? '—'),
      el('span', '', el('b', '', 'id '), s.applicationId ?? '—'),
      el('span', '', el('b', '', 'parallelism '), String(s.defaultParallelism ?? '—'))
    );
    const table = el('table', 'sparklet-table sparklet-executors');
    table.append(
      el('tr', '', ...['executor', 'state', 'cores', 'memory', 'active', 'done', 'failed'].map(h => el('th', '', h)))
    );
    for (const e of snap.executors) {
      const row = el(
        'tr',
        e.isActive ? '' : 'sparklet-mod-removed',
        el('td', '', e.executorId),
        el('td', '', e.isActive ? 'active' : `removed${e.removeReason ? ': ' + e.removeReason : ''}`),
        el('td', '', String(e.totalCores)),
        el('td', '', e.maxMemory ? bytes(e.maxMemory) : '—'),
        el('td', '', count(e.activeTasks)),
        el('td', '', count(e.completedTasks)),
        el('td', '', count(e.failedTasks))
      );
      row.dataset.executorId = e.executorId;
      row.title = `pid ${e.pid} on ${e.host}`;
      table.append(row);
    }
    this.sessionView.replaceChildren(el('h3', '', 'Session'), facts, table);
  }

  private drawJobs(snap: ISnapshot): void {
    const jobs = [...snap.jobs].reverse();
    const list = el('div', 'sparklet-job-list');
    if (!jobs.length) {
      list.append(el('div', 'sparklet-note', 'No jobs yet: run an action (collect, count, …) in the notebook.'));
    }
    const selected = this.selectedJob(snap);
    for (const job of jobs) {
      const row = jobRow(job);
      if (selected && job.jobId === selected.jobId) {
        row.classList.add('sparklet-mod-selected');
      }
      row.addEventListener('click', () => {
        this.selected = job.jobId;
        this.detail = null;
        this.schedule();
      });
      if (job.status === 'running') {
        const cancel = cancelButton(job.jobId);
        cancel.addEventListener('click', ev => {
          ev.stopPropagation();
          cancel.disabled = true;
          void this.model?.cancelJob(job.jobId).then(() => this.model?.refresh());
        });
        row.append(cancel);
      }
      list.append(row);
    }
    this.jobsView.replaceChildren(el('h3', '', `Jobs (${jobs.length})`), list);
  }

  /** The job the user picked, else the latest one. */
  private selectedJob(snap: ISnapshot): IJob | null {
    const picked = snap.jobs.find(j => j.jobId === this.selected);
    return picked ?? snap.jobs[snap.jobs.length - 1] ?? null;
  }

  private drawDetail(snap: ISnapshot, width: number): void {
    const job = this.selectedJob(snap);
    this.detailView.hidden = !job;
    if (!job) {
      return;
    }
    this.fetchDetail(job);
    const detail = this.detail && this.detail.job.jobId === job.jobId ? this.detail : null;
    this.detailHead.replaceChildren(el('h3', '', `Job ${job.jobId}: ${job.description}`));
    if (job.error) {
      this.detailHead.append(el('div', 'sparklet-job-error', job.error));
    }
    // stage counters come from the snapshot (always fresh); durations from the latest detail
    const table = el('div', 'sparklet-stage-list');
    for (const stage of job.stages) {
      const row = stageRow(stage);
      const metrics: string[] = [];
      if (stage.submissionTime) {
        metrics.push(duration((stage.completionTime ?? Date.now()) - stage.submissionTime));
      }
      if (stage.inputRecords) {
        metrics.push(`input ${count(stage.inputRecords)} rec`);
      }
      if (stage.shuffleReadBytes || stage.shuffleReadRecords) {
        metrics.push(`shuffle read ${bytes(stage.shuffleReadBytes)} / ${count(stage.shuffleReadRecords)} rec`);
      }
      if (stage.shuffleWriteBytes || stage.shuffleWriteRecords) {
        metrics.push(`shuffle write ${bytes(stage.shuffleWriteBytes)} / ${count(stage.shuffleWriteRecords)} rec`);
      }
      if (stage.retries) {
        metrics.push(`${count(stage.retries)} retried`);
      }
      const d = detail?.durations.find(x => x.stageId === stage.stageId);
      if (d) {
        metrics.push(
          `task time min ${duration(d.min)} · median ${duration(d.median)} · p75 ${duration(d.p75)} · max ${duration(d.max)}`
        );
      }
      if (metrics.length) {
        row.append(el('div', 'sparklet-stage-metrics', metrics.join(' · ')));
      }
      table.append(row);
    }
    this.stagesView.replaceChildren(el('h4', '', 'Stages'), table);
    if (!detail) {
      this.dagKey = '';
      this.timelineOf = null;
      this.dagView.replaceChildren();
      this.timelineView.replaceChildren();
      return;
    }
    const dag = detail.job.dag;
    const key = `${job.jobId}:${JSON.stringify(dag)}`;
    if (dag && key !== this.dagKey) {
      this.dagKey = key;
      this.dagView.replaceChildren(el('h4', '', 'DAG'), renderDag(dag));
    }
    // the timeline changes only with a new detail (at most once a second) or a new width
    if (detail !== this.timelineOf || width !== this.timelineWidth) {
      this.timelineOf = detail;
      this.timelineWidth = width;
      this.timelineView.replaceChildren(
        el('h4', '', 'Event timeline'),
        renderTimeline(detail, snap.executors, width, Date.now())
      );
    }
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
    const children: HTMLElement[] = [el('h3', '', `Storage (${snap.storage.length})`)];
    if (!snap.storage.length) {
      children.push(el('div', 'sparklet-note', 'Nothing cached: rdd.cache() or persist() keeps partitions for later jobs.'));
    } else {
      const table = el('table', 'sparklet-table sparklet-storage');
      table.append(el('tr', '', ...['RDD', 'storage level', 'cached partitions', 'in memory', 'on disk'].map(h => el('th', '', h))));
      for (const r of snap.storage) {
        const row = el(
          'tr',
          '',
          el('td', '', `${r.rddId}${r.name ? ' · ' + r.name : ''}`),
          el('td', '', r.storageLevel),
          el('td', '', count(r.numCachedPartitions)),
          el('td', '', bytes(r.memSize)),
          el('td', '', bytes(r.diskSize))
        );
        row.dataset.rddId = String(r.rddId);
        table.append(row);
      }
      children.push(table);
    }
    this.storageView.replaceChildren(...children);
  }

  private model: SessionModel | null = null;
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
  private header = el('div', 'sparklet-panel-header');
  private sessionView = el('section', 'sparklet-section sparklet-session');
  private jobsView = el('section', 'sparklet-section sparklet-jobs');
  private detailView = el('section', 'sparklet-section sparklet-job-detail');
  private detailHead = el('div', 'sparklet-detail-head');
  private stagesView = el('div', 'sparklet-detail-stages');
  private dagView = el('div', 'sparklet-detail-dag');
  private timelineView = el('div', 'sparklet-detail-timeline');
  private storageView = el('section', 'sparklet-section sparklet-storage-view');
}
