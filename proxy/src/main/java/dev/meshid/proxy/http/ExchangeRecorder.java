package dev.meshid.proxy.http;

import dev.meshid.proxy.accesslog.AccessLog;
import dev.meshid.proxy.admin.ProxyMetrics;
import java.time.Clock;

/**
 * Where one listener reports finished exchanges: the access log and the request counters.
 *
 * @param direction the listener
 * @param accessLog the access log (possibly off)
 * @param metrics the counters
 * @param clock the wall clock for START_TIME
 */
public record ExchangeRecorder(ProxyMetrics.Direction direction, AccessLog accessLog, ProxyMetrics metrics,
    Clock clock) {
}
