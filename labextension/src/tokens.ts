/**
 * The services Sparklet's plugins share, as JupyterLab Tokens: each plugin asks for what it needs
 * in `requires`/`optional`, so any of them can be disabled or replaced on its own.
 */

import { NotebookPanel } from '@jupyterlab/notebook';
import { Token } from '@lumino/coreutils';
import { ISignal } from '@lumino/signaling';

import { ITrans } from './i18n';
import type { SessionModel } from './session';

/** Which Spark session each notebook's kernel has. */
export interface ISparkletSessions {
  /** The model of the current notebook's kernel, or null (no notebook, no kernel yet). */
  readonly current: SessionModel | null;
  readonly currentChanged: ISignal<ISparkletSessions, SessionModel | null>;
  /** The current notebook (its language names the views' language). */
  readonly currentPanel: NotebookPanel | null;
  /** The model of the kernel behind the notebook whose page holds `node` (a cell's output). */
  sessionOf(node: HTMLElement): SessionModel | null;
  /** The notebook whose page holds `node`. */
  panelOf(node: HTMLElement): NotebookPanel | null;
}

export const ISparkletSessions = new Token<ISparkletSessions>(
  'sparklet-labextension:ISparkletSessions',
  "The Spark sessions of the open notebooks' kernels."
);

/** The `sparklet` translation domain, per notebook language. */
export interface ISparkletTranslator {
  /** Strings in the language of the notebook `panel` (its metadata), else JupyterLab's. */
  forPanel(panel: NotebookPanel | null | undefined): ITrans;
  /** Strings for the views inside the notebook holding `node`. */
  forNode(node: HTMLElement): ITrans;
  /** Emitted when a notebook's language may have changed. */
  readonly changed: ISignal<unknown, void>;
}

export const ISparkletTranslator = new Token<ISparkletTranslator>(
  'sparklet-labextension:ISparkletTranslator',
  "Sparklet's strings in the notebook's or JupyterLab's language."
);

/** What the Spark panel shows: a live session, or an application replayed from an event log. */
export interface ISparkPanel {
  /** Show the application of an event log (read by the current notebook's kernel). */
  openEventLog(path: string): Promise<void>;
  /** Back to the current notebook's live session. */
  showLive(): void;
  readonly id: string;
}

export const ISparkPanel = new Token<ISparkPanel>('sparklet-labextension:ISparkPanel', 'The Spark side panel.');
