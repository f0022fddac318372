/** The status-bar item: the running job's progress and the executor count; a click opens the panel. */

import { Widget } from '@lumino/widgets';

import { english } from './i18n';
import { SessionModel } from './session';
import { percent } from './jobs';
import { ISparkletSessions, ISparkletTranslator } from './tokens';

export class SparkStatus extends Widget {
  constructor(
    private sessions: ISparkletSessions,
    private translator: ISparkletTranslator | null,
    private open: () => void
  ) {
    super();
    this.addClass('sparklet-status-item');
    this.node.addEventListener('click', () => this.open());
    sessions.currentChanged.connect((_, model) => this.bind(model));
    translator?.changed.connect(this.draw, this);
    this.bind(sessions.current);
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
    const trans = this.translator?.forPanel(this.sessions.currentPanel) ?? english;
    this.node.title = trans.__('Spark: open the panel');
    const executors = snap.executors.filter(e => e.isActive).length;
    const running = snap.jobs.filter(j => j.status === 'running');
    const parts = ['Spark'];
    if (running.length) {
      const job = running[running.length - 1];
      let text = trans.__('job %1 %2 %', job.jobId, percent(job));
      if (running.length > 1) {
        text += ' ' + trans.__('(+%1 running)', running.length - 1);
      }
      parts.push(text);
    } else if (snap.session.state === 'stopped') {
      parts.push(trans.__('stopped'));
    } else if (!snap.session.contextActive) {
      parts.push(trans.__('no context'));
    }
    parts.push(trans._n('%1 executor', '%1 executors', executors));
    this.node.textContent = parts.join(' · ');
    this.node.dataset.running = String(running.length);
  }

  private model: SessionModel | null = null;
}
