/** The package entry: the embeddable plugin API. The daemon itself is the `catalyst-metrics` bin. */
export {
  createObservabilityPlugin,
  type Counter,
  type Gauge,
  type MetricLabels,
  type ObservabilityPlugin,
  type PluginOptions,
} from './plugin/plugin.js';
