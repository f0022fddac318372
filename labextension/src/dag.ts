/**
 * A job's DAG as SVG: stage boxes in columns by depth in the stage graph (sources on the left),
 * the user's operators inside each stage in lineage order, narrow dependencies as solid arrows
 * inside a stage and shuffle dependencies as dashed curves between stages, cached RDDs and skipped
 * stages marked. Hovering an operator shows where the user wrote it and its partition count.
 */

import { IDag, IDagNode } from './protocol';
import { el, svg } from './format';

const NODE_W = 150;
const NODE_H = 38;
const NODE_GAP_X = 14;
const NODE_GAP_Y = 22;
const BOX_PAD = 12;
const BOX_TITLE = 22;
const COL_GAP = 56;
const ROW_GAP = 18;
const MARGIN = 8;

interface IBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

interface ILayout {
  boxes: Map<number, IBox>;
  positions: Map<string, { x: number; y: number }>;
  width: number;
  height: number;
}

/** Longest path from a source, cycle-safe (the input comes from another process). */
function depthOf<K>(key: K, parents: (k: K) => K[], memo: Map<K, number>, visiting = new Set<K>()): number {
  const known = memo.get(key);
  if (known !== undefined) {
    return known;
  }
  visiting.add(key);
  let d = 0;
  for (const p of parents(key)) {
    if (!visiting.has(p)) {
      d = Math.max(d, depthOf(p, parents, memo, visiting) + 1);
    }
  }
  visiting.delete(key);
  memo.set(key, d);
  return d;
}

function layout(dag: IDag): ILayout {
  const stages = new Map(dag.stages.map(s => [s.stageId, s]));
  const nodes = new Map(dag.nodes.map(n => [n.key, n]));
  const stageDepth = new Map<number, number>();
  const columns = new Map<number, number[]>();
  for (const s of dag.stages) {
    const d = depthOf(s.stageId, id => (stages.get(id)?.parentIds ?? []).filter(p => stages.has(p)), stageDepth);
    columns.set(d, [...(columns.get(d) ?? []), s.stageId]);
  }
  const boxes = new Map<number, IBox>();
  const positions = new Map<string, { x: number; y: number }>();
  let x = MARGIN;
  for (const col of [...columns.keys()].sort((a, b) => a - b)) {
    let y = MARGIN;
    let colW = 0;
    for (const sid of columns.get(col)!.sort((a, b) => a - b)) {
      const keys = stages.get(sid)!.nodes.filter(k => nodes.has(k));
      const inStage = new Map(keys.map(k => [nodes.get(k)!.rddId, k]));
      const rank = new Map<string, number>();
      const rows = new Map<number, string[]>();
      for (const k of keys) {
        const r = depthOf(
          k,
          key => {
            const n = nodes.get(key)!;
            return n.parentKeys
              ? n.parentKeys.filter(p => nodes.has(p))
              : n.parentIds.filter(p => inStage.has(p)).map(p => inStage.get(p)!);
          },
          rank
        );
        rows.set(r, [...(rows.get(r) ?? []), k]);
      }
      const widest = Math.max(1, ...[...rows.values()].map(r => r.length));
      const w = Math.max(widest * NODE_W + (widest - 1) * NODE_GAP_X + 2 * BOX_PAD, 170);
      const nRows = Math.max(1, rows.size);
      const h = BOX_TITLE + BOX_PAD + nRows * (NODE_H + NODE_GAP_Y) - NODE_GAP_Y + BOX_PAD;
      boxes.set(sid, { x, y, w, h });
      for (const [r, ks] of rows) {
        const rowW = ks.length * NODE_W + (ks.length - 1) * NODE_GAP_X;
        const nx = x + (w - rowW) / 2;
        ks.sort((a, b) => nodes.get(a)!.rddId - nodes.get(b)!.rddId).forEach((k, i) => {
          positions.set(k, { x: nx + i * (NODE_W + NODE_GAP_X), y: y + BOX_TITLE + BOX_PAD + r * (NODE_H + NODE_GAP_Y) });
        });
      }
      y += h + ROW_GAP;
      colW = Math.max(colW, w);
    }
    x += colW + COL_GAP;
  }
  const all = [...boxes.values()];
  return {
    boxes,
    positions,
    width: Math.max(300, ...all.map(b => b.x + b.w)) + MARGIN,
    height: Math.max(40, ...all.map(b => b.y + b.h)) + MARGIN
  };
}

function clip(s: string, n: number): string {
  return s.length <= n ? s : s.slice(0, n - 1) + '\u2026';
}

