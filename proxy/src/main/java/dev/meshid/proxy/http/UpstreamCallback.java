package dev.meshid.proxy.http;

import io.netty.handler.codec.http.FullHttpResponse;

/** Receives the outcome of one upstream exchange, on the event loop that started it. */
public interface UpstreamCallback {

  /** The response; the callee owns (and must release or pass on) it. */
  void onResponse(FullHttpResponse response);

  /** No response will come. */
  void onFailure(UpstreamFailure failure);
}
