import CPostgres
import Logging

/// Routes a connection's NOTICE/WARNING messages to the logger at debug level.
///
/// Without a notice receiver libpq prints them to stderr, which is not a structured log.
/// The connection keeps the sink alive for as long as libpq may call it.
final class PostgresNoticeSink {
    let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    func install(on handle: OpaquePointer) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        PQsetNoticeReceiver(handle, { context, result in
            guard let context, let result else { return }
            let sink = Unmanaged<PostgresNoticeSink>.fromOpaque(context).takeUnretainedValue()
            sink.logger.debug(
                "postgres notice",
                metadata: [
                    "severity": "\(PostgresConnection.field(result, "V") ?? "NOTICE")",
                    "sqlstate": "\(PostgresConnection.field(result, "C") ?? "")",
                    "notice": "\(PostgresConnection.field(result, "M") ?? "")",
                ]
            )
        }, context)
    }
}
