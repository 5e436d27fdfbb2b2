package io.switchboard.http;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Consumer;

/**
 * Asynchronous work that must happen before the request body is read (authentication, so an
 * unauthenticated client cannot make us buffer a large body). The request is paused across the
 * work, as Vert.x's own authentication handlers do, so no body bytes are lost, and resumed just
 * before the next handler (the body handler) runs.
 *
 * <p>Usage: {@code BeforeBody.await(ctx, auth.check(header), principal -> ctx.put(KEY,
 * principal))}.
 */
public final class BeforeBody {
  private BeforeBody() {}

  /** Runs {@code onSuccess} then {@code ctx.next()}; fails the request if {@code work} fails. */
  public static <T> void await(RoutingContext ctx, Future<T> work, Consumer<T> onSuccess) {
    boolean paused = !ctx.request().isEnded();
    if (paused) {
      ctx.request().pause();
    }
    work.onComplete(
        result -> {
          if (paused) {
            ctx.request().resume();
          }
          if (result.failed()) {
            ctx.fail(result.cause());
            return;
          }
          try {
            onSuccess.accept(result.result());
          } catch (RuntimeException e) {
            ctx.fail(e);
            return;
          }
          ctx.next();
        });
  }
}
