/**
 * A job's DAG as SVG, drawn from the layout the kernel computed (`sparklet_kernel/dag.py`), so the
 * cell output, the panel, `%spark dag` and exported HTML show the same picture: one node per
 * operator the user called, stage boxes in columns, narrow dependencies as solid arrows inside a
 * stage and shuffle dependencies as dashed curves between stages, cached operators and skipped
 * stages marked. A wide DAG fits the available width; a toggle shows it at 100% (scrolling).
 * Hovering an operator names its RDDs, where the user wrote it and its partition count.
 */

import { IDag, IDagNode } from './protocol';
import { el, svg } from './format';

/** Where the kernel placed everything (px at 100%); see protocol.md, "Dag". */
export interface IDagLayout {
  width: number;
  height: number;
  nodeW: number;
  nodeH: number;
  stages: Record<string, [number, number, number, number]>;
  nodes: Record<string, [number, number]>;
  /** SVG path data of each edge, in the order of the DAG's edges. */
  edges: string[];
  /** [operator text, call-site text] of each node, already clipped. */
  labels: Record<string, [string, string]>;
}

/** The DAG as the kernel sends it: the protocol's fields plus the layout and the code it came from. */
export interface ILaidOutDag extends IDag {
  layout?: IDagLayout;
  origin?: { callSite: string; code: string };
}

type Node = IDagNode & { rddIds?: number[] };

const FONT_OP = 12;
const FONT_SITE = 11;
const FONT_STAGE = 12;

export function describeNode(n: Node): string {
  const ids = n.rddIds && n.rddIds.length ? n.rddIds : [n.rddId];
  const parts = [`${n.scope} [RDD ${ids.join(', ')}]`];
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

function stageLabel(s: IDag['stages'][number]): string {
  let label = `Stage ${s.stageId}${s.skipped ? ' (skipped)' : ''}`;
  if (s.numTasks !== null && s.numTasks !== undefined) {
    label += ` · ${s.numTasks} task${s.numTasks === 1 ? '' : 's'}`;
  }
  return label;
}

/** A DAG saved by a kernel that sent no layout: its stages as text, operators in order. */
function renderWithoutLayout(dag: IDag): HTMLElement {
  const nodes = new Map(dag.nodes.map(n => [n.key, n]));
  return el(
    'div',
    'sparklet-dag-view',
    ...dag.stages.map(s =>
      el('div', 'sparklet-dag-text', `${stageLabel(s)}: ${s.nodes.map(k => nodes.get(k)?.scope ?? k).join(' → ')}`)
    )
  );
}

let drawingSeq = 0;

/** A translation function in the shape of JupyterLab's `TranslationBundle.__` (`%1` placeholders). */
export type DagTranslate = (msgid: string, ...args: string[]) => string;

const untranslated: DagTranslate = (msgid, ...args) => msgid.replace(/%(\d)/g, (_, i) => args[Number(i) - 1] ?? '');

/**
 * The DAG with its legend, a hover line naming the operator under the pointer and a fit/100%
 * toggle. `__` translates the words this function adds beyond the stage labels, hint and legend
 * (the zoom toggle and the line naming the code the job came from).
 */
export function renderDag(dag: IDag, __: DagTranslate = untranslated): HTMLElement {
  const laid = dag as ILaidOutDag;
  const lay = laid.layout;
  if (!lay) {
    return renderWithoutLayout(dag);
  }
  // marker ids are document-global; every drawing needs its own
  const seq = ++drawingSeq;
  const arrowN = `sparklet-arrow-n-lab${seq}`;
  const arrowS = `sparklet-arrow-s-lab${seq}`;
  const root = svg('svg', {
    class: 'sparklet-dag sparklet-mod-fit',
    width: lay.width,
    height: lay.height,
    viewBox: `0 0 ${lay.width} ${lay.height}`,
    'data-width': lay.width
  });
  root.style.maxWidth = `${lay.width}px`;
  const marker = (id: string, cls: string): SVGElement =>
    svg(
      'marker',
      { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      svg('path', { d: 'M0,0 L10,5 L0,10 z', class: cls })
    );
  root.append(svg('defs', {}, marker(arrowN, 'sparklet-arrow-narrow'), marker(arrowS, 'sparklet-arrow-shuffle')));
  for (const s of dag.stages) {
    const box = lay.stages[String(s.stageId)];
    if (!box) {
      continue;
    }
    const [x, y, w, h] = box;
    root.append(
      svg(
        'g',
        { class: `sparklet-dag-stage${s.skipped ? ' sparklet-mod-skipped' : ''}`, 'data-stage-id': s.stageId },
        svg('rect', { x, y, width: w, height: h, rx: 6 }),
        svg('text', { x: x + 8, y: y + 16, class: 'sparklet-dag-stage-label', 'font-size': FONT_STAGE }, stageLabel(s))
      )
    );
  }
  dag.edges.forEach((e, i) => {
    const d = lay.edges[i];
    if (!d) {
      return;
    }
    root.append(
      svg('path', {
        class: `sparklet-dag-edge sparklet-mod-${e.kind === 'narrow' ? 'narrow' : 'shuffle'}`,
        d,
        'marker-end': `url(#${e.kind === 'narrow' ? arrowN : arrowS})`
      })
    );
  });
  const hover = el('div', 'sparklet-dag-hover', 'Hover an operator to see where it was written.');
  for (const n of dag.nodes as Node[]) {
    const p = lay.nodes[n.key];
    if (!p) {
      continue;
    }
    const [x, y] = p;
    const [op, site] = lay.labels[n.key] ?? [n.scope, n.callSite];
    const g = svg(
      'g',
      { class: `sparklet-dag-node${n.cached ? ' sparklet-mod-cached' : ''}`, 'data-rdd-id': n.rddId, 'data-scope': n.scope },
      svg('title', {}, describeNode(n)),
      svg('rect', { x, y, width: lay.nodeW, height: lay.nodeH, rx: 4 }),
      svg('text', { x: x + lay.nodeW / 2, y: y + (site ? 17 : 25), class: 'sparklet-dag-op', 'font-size': FONT_OP }, op)
    );
    if (site) {
      g.append(svg('text', { x: x + lay.nodeW / 2, y: y + 32, class: 'sparklet-dag-site', 'font-size': FONT_SITE }, site));
    }
    if (n.cached) {
      g.append(svg('circle', { cx: x + lay.nodeW - 8, cy: y + 8, r: 4, class: 'sparklet-dag-cached-mark' }));
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
  const zoom = el('button', 'sparklet-dag-zoom', __('100%'));
  zoom.type = 'button';
  zoom.title = __('Show the DAG at full size (scroll) or fitted to the width');
  zoom.addEventListener('click', () => {
    const fit = root.classList.toggle('sparklet-mod-fit');
    zoom.textContent = fit ? __('100%') : __('Fit');
  });
  const origin = laid.origin
    ? el('div', 'sparklet-dag-origin', __('from %1: ', laid.origin.callSite), el('code', '', laid.origin.code))
    : null;
  return el('div', 'sparklet-dag-view', origin, el('div', 'sparklet-dag-scroll', root), el('div', 'sparklet-dag-foot', hover, zoom), legend);
}
