package dev.meshid.sds.server;

import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayList;
import java.util.List;

/** The server side of a stream without a transport: records what the service sends, for fuzzing. */
final class FakeServerStream<R> extends ServerCallStreamObserver<R> {
  final List<R> values = new ArrayList<>();
  Throwable error;
  boolean completed;

  @Override
  public void onNext(R value) {
    if (error != null || completed) {
      throw new IllegalStateException("onNext after the call ended");
    }
    values.add(value);
  }

  @Override
  public void onError(Throwable t) {
    if (error != null || completed) {
      throw new IllegalStateException("onError after the call ended");
    }
    error = t;
  }

  @Override
  public void onCompleted() {
    if (error != null || completed) {
      throw new IllegalStateException("onCompleted after the call ended");
    }
    completed = true;
  }

  @Override
  public boolean isCancelled() {
    return false;
  }

  @Override
  public void setOnCancelHandler(Runnable onCancelHandler) {
  }

  @Override
  public void setCompression(String compression) {
  }

  @Override
  public boolean isReady() {
    return true;
  }

  @Override
  public void setOnReadyHandler(Runnable onReadyHandler) {
  }

  @Override
  public void request(int count) {
  }

  @Override
  public void setMessageCompression(boolean enable) {
  }

  @Override
  public void disableAutoInboundFlowControl() {
  }
}
