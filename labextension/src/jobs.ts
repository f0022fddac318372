/** Job rows and stage bars: the pieces the cell display and the panel share. */

import { IJob, IStage } from './protocol';
import { count, duration, el } from './format';

/** A bar of completed / running / failed tasks out of `total`. */
export function taskBar(total: number, completed: number, running: number, failed: number): HTMLElement {
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
  bar.title = `${count(completed)} completed, ${count(running)} running, ${count(failed)} failed of ${count(total)} tasks`;
  return bar;
}

export function percent(job: IJob): number {
  if (job.numTasks === 0) {
    return job.status === 'running' ? 0 : 100;
  }
  return Math.floor((100 * job.numCompletedTasks) / job.numTasks);
}

function tasksText(total: number, completed: number, running: number, failed: number): string {
  let s = `${count(completed)}/${count(total)}`;
  if (running > 0) {
    s += ` (${count(running)} running)`;
  }
  if (failed > 0) {
    s += ` · ${count(failed)} failed`;
  }
  return s;
}

export function statusBadge(status: string): HTMLElement {
  return el('span', `sparklet-status sparklet-mod-${status}`, status);
}

/** One job as a row: id, description, status, bar, task counts, stages, duration. */
export function jobRow(job: IJob): HTMLElement {
  const live = job.stages.filter(s => s.status !== 'skipped');
  const done = live.filter(s => s.status === 'complete').length;
  const stagesText =
    `${done}/${live.length} stage${live.length === 1 ? '' : 's'}` +
    (job.numSkippedStages ? ` (${job.numSkippedStages} skipped)` : '');
  const row = el(
    'div',
    `sparklet-job sparklet-mod-${job.status}`,
    el('span', 'sparklet-job-id', `Job ${job.jobId}`),
    el('span', 'sparklet-job-desc', job.description),
    statusBadge(job.status),
    taskBar(job.numTasks, job.numCompletedTasks, job.numActiveTasks, job.numFailedTasks),
    el('span', 'sparklet-job-pct', `${percent(job)} %`),
    el('span', 'sparklet-job-tasks', tasksText(job.numTasks, job.numCompletedTasks, job.numActiveTasks, job.numFailedTasks)),
    el('span', 'sparklet-job-stages', stagesText),
    el('span', 'sparklet-job-duration', duration(job.durationMs))
  );
  row.dataset.jobId = String(job.jobId);
  row.dataset.status = job.status;
  row.dataset.submitted = String(job.submissionTime);
  return row;
}

/** The Cancel button of a running job's row; each view sends the request its own way. */
export function cancelButton(jobId: number): HTMLButtonElement {
  const button = el('button', 'sparklet-button sparklet-cancel-job', 'Cancel');
  button.title = `Cancel job ${jobId} (works while the cell is running)`;
  return button;
}

/** One stage as a row: skipped stages say so instead of showing a bar. */
export function stageRow(stage: IStage): HTMLElement {
  const row = el(
    'div',
    `sparklet-stage sparklet-mod-${stage.status}`,
    el('span', 'sparklet-stage-id', `Stage ${stage.stageId}`),
    el('span', 'sparklet-stage-name', `${stage.name}${stage.kind === 'shuffleMap' ? ' · shuffle map' : ' · result'}`)
  );
  row.dataset.stageId = String(stage.stageId);
  row.dataset.status = stage.status;
  if (stage.status === 'skipped') {
    row.append(el('span', 'sparklet-stage-skipped', 'skipped: its shuffle output already exists'));
    return row;
  }
  row.append(
    taskBar(stage.numTasks, stage.completed, stage.running, stage.failed),
    el('span', 'sparklet-stage-tasks', tasksText(stage.numTasks, stage.completed, stage.running, stage.failed)),
    el('span', 'sparklet-stage-status', stage.status)
  );
  if (stage.failureReason) {
    row.append(el('div', 'sparklet-stage-failure', stage.failureReason));
  }
  return row;
}
