/**
 * Restart finalisation: a kernel that restarts or dies while a cell's jobs run never sends the
 * display's final update, so the display (and the saved notebook) would say "running" forever.
 * When a notebook's kernel is lost, every Sparklet job display of that notebook still showing a
 * running job is rewritten in the notebook model: the running jobs and their unfinished stages
 * become `interrupted`, and the bundle's `text/html` and `text/plain` forms are written anew so
 * the saved notebook says so too (nbconvert, GitHub and other frontends read those).
 *
 * A notebook saved before this existed, or while no page watched its kernel, may open with
 * displays saying "running": once its kernel answers, jobs submitted before that kernel's
 * application started are finalised the same way.
 */

import { NotebookPanel } from '@jupyterlab/notebook';
import { IOutputModel } from '@jupyterlab/rendermime';

import { bytes, count, duration, num } from './format';
import { ITrans } from './i18n';
import { statusText } from './jobs';
import { ICellJobs, IJob, IStage, JOBS_MIME_TYPE } from './protocol';
import type { KernelFate } from './session';

function esc(s: string): string {
  return s.replace(/[&<>"]/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** The cell's jobs with every running one `stale` says cannot be running any more interrupted at
 * `now` (pure; the input is not changed). */
export function interruptJobs(data: ICellJobs, now: number, stale: (job: IJob) => boolean = () => true): ICellJobs {
  const jobs = data.jobs.map(job => {
    if (job.status !== 'running' || !stale(job)) {
      return job;
    }
    const stages: IStage[] = (job.stages ?? []).map(s =>
      s.status === 'active' || s.status === 'pending'
        ? { ...s, status: 'interrupted', running: 0, completionTime: s.submissionTime ? now : null }
        : s
    );
    return {
      ...job,
      status: 'interrupted',
      numActiveTasks: 0,
      completionTime: null,
      durationMs: Math.max(num(job.durationMs), now - num(job.submissionTime)),
      stages
    } as IJob;
  });
  return { ...data, jobs };
}

const TD = 'padding:2px 8px;text-align:left;vertical-align:top;border:none;';
const MUTED = 'color:var(--jp-ui-font-color2,#57606a)';

function stageHtml(trans: ITrans, s: IStage): string {
  const facts: string[] = [];
  if (s.status === 'skipped') {
    facts.push(trans.__('skipped: its shuffle output already exists'));
  } else {
    facts.push(`${count(num(s.completed))}/${count(num(s.numTasks))}`);
    if (num(s.failed)) {
      facts.push(trans.__('%1 failed', count(num(s.failed))));
    }
    if (num(s.retries)) {
      facts.push(trans.__('%1 retried', count(num(s.retries))));
    }
    if (num(s.killed)) {
      facts.push(trans.__('%1 killed', count(num(s.killed))));
    }
    if (num(s.shuffleWriteBytes) || num(s.shuffleWriteRecords)) {
      facts.push(
        trans._n('shuffle write %2 / %1 record', 'shuffle write %2 / %1 records', num(s.shuffleWriteRecords), bytes(num(s.shuffleWriteBytes)))
      );
    }
    if (num(s.shuffleReadBytes) || num(s.shuffleReadRecords)) {
      facts.push(
        trans._n('shuffle read %2 / %1 record', 'shuffle read %2 / %1 records', num(s.shuffleReadRecords), bytes(num(s.shuffleReadBytes)))
      );
    }
  }
  return (
    `<tr data-stage-id="${s.stageId}" data-status="${esc(s.status)}"><td style="${TD}padding-left:20px">` +
    `${esc(trans.__('Stage %1', s.stageId))} <span style="${MUTED}">${esc(s.name)}</span></td>` +
    `<td style="${TD}">${esc(statusText(trans, s.status))}</td><td style="${TD}">${esc(facts.join(' · '))}</td></tr>`
  );
}

/** A self-contained HTML form of the finalised display (inline styles, theme variables with
 * light fallbacks, no script). */
export function finalHtml(trans: ITrans, data: ICellJobs): string {
  const rows: string[] = [];
  for (const job of data.jobs) {
    const lost = job.lostExecutors ?? [];
    const extra = [
      `${count(num(job.numCompletedTasks))}/${count(num(job.numTasks))}`,
      duration(job.durationMs),
      ...(lost.length ? [trans._n('lost executor %2', 'lost executors %2', lost.length, lost.join(', '))] : [])
    ];
    rows.push(
      `<tr class="sparklet-job-row" data-job-id="${job.jobId}" data-status="${esc(job.status)}" ` +
        `style="border-top:1px solid var(--jp-border-color2,#d0d7de)"><td style="${TD}"><b>${esc(trans.__('Job %1', job.jobId))}</b> ` +
        `${esc(job.description)}</td><td style="${TD}"><b>${esc(statusText(trans, job.status))}</b></td>` +
        `<td style="${TD}">${esc(extra.join(' · '))}</td></tr>`
    );
    if (job.status === 'interrupted') {
      rows.push(`<tr><td colspan="3" style="${TD}${MUTED}">${esc(trans.__('The kernel stopped before this job ended.'))}</td></tr>`);
    }
    for (const s of job.stages ?? []) {
      rows.push(stageHtml(trans, s));
    }
  }
  return (
    '<div class="sparklet-jobs" style="font-family:var(--jp-ui-font-family,sans-serif);font-size:12px;' +
    `color:var(--jp-ui-font-color1,#1f2328)"><table style="border-collapse:collapse;border:none;margin:0">` +
    `<tbody>${rows.join('')}</tbody></table></div>`
  );
}

export function finalText(trans: ITrans, data: ICellJobs): string {
  const lines: string[] = [];
  for (const job of data.jobs) {
    lines.push(`${trans.__('Job %1', job.jobId)} (${job.description}) ${statusText(trans, job.status)}`);
    for (const s of job.stages ?? []) {
      lines.push(`  [${trans.__('Stage %1', s.stageId)}: ${statusText(trans, s.status)} ${num(s.completed)}/${num(s.numTasks)}]`);
    }
  }
  return lines.join('\n');
}

/** Rewrite the notebook's job displays that still show running jobs (those `stale` picks);
 * returns how many displays changed. */
export function finaliseNotebook(
  panel: NotebookPanel,
  trans: ITrans,
  fate: KernelFate | 'earlier-kernel',
  now: number = Date.now(),
  stale: (job: IJob) => boolean = () => true
): number {
  const cells = panel.model?.cells;
  if (!cells) {
    return 0;
  }
  let changed = 0;
  for (let c = 0; c < cells.length; c++) {
    const cell = cells.get(c) as any;
    const outputs = cell.type === 'code' ? cell.outputs : null;
    if (!outputs) {
      continue;
    }
    for (let i = 0; i < outputs.length; i++) {
      const output = outputs.get(i) as IOutputModel;
      const data = output.data[JOBS_MIME_TYPE] as unknown as ICellJobs | undefined;
      if (!data || !Array.isArray(data.jobs) || !data.jobs.some(j => j.status === 'running' && stale(j))) {
        continue;
      }
      const final = interruptJobs(data, now, stale);
      const json = output.toJSON() as any;
      json.data = {
        ...json.data,
        [JOBS_MIME_TYPE]: { ...final, interruptedBy: fate },
        'text/html': finalHtml(trans, final),
        'text/plain': finalText(trans, final)
      };
      outputs.set(i, json);
      changed++;
    }
  }
  return changed;
}
