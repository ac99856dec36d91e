// Statistics (/statistics, view_stat): a period with quick windows and a grouping, totals, dialogs over time as a
// stacked bar chart drawn here as SVG, channels and topics as bars that open the history filtered by them, and the
// operators table with sorting and pages. Every table downloads as CSV from the same API the page reads.
import { $, t, element, api, language, startPage, navigation, formatNumber, formatDuration, formatDateTime, toLocalInput, fromLocalInput, showError } from './supervisor.common.js';

const pageSize = 20;
const operatorTable = { rows: [], sort: 'displayName', descending: false, page: 0 };
let period = null;

function query(extra = {}) {
  const q = new URLSearchParams({ from: period.from.toISOString(), to: period.to.toISOString(), ...extra });
  const put = (name, id) => { const value = $(id).value.trim(); if (value) q.set(name, value); };
  put('callCentre', 'f-call-centre'); put('line', 'f-line'); put('channel', 'f-channel');
  return q;
}

function csvLink(id, table, extra = {}) {
  $(id).href = `/api/v1/statistics/${table}?${query({ ...extra, format: 'csv', lang: language })}`;
}

async function load() {
  $('period-error').textContent = '';
  const from = fromLocalInput($('from').value), to = fromLocalInput($('to').value);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from >= to) { $('period-error').textContent = t('no-data'); return; }
  period = { from, to };
  const step = $('step').value;
  $('main').setAttribute('aria-busy', 'true');
  try {
    const [summary, operators, series, channels, topics, statusTimes] = await Promise.all([
      api(`/statistics/summary?${query()}`), api(`/statistics/operators?${query()}`), api(`/statistics/series?${query({ step })}`),
      api(`/statistics/channels?${query()}`), api(`/statistics/topics?${query()}`), api(`/statistics/status-times?${query()}`)]);
    showSummary(summary);
    drawChart(series, step);
    drawBars($('channels'), channels, key => ({ channel: key }), key => key);
    drawBars($('topics'), topics, key => (key ? { topic: key } : null), key => key || t('no-topic'));
    operatorTable.rows = operators; operatorTable.page = 0;
    showOperators();
    csvLink('csv-summary', 'summary'); csvLink('csv-operators', 'operators'); csvLink('csv-series', 'series', { step });
    csvLink('csv-channels', 'channels'); csvLink('csv-topics', 'topics'); csvLink('csv-status-times', 'status-times');
    showStatusTimes(statusTimes);
  } catch (error) {
    showError($('period-error'), error);
  } finally {
    $('main').setAttribute('aria-busy', 'false');
  }
}

// Each operator's time per status in the period, and with at least one dialog; operators with no time at all are left out.
function showStatusTimes(rows) {
  const columns = ['online', 'invisible', 'lunch', 'training', 'offline', 'withDialogs'];
  const shown = rows.filter(r => columns.some(c => r[c] > 0));
  $('status-rows').replaceChildren(...shown.map(r => element('tr', { dataset: { login: r.login } },
    element('td', { textContent: r.displayName }),
    ...columns.map(c => element('td', { className: 'num', textContent: formatDuration(r[c]) })))));
}

function showSummary(s) {
  $('s-dialogs').textContent = formatNumber(s.dialogs);
  $('s-bot-only').textContent = formatNumber(s.handledByBotOnly);
  $('s-operators').textContent = formatNumber(s.handledByOperators);
  $('s-queued').textContent = formatNumber(s.queuedNeverAssigned);
  $('s-closed').textContent = formatNumber(s.closed);
  $('s-avg-close').textContent = formatDuration(s.avgCloseSeconds);
  $('s-avg-first').textContent = formatDuration(s.avgFirstResponseSeconds);
  $('s-avg-response').textContent = formatDuration(s.avgResponseSeconds);
  $('s-per-dialog').textContent = formatNumber(s.messagesPerDialog);
  $('s-pairs').textContent = formatNumber(s.questionAnswerPairs);
}

