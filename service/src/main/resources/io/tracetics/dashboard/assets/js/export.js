// Downloads made in the page: a table as CSV, an SVG chart as an SVG file or a PNG, a canvas
// chart (uPlot) as a PNG. Files are handed over with api.js's saveBlob.

import {h} from './dom.js';
import {saveBlob} from './api.js';

/** One RFC 4180 field, as the API's CSV writes them: quoted when needed; null is empty. */
function csvField(value) {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text === '' || /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows (the first one the header) as CSV text with CRLF line ends. */
export function csvText(rows) {
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export function csvBlob(rows) {
  return new Blob([csvText(rows)], {type: 'text/csv;charset=utf-8'});
}

/** A name fit for a file: "Signup funnel!" -> "signup-funnel". */
export function fileStem(text) {
  const stem = String(text || '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return stem || 'chart';
}

// What the dashboard's stylesheet gives a chart's shapes and text: copied onto the file's elements
// as presentation attributes, so the file looks the same without the stylesheet.
const PAINT = ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-dasharray',
  'stroke-linejoin', 'paint-order', 'opacity', 'font-family', 'font-size', 'font-weight', 'text-anchor'];

/** A standalone copy of an SVG chart that is in the page: styles inlined, on a white background. */
export function standaloneSvg(svg) {
  const copy = svg.cloneNode(true);
  const from = [svg, ...svg.querySelectorAll('*')];
  const to = [copy, ...copy.querySelectorAll('*')];
  from.forEach((el, i) => {
    const style = getComputedStyle(el);
    const target = to[i];
    for (const name of PAINT) {
      const value = style.getPropertyValue(name);
      if (value && !(name === 'paint-order' && value === 'normal')) target.setAttribute(name, value);
    }
    for (const name of ['tabindex', 'role', 'aria-label', 'data-testid']) target.removeAttribute(name);
  });
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const width = Number(svg.getAttribute('width')) || svg.getBoundingClientRect().width;
  const height = Number(svg.getAttribute('height')) || svg.getBoundingClientRect().height;
  copy.setAttribute('width', width);
  copy.setAttribute('height', height);
  const background = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  for (const [k, v] of Object.entries({x: 0, y: 0, width, height, fill: '#ffffff'})) background.setAttribute(k, v);
  copy.insertBefore(background, copy.firstChild);
  return {copy, width, height};
}

export function svgBlob(svg, standalone = standaloneSvg(svg)) {
  const {copy} = standalone;
  const text = `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}`;
  return new Blob([text], {type: 'image/svg+xml;charset=utf-8'});
}

/** A canvas as a PNG blob. */
function canvasBlob(canvas) {
  return new Promise((resolve, reject) => canvas.toBlob(
    (blob) => (blob ? resolve(blob) : reject(new Error('The chart could not be saved as a PNG.'))), 'image/png'));
}

/**
 * An SVG chart as a PNG at twice its size: the SVG file drawn onto a canvas (through a blob: URL,
 * which the dashboard's Content-Security-Policy allows as an image).
 */
export function svgPng(svg, scale = 2) {
  const standalone = standaloneSvg(svg);
  const {width, height} = standalone;
  const url = URL.createObjectURL(svgBlob(svg, standalone));
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = Math.round(width * scale);
      canvas.height = Math.round(height * scale);
      const context = canvas.getContext('2d');
      context.fillStyle = '#ffffff';
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      URL.revokeObjectURL(url);
      canvasBlob(canvas).then(resolve, reject);
    };
    image.onerror = () => {
      URL.revokeObjectURL(url);
      reject(new Error('The chart could not be drawn as a PNG.'));
    };
    image.src = url;
  });
}

/** A canvas chart (uPlot draws on one) as a PNG on a white background. */
export function canvasPng(source) {
  const canvas = document.createElement('canvas');
  canvas.width = source.width;
  canvas.height = source.height;
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(source, 0, 0);
  return canvasBlob(canvas);
}

function downloadButton(text, label, testid, make, filename) {
  const button = h('button', {type: 'button', class: 'button small', 'aria-label': label, 'data-testid': testid}, text);
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      saveBlob(await make(), filename());
    } catch (e) {
      button.title = e.message;
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

/**
 * Download buttons for a chart: `svg()` returns the chart's current <svg> (it is redrawn on
 * resize), `what` names it for screen readers, `stem` is the file name without extension.
 */
export function chartDownloads(svg, what, stem, testid = 'chart') {
  return h('div', {class: 'downloads', role: 'group', 'aria-label': `Download ${what}`},
    downloadButton('SVG', `Download ${what} as SVG`, `${testid}-svg`, async () => svgBlob(svg()), () => `${stem}.svg`),
    downloadButton('PNG', `Download ${what} as PNG`, `${testid}-png`, () => svgPng(svg()), () => `${stem}.png`));
}

/** A download button for a canvas chart: PNG only. */
export function canvasDownload(canvas, what, stem, testid = 'chart') {
  return h('div', {class: 'downloads', role: 'group', 'aria-label': `Download ${what}`},
    downloadButton('PNG', `Download ${what} as PNG`, `${testid}-png`, () => canvasPng(canvas()), () => `${stem}.png`));
}

/** A "Download CSV" button: `rows()` the table (header first), `stem` the file name. */
export function csvDownload(rows, stem, testid = 'csv', text = 'Download CSV') {
  return downloadButton(text, `${text}: ${stem}.csv`, testid, async () => csvBlob(rows()), () => `${stem}.csv`);
}

/** A download button for anything else: `make()` resolves to a Blob. */
export function blobDownload(text, label, testid, make, filename) {
  return downloadButton(text, label, testid, make, filename);
}
