/**
 * Which Spark session the panel and the status bar show: the one of the current notebook's
 * kernel; and, for the in-cell job display's cancel buttons, the one of the notebook holding a
 * given output. One `SessionModel` per kernel connection, shared by every view, created as soon
 * as a notebook gets a kernel and disposed with the connection.
 */

import { ISessionContext } from '@jupyterlab/apputils';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { Kernel } from '@jupyterlab/services';
import { ISignal, Signal } from '@lumino/signaling';

import { SessionModel } from './session';

export class SessionTracker {
  constructor(private notebooks: INotebookTracker) {
    notebooks.widgetAdded.connect((_, panel) => this.watch(panel));
    notebooks.currentChanged.connect(() => this.update());
    notebooks.forEach(panel => this.watch(panel));
    this.update();
  }

  /** The model of the current notebook's kernel, or null (no notebook, no kernel yet). */
  get current(): SessionModel | null {
    return this._current;
  }

  get currentChanged(): ISignal<this, SessionModel | null> {
    return this._currentChanged;
  }

  /** The model of the kernel behind the notebook whose page holds `node` (a cell's output), or
   * null when no open notebook holds it or its notebook has no kernel. */
  sessionOf(node: HTMLElement): SessionModel | null {
    return this.modelOfPanel(this.notebooks.find(panel => panel.node.contains(node)));
  }

  private watch(panel: NotebookPanel): void {
    const onKernel = (ctx: ISessionContext) => {
      const kernel = ctx.session?.kernel;
      if (kernel) {
        this.modelFor(kernel);
      }
      if (this.notebooks.currentWidget === panel) {
        this.update();
      }
    };
    panel.sessionContext.kernelChanged.connect(onKernel);
    panel.sessionContext.ready.then(() => onKernel(panel.sessionContext)).catch(() => undefined);
  }

  private modelFor(kernel: Kernel.IKernelConnection): SessionModel {
    let model = this.models.get(kernel);
    if (!model) {
      model = new SessionModel(kernel);
      this.models.set(kernel, model);
      kernel.disposed.connect(() => {
        this.models.get(kernel)?.dispose();
        this.models.delete(kernel);
        this.update();
      });
    }
    return model;
  }

  private modelOfPanel(panel: NotebookPanel | null | undefined): SessionModel | null {
    const kernel = panel?.sessionContext.session?.kernel;
    return kernel && !kernel.isDisposed ? this.modelFor(kernel) : null;
  }

  private update(): void {
    const model = this.modelOfPanel(this.notebooks.currentWidget);
    if (model !== this._current) {
      this._current = model;
      this._currentChanged.emit(model);
    }
  }

  private models = new Map<Kernel.IKernelConnection, SessionModel>();
  private _current: SessionModel | null = null;
  private _currentChanged = new Signal<this, SessionModel | null>(this);
}
