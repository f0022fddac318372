/**
 * The DAG drawing's fixed words (dag.ts writes them in English) in the view's language. dag.ts
 * belongs to the DAG layout work and takes no translator yet; until it does, the views translate
 * its stage labels, hint and legend after drawing, by their classes. The hover text of each
 * operator (its scope, RDD id and call site) is data and stays as it is.
 */

import { ITrans } from './i18n';

export function localiseDag(view: HTMLElement, trans: ITrans): HTMLElement {
  if (trans.language === 'en') {
    return view;
  }
  for (const label of view.querySelectorAll('.sparklet-dag-stage-label')) {
    const m = /^Stage (\d+)( \(skipped\))?(?: · (\d+) tasks?)?$/.exec(label.textContent ?? '');
    if (m) {
      let text = trans.__('Stage %1', m[1]);
      if (m[2]) {
        text += ' ' + trans.__('(skipped)');
      }
      if (m[3]) {
        text += ' · ' + trans._n('%1 task', '%1 tasks', Number(m[3]));
      }
      label.textContent = text;
    }
  }
  const hover = view.querySelector('.sparklet-dag-hover');
  if (hover && hover.textContent === 'Hover an operator to see where it was written.') {
    hover.textContent = trans.__('Hover an operator to see where it was written.');
  }
  const legend: Record<string, string> = {
    'sparklet-legend-narrow': trans.__('narrow dependency'),
    'sparklet-legend-shuffle': trans.__('shuffle dependency'),
    'sparklet-legend-cached': trans.__('cached RDD'),
    'sparklet-legend-skipped': trans.__('skipped stage')
  };
  for (const [cls, text] of Object.entries(legend)) {
    const item = view.querySelector(`.${cls}`);
    if (item) {
      item.textContent = text;
    }
  }
  return view;
}
