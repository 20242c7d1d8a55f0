/** SVG strings made ready for the documents, without loading Vega (svg.ts does). */
import { escapeHtml } from './escape.js';

/**
 * The SVG for inlining in HTML: without the XML prolog and namespace attributes (HTML's parser
 * puts `<svg>` in the SVG namespace itself), so the page holds no URL of its own.
 */
export function inlineSvg(svg: string): string {
  return svg.replace(/^<\?xml[^>]*>\s*/, '').replace(/^<svg([^>]*)>/, (_m, attrs: string) => `<svg${attrs.replace(/\s+xmlns(:xlink)?="[^"]*"/g, '')}>`);
}

/** The SVG with an accessible name: a `<title>` as its first child (screen readers read it), unless it has one. */
export function titledSvg(svg: string, title: string): string {
  return svg.replace(/<svg([^>]*)>(?!<title>)/, (_m, attrs: string) => `<svg${attrs}><title>${escapeHtml(title)}</title>`);
}
