/**
 * The rich form of the kernel's in-cell job display (`application/vnd.sparklet.jobs+json`).
 * The kernel updates the display in place a few times a second; JupyterLab hands each update to
 * the same renderer, so which jobs are expanded survives updates.
 */

import { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';

import { ICellJobs, IDag, JOBS_MIME_TYPE } from './protocol';
import { renderDag } from './dag';
import { el } from './format';
import { jobRow, stageRow } from './jobs';

export class JobsRenderer extends Widget implements IRenderMime.IRenderer {
  /** Jobs the user opened or closed; the others follow the default (latest job open). */
  private toggled = new Map<number, boolean>();
  private data: ICellJobs | null = null;

  constructor() {
    super();
    this.addClass('sparklet-cell-jobs');
  }

  renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    this.data = model.data[JOBS_MIME_TYPE] as unknown as ICellJobs;
    this.draw();
    return Promise.resolve();
  }

  private draw(): void {
    const data = this.data;
    if (!data) {
      return;
    }
    const list = el('div', 'sparklet-job-list');
    if (data.hiddenJobs > 0) {
      list.append(el('div', 'sparklet-note', `${data.hiddenJobs} earlier job${data.hiddenJobs === 1 ? '' : 's'} of this cell not shown`));
    }
    const last = data.jobs.length ? data.jobs[data.jobs.length - 1].jobId : -1;
    for (const job of data.jobs) {
      const open = this.toggled.get(job.jobId) ?? job.jobId === last;
      const row = jobRow(job);
      const toggle = el('button', 'sparklet-toggle', open ? '▾' : '▸');
      toggle.title = open ? 'Hide stages and DAG' : 'Show stages and DAG';
      toggle.addEventListener('click', () => {
        this.toggled.set(job.jobId, !open);
        this.draw();
      });
      row.prepend(toggle);
      list.append(row);
      if (open) {
        const details = el('div', 'sparklet-job-details');
        details.dataset.jobId = String(job.jobId);
        for (const stage of job.stages) {
          details.append(stageRow(stage));
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

  /** A job's DAG changes only when the job ends; redrawing it ten times a second costs style
   * recalculation across the page, so the drawing is reused while its data is the same. */
  private dagOf(jobId: number, dag: IDag): HTMLElement {
    const key = JSON.stringify(dag);
    const cached = this.dags.get(jobId);
    if (cached && cached.key === key) {
      return cached.node;
    }
    const node = renderDag(dag);
    this.dags.set(jobId, { key, node });
    return node;
  }

  private dags = new Map<number, { key: string; node: HTMLElement }>();
}

export const rendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [JOBS_MIME_TYPE],
  createRenderer: () => new JobsRenderer()
};
