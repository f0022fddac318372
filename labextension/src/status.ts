/** The status-bar item: the running job's progress and the executor count; a click opens the panel. */

import { Widget } from '@lumino/widgets';

import { SessionModel } from './session';
import { SessionTracker } from './tracker';
import { percent } from './jobs';

export class SparkStatus extends Widget {
  constructor(tracker: SessionTracker, private open: () => void) {
    super();
    this.addClass('sparklet-status-item');
    this.node.title = 'Spark: open the panel';
    this.node.addEventListener('click', () => this.open());
    tracker.currentChanged.connect((_, model) => this.bind(model));
    this.bind(tracker.current);
  }

  private bind(model: SessionModel | null): void {
    this.model?.changed.disconnect(this.draw, this);
    this.model = model;
    model?.changed.connect(this.draw, this);
    this.draw();
  }

  private draw(): void {
    const snap = this.model?.snapshot;
    this.setHidden(!snap);
    if (!snap) {
      return;
    }
    const executors = snap.executors.filter(e => e.isActive).length;
    const running = snap.jobs.filter(j => j.status === 'running');
    const parts = ['Spark'];
    if (running.length) {
      const job = running[running.length - 1];
      parts.push(`job ${job.jobId} ${percent(job)} %${running.length > 1 ? ` (+${running.length - 1} running)` : ''}`);
    } else if (!snap.session.contextActive) {
      parts.push('no context');
    }
    parts.push(`${executors} executor${executors === 1 ? '' : 's'}`);
    this.node.textContent = parts.join(' · ');
    this.node.dataset.running = String(running.length);
  }

  private model: SessionModel | null = null;
}
