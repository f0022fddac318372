/**
 * Job rows and stage rows: the pieces the cell display and the panel share, so both show the same
 * facts as the kernel's HTML form: per stage its tasks (completed, running, failed, killed,
 * retried), elapsed time, input records, shuffle read and write; per job the lost executors and
 * skipped stages. Counters are read with `num()`: a kernel of another version may lack some.
 */

import { IJob, IStage } from './protocol';
import { bytes, count, duration, el, num } from './format';
import { ITrans } from './i18n';

/** A bar of completed / running / failed tasks out of `total`. */
export function taskBar(trans: ITrans, total: number, completed: number, running: number, failed: number): HTMLElement {
  const bar = el('div', 'sparklet-bar');
  const t = Math.max(total, 1);
  const seg = (cls: string, n: number) => {
    if (n > 0) {
      const s = el('div', `sparklet-bar-seg ${cls}`);
      s.style.width = `${Math.min(100, (100 * n) / t)}%`;
      bar.append(s);
    }
  };
  seg('sparklet-mod-completed', completed);
  seg('sparklet-mod-running', Math.min(running, Math.max(0, total - completed)));
  seg('sparklet-mod-failed', failed);
  bar.title = trans.__(
    '%1 completed, %2 running, %3 failed of %4 tasks',
    count(completed),
    count(running),
    count(failed),
    count(total)
  );
  return bar;
}

export function percent(job: IJob): number {
  if (num(job.numTasks) === 0) {
    return job.status === 'running' ? 0 : 100;
  }
  return Math.floor((100 * num(job.numCompletedTasks)) / num(job.numTasks));
}

interface ITaskCounts {
  total: number;
  completed: number;
  running: number;
  failed: number;
  killed: number;
  retried: number;
}

/** `3/4 (1 running) · 1 failed · 1 retried · 2 killed`: retried and killed apart from failed, as Spark counts them. */
function tasksText(trans: ITrans, c: ITaskCounts): string {
  let s = `${count(c.completed)}/${count(c.total)}`;
  if (c.running > 0) {
    s += ' ' + trans.__('(%1 running)', count(c.running));
  }
  if (c.failed > 0) {
    s += ' · ' + trans.__('%1 failed', count(c.failed));
  }
  if (c.retried > 0) {
    s += ' · ' + trans.__('%1 retried', count(c.retried));
  }
  if (c.killed > 0) {
    s += ' · ' + trans.__('%1 killed', count(c.killed));
  }
  return s;
}

/** A job's or stage's status word, translated. */
export function statusText(trans: ITrans, status: string): string {
  switch (status) {
    case 'running':
      return trans.__('running');
    case 'succeeded':
      return trans.__('succeeded');
    case 'failed':
      return trans.__('failed');
    case 'cancelled':
      return trans.__('cancelled');
    case 'interrupted':
      return trans.__('interrupted');
    case 'pending':
      return trans.__('pending');
    case 'active':
      return trans.__('active');
    case 'complete':
      return trans.__('complete');
    case 'skipped':
      return trans.__('skipped');
    default:
      return status;
  }
}

export function statusBadge(trans: ITrans, status: string): HTMLElement {
  return el('span', `sparklet-status sparklet-mod-${status}`, statusText(trans, status));
}

/** A description shown whole: it wraps where there is room, and its tooltip has all of it. */
function description(job: IJob): HTMLElement {
  const desc = el('span', 'sparklet-job-desc', job.description);
  desc.title = job.callSite && job.callSite !== job.description ? `${job.description}\n${job.callSite}` : job.description;
  return desc;
}

/** One job as a row: id, description, status, bar, task counts, stages, duration, lost executors. */
export function jobRow(trans: ITrans, job: IJob): HTMLElement {
  const stages = job.stages ?? [];
  const live = stages.filter(s => s.status !== 'skipped');
  const done = live.filter(s => s.status === 'complete').length;
  const skipped = num(job.numSkippedStages);
  let stagesText = trans._n('%2/%1 stage', '%2/%1 stages', live.length, done);
  if (skipped) {
    stagesText += ' ' + trans.__('(%1 skipped)', skipped);
  }
  const counts: ITaskCounts = {
    total: num(job.numTasks),
    completed: num(job.numCompletedTasks),
    running: num(job.numActiveTasks),
    failed: num(job.numFailedTasks),
    killed: num(job.numKilledTasks),
    retried: num(job.numRetriedTasks)
  };
  const row = el(
    'div',
    `sparklet-job sparklet-mod-${job.status}`,
    el('span', 'sparklet-job-id', trans.__('Job %1', job.jobId)),
    description(job),
    statusBadge(trans, job.status),
    taskBar(trans, counts.total, counts.completed, counts.running, counts.failed),
    el('span', 'sparklet-job-pct', `${percent(job)} %`),
    el('span', 'sparklet-job-tasks', tasksText(trans, counts)),
    el('span', 'sparklet-job-stages', stagesText),
    el('span', 'sparklet-job-duration', duration(job.durationMs))
  );
  const lost = job.lostExecutors ?? [];
  if (lost.length) {
    const flag = el(
      'span',
      'sparklet-job-lost',
      trans._n('lost executor %2', 'lost executors %2', lost.length, lost.join(', '))
    );
    flag.title = trans.__('Executors removed while this job ran; their tasks ran again elsewhere.');
    row.append(flag);
  }
  row.dataset.jobId = String(job.jobId);
  row.dataset.status = job.status;
  row.dataset.submitted = String(job.submissionTime);
  return row;
}

