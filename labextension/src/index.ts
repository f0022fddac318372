/**
 * Sparklet for JupyterLab, one plugin per feature (as in jupyterlab/extension-examples), sharing
 * services through Tokens (tokens.ts):
 *
 * - `sessions`: the Spark session of each notebook's kernel (`ISparkletSessions`); Sparklet is any
 *   kernel that answers the session request, so `%load_ext sparklet_kernel` in IPython counts;
 * - `translator`: the `sparklet` strings in the notebook's or JupyterLab's language
 *   (`ISparkletTranslator`, over JupyterLab's `ITranslator`);
 * - `renderer`: the in-cell job display (`application/vnd.sparklet.jobs+json`);
 * - `finalise`: job displays a restarted or dead kernel left "running" become "interrupted";
 * - `panel`: the Spark side panel (`ISparkPanel`) and its command;
 * - `status`: the status-bar item;
 * - `event-log`: the panel action that replays a Spark event log (issue 22).
 */

import { ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, InputDialog, showErrorMessage } from '@jupyterlab/apputils';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { IStatusBar } from '@jupyterlab/statusbar';
import { ITranslator } from '@jupyterlab/translation';
import { LabIcon } from '@jupyterlab/ui-components';
import { Signal } from '@lumino/signaling';

import { finaliseNotebook } from './finalise';
import { english, notebookLanguage, SparkletTranslator } from './i18n';
import { SparkPanel } from './panel';
import { rendererFactory } from './renderer';
import { SparkStatus } from './status';
import { ISparkletSessions, ISparkletTranslator, ISparkPanel } from './tokens';
import { SessionTracker } from './tracker';

const PLUGIN = 'sparklet-labextension';

export namespace CommandIDs {
  export const openPanel = 'sparklet:open-panel';
  export const openEventLog = 'sparklet:open-event-log';
}

const sparkIcon = new LabIcon({
  name: 'sparklet:spark',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path class="jp-icon3" fill="#616161" ' +
    'd="M13 2 4 14h6l-1 8 9-12h-6z"/></svg>'
});

const sessionsPlugin: JupyterFrontEndPlugin<ISparkletSessions> = {
  id: `${PLUGIN}:sessions`,
  description: "The Spark session of each open notebook's kernel.",
  autoStart: true,
  requires: [INotebookTracker],
  provides: ISparkletSessions,
  activate: (_: JupyterFrontEnd, notebooks: INotebookTracker) => new SessionTracker(notebooks)
};

const translatorPlugin: JupyterFrontEndPlugin<ISparkletTranslator> = {
  id: `${PLUGIN}:translator`,
  description: "Sparklet's strings in the notebook's (metadata `language`) or JupyterLab's language.",
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ITranslator],
  provides: ISparkletTranslator,
  activate: (_: JupyterFrontEnd, notebooks: INotebookTracker, translator: ITranslator | null) => {
    const strings = new SparkletTranslator(translator);
    const changed = new Signal<unknown, void>(strings);
    const forPanel = (panel: NotebookPanel | null | undefined) =>
      strings.forLanguage(notebookLanguage(panel?.model?.metadata as any));
    // a notebook's views redraw when it loads or its language metadata changes
    notebooks.widgetAdded.connect((__, panel) => {
      void panel.context.ready.then(() => {
        changed.emit();
        panel.model?.metadataChanged.connect(() => changed.emit());
      });
    });
    notebooks.currentChanged.connect(() => changed.emit());
    return {
      forPanel,
      forNode: (node: HTMLElement) => forPanel(notebooks.find(p => p.node.contains(node))),
      changed
    };
  }
};

const rendererPlugin: JupyterFrontEndPlugin<void> = {
  id: `${PLUGIN}:renderer`,
  description: "Renders the Sparklet kernel's live job display in cells.",
  autoStart: true,
  requires: [IRenderMimeRegistry],
  optional: [ISparkletSessions, ISparkletTranslator],
  activate: (
    _: JupyterFrontEnd,
    rendermime: IRenderMimeRegistry,
    sessions: ISparkletSessions | null,
    translator: ISparkletTranslator | null
  ) => {
    // ahead of text/html (rank 50): the bundle's HTML form is the fallback for other frontends
    rendermime.addFactory(rendererFactory(sessions, translator), 10);
  }
};

