/**
 * Which Spark session the panel and the status bar show: the one of the current notebook's
 * kernel; and, for the in-cell job display, the one of the notebook holding a given output. One
 * `SessionModel` per kernel connection, shared by every view, created as soon as a notebook gets a
 * kernel and disposed with the connection. Provided to the other plugins as `ISparkletSessions`.
 */

import { ISessionContext } from '@jupyterlab/apputils';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { Kernel } from '@jupyterlab/services';
import { ISignal, Signal } from '@lumino/signaling';

import { notebookLanguage } from './i18n';
import { SessionModel } from './session';
import { ISparkletSessions } from './tokens';

export class SessionTracker implements ISparkletSessions {
  constructor(private notebooks: INotebookTracker) {
    notebooks.widgetAdded.connect((_, panel) => this.watch(panel));
    notebooks.currentChanged.connect(() => this.update());
    notebooks.forEach(panel => this.watch(panel));
    this.update();
  }

  get current(): SessionModel | null {
    return this._current;
  }

  get currentChanged(): ISignal<this, SessionModel | null> {
    return this._currentChanged;
  }

  get currentPanel(): NotebookPanel | null {
    return this.notebooks.currentWidget;
  }

  /** Emitted with each new kernel model and the notebook it serves (the restart finaliser
   * watches them). */
  get modelAdded(): ISignal<this, { model: SessionModel; panel: NotebookPanel }> {
    return this._modelAdded;
  }

  sessionOf(node: HTMLElement): SessionModel | null {
    return this.modelOfPanel(this.panelOf(node));
  }

  panelOf(node: HTMLElement): NotebookPanel | null {
    return this.notebooks.find(panel => panel.node.contains(node)) ?? null;
  }

  private watch(panel: NotebookPanel): void {
    const onKernel = (ctx: ISessionContext) => {
      const kernel = ctx.session?.kernel;
      if (kernel) {
        this.modelFor(kernel, panel);
      }
      if (this.notebooks.currentWidget === panel) {
        this.update();
      }
    };
    panel.sessionContext.kernelChanged.connect(onKernel);
    panel.sessionContext.ready.then(() => onKernel(panel.sessionContext)).catch(() => undefined);
    // the notebook's language (metadata) is the kernel's language for what it renders
    const tellLanguage = () => {
      const kernel = panel.sessionContext.session?.kernel;
      const model = kernel ? this.models.get(kernel) : undefined;
      model?.setLanguage(notebookLanguage(panel.model?.metadata as any));
    };
    panel.context.ready.then(() => {
      tellLanguage();
      panel.model?.metadataChanged.connect(tellLanguage);
    }).catch(() => undefined);
  }

  private modelFor(kernel: Kernel.IKernelConnection, panel?: NotebookPanel): SessionModel {
    let model = this.models.get(kernel);
    if (!model) {
      model = new SessionModel(kernel);
      this.models.set(kernel, model);
      if (panel) {
        model.setLanguage(notebookLanguage(panel.model?.metadata as any));
        this._modelAdded.emit({ model, panel });
      }
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
    return kernel && !kernel.isDisposed ? this.modelFor(kernel, panel ?? undefined) : null;
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
  private _modelAdded = new Signal<this, { model: SessionModel; panel: NotebookPanel }>(this);
}
