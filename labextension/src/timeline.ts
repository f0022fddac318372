/**
 * A job's event timeline: one lane per executor, one bar per task (colour = stage, red = failed,
 * grey = killed, striped and growing = still running), with executor add/remove marks, like the
 * "Event Timeline" of Spark's job page. Bars narrower than a pixel still get one pixel, so a
 * 100,000-task job reads as dense lanes rather than nothing. It is drawn exactly as wide as the
 * view: the lane labels shrink in a narrow panel rather than the timeline being clipped.
 */

import { IExecutor, IJobDetail } from './protocol';
import { count, duration, el, svg } from './format';
import { english, ITrans } from './i18n';

const PALETTE = ['#4c78a8', '#72b7b2', '#54a24b', '#eeca3b', '#b279a2', '#9d755d', '#bab0ac', '#ff9da6'];
const LANE_H = 22;
const AXIS_H = 22;
/** Below this width the lanes are labelled by executor id alone. */
const NARROW = 420;
/** Past this many spans, bars are merged per lane (one rect per pixel run, not per task). */
const DENSE_SPANS = 400;

export function stageColor(stageId: number, stageIds: number[]): string {
  return PALETTE[Math.max(0, stageIds.indexOf(stageId)) % PALETTE.length];
}

function niceStep(spanMs: number, ticks: number): number {
  const raw = spanMs / ticks;
  const mag = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1))));
  for (const m of [1, 2, 5, 10]) {
    if (raw <= m * mag) {
      return m * mag;
    }
  }
  return 10 * mag;
}