const finalisePlugin: JupyterFrontEndPlugin<void> = {
  id: `${PLUGIN}:finalise`,
  description: 'Job displays a restarted or dead kernel left running are finalised as interrupted.',
  autoStart: true,
  requires: [ISparkletSessions],
  optional: [ISparkletTranslator],
  activate: (_: JupyterFrontEnd, sessions: ISparkletSessions, translator: ISparkletTranslator | null) => {
    if (!(sessions instanceof SessionTracker)) {
      return;
    }
    sessions.modelAdded.connect((__, { model, panel }) => {
      model.kernelLost.connect((___, fate) => {
        if (!panel.isDisposed) {
          finaliseNotebook(panel, translator?.forPanel(panel) ?? english, fate);
        }
      });
      // once per connection: displays of jobs older than the kernel's application cannot be running
      let checkedStart: number | null = null;
      model.changed.connect(() => {
        const start = model.snapshot?.application?.startTime;
        if (typeof start === 'number' && start > 0 && start !== checkedStart && !panel.isDisposed) {
          checkedStart = start;
          finaliseNotebook(panel, translator?.forPanel(panel) ?? english, 'earlier-kernel', Date.now(), job => job.submissionTime < start);
        }
      });
    });
  }
};

const panelPlugin: JupyterFrontEndPlugin<ISparkPanel> = {
  id: `${PLUGIN}:panel`,
  description: "A Spark panel for the current notebook's Sparklet session.",
  autoStart: true,
  requires: [ISparkletSessions],
  optional: [ISparkletTranslator, ICommandPalette, ILayoutRestorer],
  provides: ISparkPanel,
  activate: (
    app: JupyterFrontEnd,
    sessions: ISparkletSessions,
    translator: ISparkletTranslator | null,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null
  ) => {
    const panel = new SparkPanel(sessions, translator);
    panel.title.icon = sparkIcon;
    app.shell.add(panel, 'right', { rank: 200 });
    // an open panel stays open across page reloads (it then asks the kernel for a snapshot)
    restorer?.add(panel, panel.id);
    const trans = () => translator?.forPanel(sessions.currentPanel) ?? english;
    app.commands.addCommand(CommandIDs.openPanel, {
      label: () => trans().__('Show the Spark panel'),
      execute: () => app.shell.activateById(panel.id)
    });
    palette?.addItem({ command: CommandIDs.openPanel, category: 'Sparklet' });
    return panel;
  }
};

const statusPlugin: JupyterFrontEndPlugin<void> = {
  id: `${PLUGIN}:status`,
  description: "The status-bar item: the running job's progress and the executors.",
  autoStart: true,
  requires: [ISparkletSessions, IStatusBar],
  optional: [ISparkletTranslator],
  activate: (app: JupyterFrontEnd, sessions: ISparkletSessions, statusBar: IStatusBar, translator: ISparkletTranslator | null) => {
    statusBar.registerStatusItem(`${PLUGIN}:status`, {
      item: new SparkStatus(sessions, translator, () => void app.commands.execute(CommandIDs.openPanel)),
      align: 'left',
      rank: 5
    });
  }
};

const eventLogPlugin: JupyterFrontEndPlugin<void> = {
  id: `${PLUGIN}:event-log`,
  description: 'Replays a Spark event log in the Spark panel (the kernel reads it; no Java).',
  autoStart: true,
  requires: [ISparkPanel, ISparkletSessions],
  optional: [ISparkletTranslator, ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    panel: ISparkPanel,
    sessions: ISparkletSessions,
    translator: ISparkletTranslator | null,
    palette: ICommandPalette | null
  ) => {
    const trans = () => translator?.forPanel(sessions.currentPanel) ?? english;
    app.commands.addCommand(CommandIDs.openEventLog, {
      label: () => trans().__('Open a Spark event log…'),
      caption: () => trans().__('Replay a Spark event log (Sparklet or Apache Spark) in the Spark panel'),
      execute: async (args: any) => {
        let path = typeof args?.path === 'string' ? args.path : '';
        if (!path) {
          const answer = await InputDialog.getText({
            title: trans().__('Open a Spark event log'),
            label: trans().__('Path of an event log file or eventlog_v2_ folder, as the kernel sees it'),
            placeholder: '/tmp/spark-events/app-…'
          });
          if (!answer.button.accept || !answer.value) {
            return;
          }
          path = answer.value.trim();
        }
        app.shell.activateById(panel.id);
        try {
          await panel.openEventLog(path);
        } catch (e) {
          void showErrorMessage(trans().__('Open a Spark event log'), (e as Error).message);
        }
      }
    });
    palette?.addItem({ command: CommandIDs.openEventLog, category: 'Sparklet' });
    if (panel instanceof SparkPanel) {
      panel.onOpenLog = () => void app.commands.execute(CommandIDs.openEventLog);
    }
  }
};

export default [
  sessionsPlugin,
  translatorPlugin,
  rendererPlugin,
  finalisePlugin,
  panelPlugin,
  statusPlugin,
  eventLogPlugin
];
