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
 * - Sparklet is whatever kernel answers the `snapshot` request: the Sparklet kernel, and a stock
 *   IPython kernel after `%load_ext sparklet_kernel` (asked again after each cell while the
 *   kernel has not answered). Other kernels log the unknown control message and never reply.
 */

import { Kernel, KernelMessage } from '@jupyterlab/services';
import { ISignal, Signal } from '@lumino/signaling';

import { CONTROL_REQUEST, IJobDetail, ISnapshot, SESSION_COMM_TARGET } from './protocol';

const POLL_MS = 1000;
const REQUEST_TIMEOUT_MS = 15000;
/** A kernel that does not know `sparklet_request` never replies; one that does answers in ms. */
const PROBE_TIMEOUT_MS = 4000;

export type ConnectionState = 'connecting' | 'live' | 'not-sparklet' | 'disconnected';

/** Emitted with the kernel's fate: views holding its running jobs finalise them. */
export type KernelFate = 'restarted' | 'dead';

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
    // a kernel shut down or replaced under its notebook leaves its running jobs unfinished too
    if (this._seenAlive && !this._restarting) {
      this._kernelLost.emit('dead');
    }
    this._disposed = true;
    this.kernel.statusChanged.disconnect(this.onStatus, this);
    this.stopPolling();
    this.closeComm();
    Signal.clearData(this);
  }

  /** Emitted when the kernel restarts or dies: jobs it was running will never end. */
  get kernelLost(): ISignal<this, KernelFate> {
    return this._kernelLost;
  }

  /** The natural language of the notebook (its metadata), told to the kernel for the strings it
   * renders itself (HTML displays, magics); null leaves the kernel's own (SPARKLET_LANG). */
  setLanguage(language: string | null): void {
    if (language === this._language) {
      return;
    }
    this._language = language;
    if (this._state === 'live') {
      void this.sendLanguage();
    }
  }

  private async sendLanguage(): Promise<void> {
    if (this._language) {
      try {
        await this.request({ action: 'language', language: this._language });
      } catch (e) {
        console.warn('Sparklet: the kernel did not take the notebook language', e);
      }
    }
  }

  /** Send a `sparklet_request` on the control channel and return the reply content. */
  request(content: Record<string, unknown>, timeoutMs: number = REQUEST_TIMEOUT_MS): Promise<any> {
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
        reject(new Error(`no reply to ${String(content.action)} within ${timeoutMs / 1000} s`));
      }, timeoutMs);
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
    if (this._state !== 'live' || this._disposed) {
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
    let reply: any;
    try {
      // the Sparklet kernel is worth waiting for on a loaded machine; any other kernel answers
      // at once if it loaded Sparklet, or never
      const info = await this.kernel.info;
      const timeout = info.implementation === 'sparklet' ? REQUEST_TIMEOUT_MS : PROBE_TIMEOUT_MS;
      reply = await this.request({ action: 'snapshot' }, timeout);
    } catch {
      if (!this._disposed && generation === this._generation) {
        this.setState('not-sparklet');
      }
      return;
    }
    if (this._disposed || generation !== this._generation) {
      return;
    }
    this.setSnapshot(reply.snapshot);
    this.openComm();
    this.startPolling();
    void this.sendLanguage();
  }

  /** A kernel that did not answer may load Sparklet in any cell (`%load_ext sparklet_kernel`):
   * ask again once each execution ends. */
  private probeAgain(): void {
    if (this._state === 'not-sparklet' && !this._probing) {
      this._probing = true;
      void this.connect().finally(() => (this._probing = false));
    }
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
      // only a kernel this page saw running can have left jobs behind
      if (!this._restarting && this._seenAlive) {
        this._kernelLost.emit('restarted');
      }
      this._restarting = true;
      this.stopPolling();
      this._comm = null;
      this._snapshot = null;
      this.setState('connecting');
    } else if (status === 'dead') {
      if (this._seenAlive) {
        this._kernelLost.emit('dead');
      }
      this.stopPolling();
      this.setState('disconnected');
    }
    if (status === 'idle' || status === 'busy') {
      this._seenAlive = true;
    }
    if (this._restarting && status === 'idle') {
      this._restarting = false;
      void this.connect();
    } else if (status === 'busy') {
      this._wasBusy = true;
    } else if (status === 'idle' && this._wasBusy) {
      this._wasBusy = false;
      this.probeAgain();
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
  private _probing = false;
  private _wasBusy = false;
  private _seenAlive = false;
  private _language: string | null = null;
  private _kernelLost = new Signal<this, KernelFate>(this);
}