export function describeNode(n: IDagNode): string {
  const parts = [`${n.scope} [RDD ${n.rddId}]`];
  if (n.callSite) {
    parts.push(`at ${n.callSite}`);
  }
  if (n.numPartitions !== null && n.numPartitions !== undefined) {
    parts.push(`· ${n.numPartitions} partition${n.numPartitions === 1 ? '' : 's'}`);
  }
  if (n.cached) {
    parts.push('· cached');
  }
  return parts.join(' ');
}

let markerSeq = 0;

/** The DAG with its legend and a hover line naming the operator under the pointer. */
export function renderDag(dag: IDag): HTMLElement {
  const { boxes, positions, width, height } = layout(dag);
  const nodes = new Map(dag.nodes.map(n => [n.key, n]));
  // marker ids are document-global; every drawing needs its own
  const seq = ++markerSeq;
  const arrowN = `sparklet-arrow-n-${seq}`;
  const arrowS = `sparklet-arrow-s-${seq}`;
  const root = svg('svg', {
    class: 'sparklet-dag',
    width,
    height,
    viewBox: `0 0 ${width} ${height}`
  });
  root.append(
    svg(
      'defs',
      {},
      svg('marker', { id: arrowN, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
        svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'sparklet-arrow-narrow' })),
      svg('marker', { id: arrowS, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
        svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'sparklet-arrow-shuffle' }))
    )
  );
  for (const s of dag.stages) {
    const b = boxes.get(s.stageId)!;
    let label = `Stage ${s.stageId}${s.skipped ? ' (skipped)' : ''}`;
    if (s.numTasks !== null && s.numTasks !== undefined) {
      label += ` · ${s.numTasks} task${s.numTasks === 1 ? '' : 's'}`;
    }
    root.append(
      svg(
        'g',
        { class: `sparklet-dag-stage${s.skipped ? ' sparklet-mod-skipped' : ''}`, 'data-stage-id': s.stageId },
        svg('rect', { x: b.x, y: b.y, width: b.w, height: b.h, rx: 6 }),
        svg('text', { x: b.x + 8, y: b.y + 15, class: 'sparklet-dag-stage-label' }, label)
      )
    );
  }
  for (const e of dag.edges) {
    const a = positions.get(e.from);
    const b = positions.get(e.to);
    if (!a || !b) {
      continue;
    }
    if (e.kind === 'narrow') {
      root.append(
        svg('line', {
          class: 'sparklet-dag-edge sparklet-mod-narrow',
          x1: a.x + NODE_W / 2, y1: a.y + NODE_H, x2: b.x + NODE_W / 2, y2: b.y - 1,
          'marker-end': `url(#${arrowN})`
        })
      );
    } else {
      const sx = a.x + NODE_W;
      const sy = a.y + NODE_H / 2;
      const tx = b.x - 1;
      const ty = b.y + NODE_H / 2;
      const mid = (sx + tx) / 2;
      root.append(
        svg('path', {
          class: 'sparklet-dag-edge sparklet-mod-shuffle',
          d: `M${sx},${sy} C${mid},${sy} ${mid},${ty} ${tx},${ty}`,
          'marker-end': `url(#${arrowS})`
        })
      );
    }
  }
  const hover = el('div', 'sparklet-dag-hover', 'Hover an operator to see where it was written.');
  for (const [key, p] of positions) {
    const n = nodes.get(key)!;
    const g = svg(
      'g',
      { class: `sparklet-dag-node${n.cached ? ' sparklet-mod-cached' : ''}`, 'data-rdd-id': n.rddId, 'data-scope': n.scope },
      svg('title', {}, describeNode(n)),
      svg('rect', { x: p.x, y: p.y, width: NODE_W, height: NODE_H, rx: 4 }),
      svg('text', { x: p.x + NODE_W / 2, y: p.y + 15, class: 'sparklet-dag-op' }, clip(`${n.scope} [${n.rddId}]`, 24))
    );
    if (n.callSite) {
      g.append(svg('text', { x: p.x + NODE_W / 2, y: p.y + 30, class: 'sparklet-dag-site' }, clip(n.callSite, 28)));
    }
    if (n.cached) {
      g.append(svg('circle', { cx: p.x + NODE_W - 8, cy: p.y + 8, r: 4, class: 'sparklet-dag-cached-mark' }));
    }
    g.addEventListener('mouseenter', () => {
      hover.textContent = describeNode(n);
    });
    root.append(g);
  }
  const legend = el(
    'div',
    'sparklet-dag-legend',
    el('span', 'sparklet-legend-narrow', 'narrow dependency'),
    el('span', 'sparklet-legend-shuffle', 'shuffle dependency'),
    el('span', 'sparklet-legend-cached', 'cached RDD'),
    el('span', 'sparklet-legend-skipped', 'skipped stage')
  );
  return el('div', 'sparklet-dag-view', el('div', 'sparklet-dag-scroll', root), hover, legend);
}
