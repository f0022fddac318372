/**
 * The panel's view of one kernel's Spark session. The kernel owns the state; this model only
 * holds the latest complete snapshot it sent.
 *
 * - Live updates come over the comm `sparklet.session`, which the kernel answers with a snapshot and
 *   then pushes a complete snapshot at most every 250 ms.
 * - A comm open is a shell message, which a kernel busy running a cell reads only when the cell
 *   ends. So the model also asks for a snapshot on the control channel (`sparklet_request`, served
 *   while a cell runs) whenever it (re)connects, and keeps polling it there until the comm speaks.
 *   The control channel also carries cancellation and a job's details, so both work mid-cell.
 * - On kernel restart the comm is gone: the model drops its state and reconnects.
 */

import { Kernel, KernelMessage } from '@jupyterlab/services';
import { ISignal, Signal } from '@lumino/signaling';

import { CONTROL_REQUEST, IJobDetail, ISnapshot, SESSION_COMM_TARGET } from './protocol';

const POLL_MS = 1000;
const REQUEST_TIMEOUT_MS = 15000;

export type ConnectionState = 'connecting' | 'live' | 'not-sparklet' | 'disconnected';

export class SessionModel {
  constructor(readonly kernel: Kernel.IKernelConnection) {
    kernel.statusChanged.connect(this.onStatus, this);
    void this.connect();
  }

  get snapshot(): ISnapshot | null {
    return this._snapshot;
  }

  get state(): ConnectionState {
    return this._state;
  }

  /** Emitted after every new snapshot or state change; views coalesce their redraws. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this.kernel.statusChanged.disconnect(this.onStatus, this);
    this.stopPolling();
    this.closeComm();
    Signal.clearData(this);
  }

  /** Send a `sparklet_request` on the control channel and return the reply content. */
  request(content: Record<string, unknown>): Promise<any> {
    const msg = KernelMessage.createMessage({
      msgType: CONTROL_REQUEST as any,
      channel: 'control',
      session: this.kernel.clientId,
      username: this.kernel.username,
      content: content as any
    });
    return new Promise((resolve, reject) => {
      const future = this.kernel.sendControlMessage(msg as any, true, false);
      const timer = window.setTimeout(() => {
        future.dispose();
        reject(new Error(`no reply to ${String(content.action)} within ${REQUEST_TIMEOUT_MS / 1000} s`));
      }, REQUEST_TIMEOUT_MS);
      future.onReply = (reply: KernelMessage.IMessage) => {
        window.clearTimeout(timer);
        future.dispose();
        const c = reply.content as any;
        if (c.status === 'ok') {
          resolve(c);
        } else {
          reject(new Error(`${c.ename}: ${c.evalue}`));
        }
      };
    });
  }

  cancelJob(jobId: number): Promise<void> {
    return this.request({ action: 'cancel_job', jobId });
  }

  cancelAll(): Promise<void> {
    return this.request({ action: 'cancel_all' });
  }

  jobDetail(jobId: number): Promise<IJobDetail> {
    return this.request({ action: 'job', jobId });
  }

  /** Ask for a fresh snapshot now (the panel does this when it is shown). */
  async refresh(): Promise<void> {
    if (this._state === 'not-sparklet' || this._disposed) {
      return;
    }
    try {
      const reply = await this.request({ action: 'snapshot' });
      this.setSnapshot(reply.snapshot);
    } catch (e) {
      console.warn('Sparklet: snapshot request failed', e);
    }
  }

  private async connect(): Promise<void> {
    const generation = ++this._generation;
    this._snapshot = null;
    this.setState('connecting');
    let info: KernelMessage.IInfoReply;
    try {
      info = await this.kernel.info;
    } catch {
      return;
    }
    if (this._disposed || generation !== this._generation) {
      return;
    }
    if (info.implementation !== 'sparklet') {
      this.setState('not-sparklet');
      return;
    }
    this.openComm();
    this.startPolling();
    await this.refresh();
  }

  private openComm(): void {
    this.closeComm();
    const comm = this.kernel.createComm(SESSION_COMM_TARGET);
    comm.onMsg = msg => {
      const data = msg.content.data as any;
      if (data && (data.type === 'snapshot' || data.type === 'update')) {
        this.stopPolling();
        this.setSnapshot(data.snapshot);
      }
    };
    comm.onClose = () => {
      if (this._comm === comm) {
        this._comm = null;
      }
    };
    comm.open({});
    this._comm = comm;
  }

  private closeComm(): void {
    const comm = this._comm;
    this._comm = null;
    if (comm && !comm.isDisposed) {
      try {
        comm.close();
      } catch {
        // the kernel may already be gone; nothing to tell it
      }
    }
  }

  private startPolling(): void {
    this.stopPolling();
    this._poll = window.setInterval(() => void this.refresh(), POLL_MS);
  }

  private stopPolling(): void {
    if (this._poll !== null) {
      window.clearInterval(this._poll);
      this._poll = null;
    }
  }

  private setSnapshot(snapshot: ISnapshot): void {
    if (this._disposed) {
      return;
    }
    this._snapshot = snapshot;
    this._state = 'live';
    this._changed.emit();
  }

  private setState(state: ConnectionState): void {
    this._state = state;
    this._changed.emit();
  }

  private onStatus(_: Kernel.IKernelConnection, status: KernelMessage.Status): void {
    if (status === 'restarting' || status === 'autorestarting' || status === 'starting') {
      this._restarting = true;
      this.stopPolling();
      this._comm = null;
      this._snapshot = null;
      this.setState('connecting');
    } else if (status === 'dead') {
      this.stopPolling();
      this.setState('disconnected');
    } else if (this._restarting && status === 'idle') {
      this._restarting = false;
      void this.connect();
    }
  }

  private _snapshot: ISnapshot | null = null;
  private _state: ConnectionState = 'connecting';
  private _changed = new Signal<this, void>(this);
  private _comm: Kernel.IComm | null = null;
  private _poll: number | null = null;
  private _generation = 0;
  private _restarting = false;
  private _disposed = false;
}
