/**
 * An application replayed from a Spark event log (issue 22), as the panel shows it: the kernel of
 * the current notebook reads the log (`history` request: Sparklet's or real Spark's, plain or
 * compressed, single file or rolling folder, the same reader as `%spark history PATH`) and answers
 * with a snapshot of the replayed application; a job's details come from that replay
 * (`history_job`). It has the live session's shape, so the panel draws it with the same views.
 */

import { ISignal, Signal } from '@lumino/signaling';

import { IJobDetail, ISnapshot } from './protocol';
import { ConnectionState, SessionModel } from './session';

/** What the panel reads: a live `SessionModel` or a `ReplayModel`. */
export interface IPanelSource {
  readonly snapshot: ISnapshot | null;
  readonly state: ConnectionState;
  readonly changed: ISignal<any, void>;
  readonly isDisposed: boolean;
  jobDetail(jobId: number): Promise<IJobDetail>;
  refresh(): Promise<void>;
  cancelJob?(jobId: number): Promise<void>;
  cancelAll?(): Promise<void>;
}

export class ReplayModel implements IPanelSource {
  private constructor(
    readonly path: string,
    private session: SessionModel,
    private _snapshot: ISnapshot
  ) {}

  /** Ask `session`'s kernel to read the event log at `path`; rejects with the kernel's reason. */
  static async open(session: SessionModel, path: string): Promise<ReplayModel> {
    // a log of 100,000 tasks takes a few seconds to read
    const reply = await session.request({ action: 'history', path }, 120000);
    const snapshot = reply.snapshot as ISnapshot;
    snapshot.session = { ...snapshot.session, replay: path };
    return new ReplayModel(path, session, snapshot);
  }

  get snapshot(): ISnapshot {
    return this._snapshot;
  }

  get state(): ConnectionState {
    return 'live';
  }

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get isDisposed(): boolean {
    return this.session.isDisposed;
  }

  jobDetail(jobId: number): Promise<IJobDetail> {
    return this.session.request({ action: 'history_job', path: this.path, jobId });
  }

  /** A finished application does not change. */
  refresh(): Promise<void> {
    return Promise.resolve();
  }

  private _changed = new Signal<this, void>(this);
}