const svgNs = 'http://www.w3.org/2000/svg';
function svg(tag, attributes = {}, ...children) {
  const node = document.createElementNS(svgNs, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  node.append(...children);
  return node;
}

// Dialogs per bucket, the bot's alone below and the operators' on top, with a few time labels under the bars.
function drawChart(series, step) {
  const width = 1000, height = 220, left = 40, bottom = 28, top = 10;
  const max = Math.max(1, ...series.map(b => b.dialogs));
  const band = (width - left) / Math.max(1, series.length);
  const scale = value => (value / max) * (height - top - bottom);
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': t('chart-title'), class: 'bars-chart' });
  chart.append(svg('line', { x1: left, y1: height - bottom, x2: width, y2: height - bottom, class: 'axis' }));
  for (const tick of [0, Math.round(max / 2), max]) {
    const y = height - bottom - scale(tick);
    chart.append(svg('text', { x: left - 6, y: y + 4, 'text-anchor': 'end', class: 'tick' }, String(tick)));
  }
  const labelEvery = Math.max(1, Math.ceil(series.length / 8));
  series.forEach((bucket, i) => {
    const x = left + i * band + band * 0.1, w = Math.max(1, band * 0.8);
    const operators = scale(bucket.handledByOperators), bot = scale(bucket.dialogs - bucket.handledByOperators);
    const title = `${formatDateTime(bucket.start)}: ${bucket.dialogs} (${t('bot')} ${bucket.dialogs - bucket.handledByOperators}, ${t('operators')} ${bucket.handledByOperators})`;
    const group = svg('g', { class: 'bucket', 'data-dialogs': bucket.dialogs }, svg('title', {}, title));
    group.append(svg('rect', { x, y: height - bottom - bot, width: w, height: bot, class: 'bot' }));
    group.append(svg('rect', { x, y: height - bottom - bot - operators, width: w, height: operators, class: 'operators' }));
    chart.append(group);
    if (i % labelEvery === 0) {
      const at = new Date(bucket.start);
      const label = step === '1d' ? at.toLocaleDateString(language) : at.toLocaleTimeString(language, { hour: '2-digit', minute: '2-digit' });
      chart.append(svg('text', { x: x + w / 2, y: height - 8, 'text-anchor': 'middle', class: 'tick' }, label));
    }
  });
  const legend = element('div', { className: 'legend' },
    element('span', { className: 'swatch bot' }), t('bot'), element('span', { className: 'swatch operators' }), t('operators'));
  $('chart').replaceChildren(chart, legend);
}

// A breakdown as horizontal bars; a click opens the history search for that channel or topic in this period.
function drawBars(box, rows, filterOf, labelOf) {
  if (rows.length === 0) { box.replaceChildren(element('div', { className: 'empty', textContent: t('no-data') })); return; }
  const max = Math.max(...rows.map(r => r.dialogs));
  box.replaceChildren(...rows.map(r => {
    const filter = filterOf(r.key);
    const bar = element('span', { className: 'bar' }, element('span', { style: `width:${(100 * r.dialogs) / max}%` }));
    const row = element(filter ? 'a' : 'div', { className: 'bar-row', title: filter ? t('to-history') : null, dataset: { key: r.key } },
      element('span', { className: 'name', textContent: labelOf(r.key) }), bar, element('b', { textContent: formatNumber(r.dialogs) }));
    if (filter) row.href = `/history?${new URLSearchParams({ lang: language, from: period.from.toISOString(), to: period.to.toISOString(), ...filter })}`;
    return row;
  }));
}

function showOperators() {
  const { sort, descending } = operatorTable;
  const sorted = [...operatorTable.rows].sort((a, b) => {
    const x = a[sort], y = b[sort];
    const order = x === y ? 0 : x === null ? 1 : y === null ? -1 : typeof x === 'string' ? x.localeCompare(y, language) : x - y;
    return descending ? -order : order;
  });
  const pages = Math.max(1, Math.ceil(sorted.length / pageSize));
  operatorTable.page = Math.min(operatorTable.page, pages - 1);
  const shown = sorted.slice(operatorTable.page * pageSize, (operatorTable.page + 1) * pageSize);
  $('operator-rows').replaceChildren(...shown.map(o => element('tr', { dataset: { login: o.login } },
    element('td', {}, element('a', {
      textContent: o.displayName, title: t('to-history'),
      href: `/history?${new URLSearchParams({ lang: language, from: period.from.toISOString(), to: period.to.toISOString(), operatorId: o.operatorId })}`,
    })),
    element('td', { className: 'num', textContent: formatNumber(o.dialogs) }),
    element('td', { className: 'num', textContent: formatNumber(o.messages) }),
    element('td', { className: 'num', textContent: formatNumber(o.questionAnswerPairs) }),
    element('td', { className: 'num', textContent: formatNumber(o.closed) }),
    element('td', { className: 'num', textContent: formatDuration(o.avgCloseSeconds) }),
    element('td', { className: 'num', textContent: formatDuration(o.avgResponseSeconds) }),
    element('td', { className: 'num', textContent: formatNumber(o.avgMessageLength) }))));
  $('op-shown').textContent = t('page', { page: operatorTable.page + 1, pages });
  $('op-prev').disabled = operatorTable.page === 0;
  $('op-next').disabled = operatorTable.page >= pages - 1;
  for (const th of document.querySelectorAll('#operators th[data-sort]')) {
    th.dataset.order = th.dataset.sort === sort ? (descending ? 'descending' : 'ascending') : '';
  }
}

for (const th of document.querySelectorAll('#operators th[data-sort]')) {
  th.addEventListener('click', () => {
    operatorTable.descending = operatorTable.sort === th.dataset.sort ? !operatorTable.descending : th.dataset.sort !== 'displayName';
    operatorTable.sort = th.dataset.sort;
    showOperators();
  });
}
$('op-prev').addEventListener('click', () => { operatorTable.page--; showOperators(); });
$('op-next').addEventListener('click', () => { operatorTable.page++; showOperators(); });

for (const button of document.querySelectorAll('[data-window]')) {
  button.addEventListener('click', () => {
    const to = new Date();
    $('to').value = toLocalInput(to);
    $('from').value = toLocalInput(new Date(to.getTime() - Number(button.dataset.window) * 60_000));
    const minutes = Number(button.dataset.window);
    $('step').value = minutes <= 240 ? '15m' : minutes <= 1440 ? '1h' : '1d';
    load();
  });
}
$('period').addEventListener('submit', event => { event.preventDefault(); load(); });

// The period comes from the address (a link from another page) or is the last day.
const asked = new URLSearchParams(location.search);
const initialTo = asked.get('to') ? new Date(asked.get('to')) : new Date();
const initialFrom = asked.get('from') ? new Date(asked.get('from')) : new Date(initialTo.getTime() - 86_400_000);
$('to').value = toLocalInput(initialTo);
$('from').value = toLocalInput(initialFrom);
if (asked.get('step')) $('step').value = asked.get('step');
navigation();
await startPage(['view_stat'], load);
