/**
 * The rich form of the kernel's in-cell job display (`application/vnd.sparklet.jobs+json`).
 * The kernel updates the display in place a few times a second; JupyterLab hands each update to
 * the same renderer, so which jobs are expanded survives updates.
 *
 * A running job's row has a Cancel button that sends `cancel_job` on the control channel through
 * the session model of the notebook holding this output, so it works while the cell runs. It is
 * offered only while that kernel's latest snapshot also has the job running: a display restored
 * from a saved notebook, or left behind by a kernel restart, may show jobs as running that ended
 * long ago and whose ids a newer SparkContext has since given to other jobs. Nothing of it
 * reaches the saved notebook (the bundle's HTML stays as the kernel wrote it).
 *
 * Registered by its own plugin (index.ts) in the application's rendermime registry, so it gets the
 * sessions and the translator as services rather than through module state.
 */

import { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';

import { ICellJobs, IDag, JOBS_MIME_TYPE } from './protocol';
import { renderDag } from './dag';
import { localiseDag } from './dagtext';
import { el } from './format';
import { english, ITrans } from './i18n';
import { cancelButton, jobRow, stageRow } from './jobs';
import type { SessionModel } from './session';
import { ISparkletSessions, ISparkletTranslator } from './tokens';

export class JobsRenderer extends Widget implements IRenderMime.IRenderer {
  /** Jobs the user opened or closed; the others follow the default (latest job open). */
  private toggled = new Map<number, boolean>();
  private data: ICellJobs | null = null;

  constructor(
    private sessions: ISparkletSessions | null,
    private translator: ISparkletTranslator | null
  ) {
    super();
    this.addClass('sparklet-cell-jobs');
    this.translator?.changed.connect(this.onLanguage, this);
  }

  dispose(): void {
    this.translator?.changed.disconnect(this.onLanguage, this);
    super.dispose();
  }

  /** Strings are cached per language, so an unchanged language is the same object: no redraw. */
  private onLanguage(): void {
    const trans = this.translator?.forNode(this.node) ?? english;
    if (trans !== this.trans) {
      this.trans = trans;
      this.draw();
    }
  }

  renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    this.data = model.data[JOBS_MIME_TYPE] as unknown as ICellJobs;
    this.draw();
    return Promise.resolve();
  }

  /** The notebook holding this output is known only once the output is on the page. */
  protected onAfterAttach(): void {
    this.trans = this.translator?.forNode(this.node) ?? english;
    this.session = this.sessions?.sessionOf(this.node) ?? null;
    this.session?.changed.connect(this.onSnapshot, this);
    this.draw();
  }

  protected onBeforeDetach(): void {
    this.session?.changed.disconnect(this.onSnapshot, this);
    this.session = null;
  }

  /** Snapshots come up to four times a second; the rows are redrawn only when a Cancel button
   * comes or goes. */
  private onSnapshot(): void {
    if (this.cancellable().join(',') !== this.drawnCancellable) {
      this.draw();
    }
  }

  /** The ids of this display's running jobs that the kernel's snapshot has running too (same id,
   * same submission time). */
  private cancellable(): number[] {
    const jobs = this.data?.jobs.filter(j => j.status === 'running') ?? [];
    const snapshot = this.session && !this.session.isDisposed ? this.session.snapshot : null;
    if (!jobs.length || !snapshot) {
      return [];
    }
    const running = new Set(
      snapshot.jobs.filter(j => j.status === 'running').map(j => `${j.jobId}@${j.submissionTime}`)
    );
    return jobs.filter(j => running.has(`${j.jobId}@${j.submissionTime}`)).map(j => j.jobId);
  }

  private draw(): void {
    const data = this.data;
    if (!data) {
      return;
    }
    const trans = this.trans;
    const now = Date.now();
    const list = el('div', 'sparklet-job-list');
    if (data.hiddenJobs > 0) {
      list.append(el('div', 'sparklet-note', trans._n('%1 earlier job of this cell not shown', '%1 earlier jobs of this cell not shown', data.hiddenJobs)));
    }
    const last = data.jobs.length ? data.jobs[data.jobs.length - 1].jobId : -1;
    const cancellable = this.cancellable();
    this.drawnCancellable = cancellable.join(',');
    for (const job of data.jobs) {
      const open = this.toggled.get(job.jobId) ?? job.jobId === last;
      const row = jobRow(trans, job);
      const toggle = el('button', 'sparklet-toggle', open ? '▾' : '▸');
      toggle.title = open ? trans.__('Hide stages and DAG') : trans.__('Show stages and DAG');
      toggle.addEventListener('click', () => {
        this.toggled.set(job.jobId, !open);
        this.draw();
      });
      row.prepend(toggle);
      if (this.session && cancellable.includes(job.jobId)) {
        row.append(this.cancelOf(this.session, job.jobId));
        const failure = this.cancelFailures.get(job.jobId);
        if (failure) {
          row.append(el('div', 'sparklet-cancel-failure', failure));
        }
      }
      list.append(row);
      if (open) {
        const details = el('div', 'sparklet-job-details');
        details.dataset.jobId = String(job.jobId);
        if (job.status === 'interrupted') {
          details.append(el('div', 'sparklet-note sparklet-interrupted-note', trans.__('The kernel stopped before this job ended.')));
        }
        // a job's stages end when it does: a finished job's elapsed times stop at its end
        const end = job.completionTime ?? (job.status === 'running' ? now : job.submissionTime + job.durationMs);
        for (const stage of job.stages ?? []) {
          details.append(stageRow(trans, stage, end));
        }
        if (job.error) {
          details.append(el('div', 'sparklet-job-error', job.error));
        }
        if (job.dag && job.dag.stages.length) {
          details.append(this.dagOf(job.jobId, job.dag));
        }
        list.append(details);
      }
    }
    this.node.replaceChildren(list);
  }

  /** Stays disabled from the click until the job ends, across the display's updates; a failed
   * request enables it again under the reason. */
  private cancelOf(session: SessionModel, jobId: number): HTMLButtonElement {
    const button = cancelButton(this.trans, jobId);
    button.disabled = this.cancelling.has(jobId);
    button.addEventListener('click', () => {
      this.cancelling.add(jobId);
      this.cancelFailures.delete(jobId);
      this.draw();
      session.cancelJob(jobId).catch((e: Error) => {
        this.cancelling.delete(jobId);
        this.cancelFailures.set(jobId, this.trans.__('Could not cancel job %1: %2', jobId, e.message));
        this.draw();
      });
    });
    return button;
  }

  /** A job's DAG changes only when the job ends; redrawing it ten times a second costs style
   * recalculation across the page, so the drawing is reused while its data is the same. */
  private dagOf(jobId: number, dag: IDag): HTMLElement {
    const key = `${this.trans.language}:${JSON.stringify(dag)}`;
    const cached = this.dags.get(jobId);
    if (cached && cached.key === key) {
      return cached.node;
    }
    const node = localiseDag(renderDag(dag, (m, ...a) => this.trans.__(m, ...a)), this.trans);
    this.dags.set(jobId, { key, node });
    return node;
  }

  private dags = new Map<number, { key: string; node: HTMLElement }>();
  private trans: ITrans = english;
  private session: SessionModel | null = null;
  private drawnCancellable = '';
  private cancelling = new Set<number>();
  private cancelFailures = new Map<number, string>();
}

export function rendererFactory(
  sessions: ISparkletSessions | null,
  translator: ISparkletTranslator | null
): IRenderMime.IRendererFactory {
  return {
    safe: true,
    mimeTypes: [JOBS_MIME_TYPE],
    createRenderer: () => new JobsRenderer(sessions, translator)
  };
}
