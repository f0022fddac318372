/**
 * The `sparklet` translation domain. Every string of the views goes through JupyterLab's
 * `ITranslator` (`translator.load('sparklet')`), so an installed language pack that carries a
 * `sparklet` catalog translates them. JupyterLab's server serves extension catalogs only for
 * locales a language pack is installed for, which needs the network; so the catalogs of this
 * package (the Korean one today) are also bundled here, in the same Jed JSON format a language
 * pack uses, and win over the server's for their language.
 *
 * The language is the notebook's own when its metadata says so (`"language": "ko"`, as the
 * Korean tutorials do), else JupyterLab's display language.
 */

import { ITranslator, TranslationBundle, nullTranslator } from '@jupyterlab/translation';

import KO from './locale/ko.json';

export const DOMAIN = 'sparklet';

/** A Jed catalog: `{"": header, msgid: [msgstr, plural msgstrs...]}`. */
type Catalog = Record<string, unknown>;

const CATALOGS: Record<string, Catalog> = { ko: KO as Catalog };

/** The subset of `TranslationBundle` the views call. */
export interface ITrans {
  /** The language code the strings are in (`en`, `ko`, ...). */
  readonly language: string;
  __(msgid: string, ...args: (string | number)[]): string;
  _n(msgid: string, msgidPlural: string, n: number, ...args: (string | number)[]): string;
}

function strfmt(fmt: string, args: (string | number)[]): string {
  return fmt.replace(/%(\d+)/g, (m, i) => (Number(i) - 1 < args.length ? String(args[Number(i) - 1]) : m));
}

/** The primary language subtag: `ko-KR`, `ko_KR` and `ko` are all `ko`. */
export function languageOf(code: string | null | undefined): string {
  return (code || 'en').toLowerCase().split(/[-_]/)[0];
}

class Trans implements ITrans {
  constructor(
    readonly language: string,
    private catalog: Catalog | null,
    private fallback: TranslationBundle
  ) {}

  __(msgid: string, ...args: (string | number)[]): string {
    const t = this.catalog?.[msgid];
    if (Array.isArray(t) && typeof t[0] === 'string' && t[0]) {
      return strfmt(t[0], args);
    }
    return this.fallback.__(msgid, ...args);
  }

  _n(msgid: string, msgidPlural: string, n: number, ...args: (string | number)[]): string {
    const t = this.catalog?.[msgid];
    if (Array.isArray(t) && t.length) {
      // Korean has one plural form; a catalog with two uses the English rule
      const form = t.length === 1 ? t[0] : t[n === 1 ? 0 : 1];
      if (typeof form === 'string' && form) {
        return strfmt(form, [n, ...args]);
      }
    }
    return this.fallback._n(msgid, msgidPlural, n, ...args);
  }
}

/** The strings of one language, for the views of one notebook or of the whole lab. */
export class SparkletTranslator {
  constructor(translator: ITranslator | null) {
    this.translator = translator ?? nullTranslator;
    this.fallback = this.translator.load(DOMAIN);
  }

  /** JupyterLab's display language (its `languageCode`, `en` when none is set). */
  get labLanguage(): string {
    return languageOf((this.translator as any).languageCode);
  }

  /** Strings in `language` (a notebook's), else in JupyterLab's display language. */
  forLanguage(language?: string | null): ITrans {
    const lang = language ? languageOf(language) : this.labLanguage;
    let trans = this.cache.get(lang);
    if (!trans) {
      trans = new Trans(lang, CATALOGS[lang] ?? null, lang === this.labLanguage ? this.fallback : nullTranslator.load(DOMAIN));
      this.cache.set(lang, trans);
    }
    return trans;
  }

  private translator: ITranslator;
  private fallback: TranslationBundle;
  private cache = new Map<string, ITrans>();
}

/** English strings, for code that runs before a translator exists (and for tests of shape). */
export const english: ITrans = new Trans('en', null, nullTranslator.load(DOMAIN));

/** The natural language a notebook's metadata names (`"language": "ko"`), or null. */
export function notebookLanguage(metadata: Record<string, unknown> | null | undefined): string | null {
  const lang = metadata?.['language'];
  return typeof lang === 'string' && /^[A-Za-z]{2,3}([-_][A-Za-z0-9]+)*$/.test(lang) ? lang : null;
}
