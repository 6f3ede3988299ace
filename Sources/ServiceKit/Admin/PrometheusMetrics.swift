import Metrics
import Prometheus

/// The process-wide Prometheus registry behind swift-metrics; `/metrics` renders it.
public enum PrometheusMetrics {
    public static let registry = PrometheusCollectorRegistry()

    /// Installs the Prometheus backend once per process (later calls do nothing).
    public static func bootstrap() {
        _ = self.installed
    }

    private static let installed: Void = {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }()

    public static func render() -> [UInt8] {
        self.registry.emitToBuffer()
    }
}