export function renderTimeline(
  detail: IJobDetail,
  executors: IExecutor[],
  width: number,
  now: number,
  trans: ITrans = english
): HTMLElement {
  const { job, spans } = detail;
  const running = job.status === 'running' ? detail.running ?? [] : [];
  const start = job.submissionTime;
  const end = Math.max(job.completionTime ?? now, start + 1, ...spans.map(s => s[5]));
  const laneIds = executors.map(e => e.executorId);
  for (const s of [...spans, ...running]) {
    if (!laneIds.includes(s[3])) {
      laneIds.push(s[3]);
    }
  }
  const lane = new Map(laneIds.map((id, i) => [id, i]));
  const stageIds = [...new Set(job.stages.map(s => s.stageId))].sort((a, b) => a - b);
  const w = Math.max(160, Math.floor(width));
  const narrow = w < NARROW;
  const LABEL_W = narrow ? 40 : 92;
  const plotW = w - LABEL_W - 10;
  const h = AXIS_H + laneIds.length * LANE_H + 6;
  const x = (t: number) => LABEL_W + ((t - start) / (end - start)) * plotW;
  const root = svg('svg', { class: 'sparklet-timeline', width: w, height: h, viewBox: `0 0 ${w} ${h}` });
  const step = niceStep(end - start, Math.max(1, Math.floor(plotW / 70)));
  for (let t = 0; t <= end - start; t += step) {
    root.append(
      svg('line', { class: 'sparklet-timeline-grid', x1: x(start + t), x2: x(start + t), y1: AXIS_H - 4, y2: h }),
      svg('text', { class: 'sparklet-timeline-tick', x: x(start + t), y: 12 }, duration(t))
    );
  }
  laneIds.forEach((id, i) => {
    const y = AXIS_H + i * LANE_H;
    const ex = executors.find(e => e.executorId === id);
    root.append(
      svg('rect', { class: `sparklet-timeline-lane${i % 2 ? ' sparklet-mod-odd' : ''}`, x: 0, y, width: w, height: LANE_H }),
      svg('text', { class: 'sparklet-timeline-label', x: 6, y: y + 15 }, narrow ? id : trans.__('executor %1', id),
        svg('title', {}, trans.__('executor %1', id)))
    );
    if (ex && ex.removeTime && ex.removeTime >= start && ex.removeTime <= end) {
      root.append(
        svg('line', { class: 'sparklet-timeline-removed', x1: x(ex.removeTime), x2: x(ex.removeTime), y1: y, y2: y + LANE_H },
          svg('title', {}, trans.__('executor %1 removed: %2', id, ex.removeReason ?? '')))
      );
    }
  });
  const bars = svg('g', { class: 'sparklet-timeline-tasks' });
  const barY = (executorId: string) => AXIS_H + lane.get(executorId)! * LANE_H + 3;
  const fill = (stageId: number, status: string) =>
    status === 'SUCCESS' ? stageColor(stageId, stageIds) : status === 'KILLED' ? '#8c959f' : '#cf222e';
  const stateOf = (status: string) =>
    status === 'SUCCESS' ? trans.__('succeeded') : status === 'KILLED' ? trans.__('killed') : trans.__('failed');
  if (spans.length <= DENSE_SPANS) {
    for (const [stageId, partition, attempt, executorId, launch, finish, status] of spans) {
      const x0 = x(launch);
      const bar = svg('rect', {
        class: `sparklet-timeline-task${status === 'SUCCESS' ? '' : status === 'KILLED' ? ' sparklet-mod-killed' : ' sparklet-mod-failed'}`,
        x: x0,
        y: barY(executorId),
        width: Math.max(1, x(finish) - x0),
        height: LANE_H - 6,
        fill: fill(stageId, status)
      });
      bar.append(
        svg('title', {}, trans.__('stage %1, partition %2, attempt %3: %4 on executor %5, %6', stageId, partition, attempt, duration(finish - launch), executorId, stateOf(status)))
      );
      bars.append(bar);
    }
  } else {
    // thousands of sub-pixel bars: draw each lane's touching bars of one colour as one rect
    const runs = new Map<string, { x0: number; x1: number; n: number; stageId: number; status: string; executorId: string }>();
    const flush = (key: string) => {
      const r = runs.get(key)!;
      const bar = svg('rect', {
        class: `sparklet-timeline-tasks-run${r.status === 'SUCCESS' ? '' : ' sparklet-mod-failed'}`,
        x: r.x0,
        y: barY(r.executorId),
        width: Math.max(1, r.x1 - r.x0),
        height: LANE_H - 6,
        fill: fill(r.stageId, r.status)
      });
      bar.append(svg('title', {}, trans._n('stage %2: %1 %3 task drawn here on executor %4', 'stage %2: %1 %3 tasks drawn here on executor %4', r.n, r.stageId, stateOf(r.status), r.executorId)));
      bars.append(bar);
    };
    for (const [stageId, , , executorId, launch, finish, status] of [...spans].sort((a, b) => a[4] - b[4])) {
      const key = `${executorId}|${stageId}|${status === 'SUCCESS'}`;
      const x0 = x(launch);
      const x1 = Math.max(x0 + 1, x(finish));
      const run = runs.get(key);
      if (run && x0 <= run.x1 + 1) {
        run.x1 = Math.max(run.x1, x1);
        run.n += 1;
      } else {
        if (run) {
          flush(key);
        }
        runs.set(key, { x0, x1, n: 1, stageId, status, executorId });
      }
    }
    for (const key of runs.keys()) {
      flush(key);
    }
  }
  // running tasks grow from their launch to now, striped in their stage's colour
  for (const [stageId, partition, attempt, executorId, launch] of running) {
    const x0 = x(launch);
    const bar = svg('rect', {
      class: 'sparklet-timeline-running',
      x: x0,
      y: barY(executorId),
      width: Math.max(2, x(now) - x0),
      height: LANE_H - 6,
      fill: stageColor(stageId, stageIds)
    });
    bar.append(svg('title', {}, trans.__('stage %1, partition %2, attempt %3: running for %4 on executor %5', stageId, partition, attempt, duration(now - launch), executorId)));
    bars.append(bar);
  }
  root.append(bars);
  const legend = el('div', 'sparklet-timeline-legend');
  for (const sid of stageIds) {
    const swatch = el('span', 'sparklet-swatch');
    swatch.style.background = stageColor(sid, stageIds);
    legend.append(el('span', 'sparklet-legend-item', swatch, trans.__('stage %1', sid)));
  }
  const note =
    detail.totalTasks > spans.length
      ? trans.__('%1 of %2 finished tasks drawn (an even sample)', count(spans.length), count(detail.totalTasks))
      : trans._n('%1 finished task', '%1 finished tasks', detail.totalTasks);
  legend.append(el('span', 'sparklet-note', note));
  if (running.length) {
    legend.append(el('span', 'sparklet-note sparklet-timeline-running-note', trans._n('%1 running task', '%1 running tasks', running.length)));
  }
  return el('div', 'sparklet-timeline-view', root, legend);
}
