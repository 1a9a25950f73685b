package io.manifold.http;

import java.util.concurrent.Executor;

/**
 * Runs a stage's callback on the thread that completes the stage. Pekko hands out its futures as
 * Scala's {@code CompletableFuture} view, which turns every {@code whenComplete} and
 * {@code thenApply} into its {@code ...Async} form on the common pool; on a 2-core machine the
 * common pool has a single thread, and the JDK then starts a new thread for each callback
 * ({@code CompletableFuture.ThreadPerTaskExecutor}): a thread per request. The router's callbacks
 * are short and never block, so they run where the stage completes: pass this to the
 * {@code ...Async} form.
 */
final class SameThread implements Executor {
  static final Executor INSTANCE = new SameThread();

  private SameThread() {}

  @Override
  public void execute(Runnable task) {
    task.run();
  }
}
