import {
  Chart, CategoryScale, Filler, LineController, LineElement, LinearScale, PointElement, ScatterController, Tooltip,
} from 'chart.js';
import annotationPlugin from 'chartjs-plugin-annotation';

Chart.register(CategoryScale, Filler, LineController, LineElement, LinearScale, PointElement, ScatterController, Tooltip, annotationPlugin);
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
Chart.defaults.font.size = 13;
Chart.defaults.color = '#1b1b1b';
Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;

// Okabe & Ito (2008), safe for the common colour-vision deficiencies; shapes and line styles repeat every meaning.
export const palette = {
  black: '#000000',
  orange: '#E69F00',
  sky: '#56B4E9',
  green: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  purple: '#CC79A7',
  grey: '#6f777b',
};

export function withAlpha(hex, alpha) {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

const live = new Set();

export function createChart(canvas, config) {
  const chart = new Chart(canvas, config);
  live.add(chart);
  return chart;
}

export function destroyCharts() {
  for (const chart of live) chart.destroy();
  live.clear();
}

// Arrow keys move a highlighted point (with its tooltip) through one dataset; the text of the point is announced.
export function keyboardPoints(chart, datasetIndex, describe, announce) {
  const canvas = chart.canvas;
  let index = -1;
  canvas.addEventListener('keydown', (event) => {
    const count = chart.data.datasets[datasetIndex].data.length;
    if (count === 0) return;
    const moves = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1, Home: 'first', End: 'last' };
    if (!(event.key in moves)) {
      if (event.key === 'Escape') {
        chart.setActiveElements([]);
        chart.tooltip.setActiveElements([], { x: 0, y: 0 });
        chart.update();
      }
      return;
    }
    event.preventDefault();
    const move = moves[event.key];
    index = move === 'first' ? 0 : move === 'last' ? count - 1 : (index + move + count) % count;
    const active = [{ datasetIndex, index }];
    const element = chart.getDatasetMeta(datasetIndex).data[index];
    chart.setActiveElements(active);
    chart.tooltip.setActiveElements(active, { x: element.x, y: element.y });
    chart.update();
    announce(describe(index));
  });
}
