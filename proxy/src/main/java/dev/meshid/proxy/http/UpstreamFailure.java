package dev.meshid.proxy.http;

/**
 * Why no upstream response came, as the downstream client will see it.
 *
 * @param status the status to answer with (503 connect/TLS failure, 504 timeout)
 * @param flags Envoy's response flags for the access log ({@code UF}, {@code UT}, {@code UC})
 * @param detail a message for the proxy's log and the response body
 * @param retryable true when the request was certainly not processed (a pooled connection was found
 *     closed before anything was received), so sending it again is safe
 */
public record UpstreamFailure(int status, String flags, String detail, boolean retryable) {}
