/**
 * Sparklet for JupyterLab: the Spark side panel and the status-bar item, both bound to the
 * current notebook's kernel. The in-cell job renderer is the separate MIME extension (mime.ts);
 * its Cancel buttons reach their notebook's kernel through this plugin's session tracker.
 */

import { ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { INotebookTracker } from '@jupyterlab/notebook';
import { IStatusBar } from '@jupyterlab/statusbar';
import { LabIcon } from '@jupyterlab/ui-components';

import { SparkPanel } from './panel';
import { setSessionTracker } from './renderer';
import { SparkStatus } from './status';
import { SessionTracker } from './tracker';

const OPEN_COMMAND = 'sparklet:open-panel';

const sparkIcon = new LabIcon({
  name: 'sparklet:spark',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path class="jp-icon3" fill="#616161" ' +
    'd="M13 2 4 14h6l-1 8 9-12h-6z"/></svg>'
});

const plugin: JupyterFrontEndPlugin<void> = {
  id: 'sparklet-labextension:panel',
  description: "A Spark panel and status item for the current notebook's Sparklet session.",
  autoStart: true,
  requires: [INotebookTracker],
  optional: [IStatusBar, ICommandPalette, ILayoutRestorer],
  activate: (
    app: JupyterFrontEnd,
    notebooks: INotebookTracker,
    statusBar: IStatusBar | null,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null
  ) => {
    const tracker = new SessionTracker(notebooks);
    setSessionTracker(tracker);
    const panel = new SparkPanel(tracker);
    panel.title.icon = sparkIcon;
    app.shell.add(panel, 'right', { rank: 200 });
    // an open panel stays open across page reloads (it then asks the kernel for a snapshot)
    restorer?.add(panel, panel.id);
    app.commands.addCommand(OPEN_COMMAND, {
      label: 'Show the Spark panel',
      execute: () => app.shell.activateById(panel.id)
    });
    palette?.addItem({ command: OPEN_COMMAND, category: 'Sparklet' });
    if (statusBar) {
      statusBar.registerStatusItem('sparklet-labextension:status', {
        item: new SparkStatus(tracker, () => void app.commands.execute(OPEN_COMMAND)),
        align: 'left',
        rank: 5
      });
    }
  }
};

export default plugin;