/** The Cancel button of a running job's row; each view sends the request its own way. */
export function cancelButton(trans: ITrans, jobId: number): HTMLButtonElement {
  const button = el('button', 'sparklet-button sparklet-cancel-job', trans.__('Cancel'));
  button.title = trans.__('Cancel job %1 (works while the cell is running)', jobId);
  return button;
}

/** The metrics of a stage Spark's stage table shows, each in its own span (empty ones left out). */
export function stageMetrics(trans: ITrans, stage: IStage, now: number): HTMLElement | null {
  const parts: HTMLElement[] = [];
  const add = (cls: string, text: string) => parts.push(el('span', `sparklet-metric sparklet-metric-${cls}`, text));
  if (stage.submissionTime) {
    add('elapsed', duration(Math.max(0, (stage.completionTime ?? now) - stage.submissionTime)));
  }
  const inRec = num(stage.inputRecords);
  const inBytes = num(stage.inputBytes);
  if (inRec || inBytes) {
    add(
      'input',
      inBytes
        ? trans._n('input %1 record (%2)', 'input %1 records (%2)', inRec, bytes(inBytes))
        : trans._n('input %1 record', 'input %1 records', inRec)
    );
  }
  const rRec = num(stage.shuffleReadRecords);
  const rBytes = num(stage.shuffleReadBytes);
  if (rRec || rBytes) {
    add('shuffle-read', trans._n('shuffle read %2 / %1 record', 'shuffle read %2 / %1 records', rRec, bytes(rBytes)));
  }
  const wRec = num(stage.shuffleWriteRecords);
  const wBytes = num(stage.shuffleWriteBytes);
  if (wRec || wBytes) {
    add('shuffle-write', trans._n('shuffle write %2 / %1 record', 'shuffle write %2 / %1 records', wRec, bytes(wBytes)));
  }
  if (!parts.length) {
    return null;
  }
  const box = el('div', 'sparklet-stage-metrics');
  parts.forEach((p, i) => box.append(...(i ? [' · ', p] : [p])));
  return box;
}

/** One stage as a row: skipped stages say so instead of showing a bar; the metrics line follows. */
export function stageRow(trans: ITrans, stage: IStage, now: number = Date.now()): HTMLElement {
  const kind = stage.kind === 'shuffleMap' ? trans.__('shuffle map') : trans.__('result');
  const name = el('span', 'sparklet-stage-name', `${stage.name} · ${kind}`);
  name.title = stage.name;
  const row = el('div', `sparklet-stage sparklet-mod-${stage.status}`, el('span', 'sparklet-stage-id', trans.__('Stage %1', stage.stageId)), name);
  row.dataset.stageId = String(stage.stageId);
  row.dataset.status = stage.status;
  if (stage.status === 'skipped') {
    row.append(el('span', 'sparklet-stage-skipped', trans.__('skipped: its shuffle output already exists')));
    return row;
  }
  const counts: ITaskCounts = {
    total: num(stage.numTasks),
    completed: num(stage.completed),
    running: num(stage.running),
    failed: num(stage.failed),
    killed: num(stage.killed),
    retried: num(stage.retries)
  };
  row.append(
    taskBar(trans, counts.total, counts.completed, counts.running, counts.failed),
    el('span', 'sparklet-stage-tasks', tasksText(trans, counts)),
    el('span', 'sparklet-stage-status', statusText(trans, stage.status))
  );
  const metrics = stageMetrics(trans, stage, now);
  if (metrics) {
    row.append(metrics);
  }
  if (stage.failureReason) {
    row.append(el('div', 'sparklet-stage-failure', stage.failureReason));
  }
  return row;
}
