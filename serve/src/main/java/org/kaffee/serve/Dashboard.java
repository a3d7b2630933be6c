package org.kaffee.serve;

import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.kaffee.core.KaffeeException;

/**
 * {@code kaffee serve}: static pages and a JSON API over a runs directory. Binds 127.0.0.1
 * unless told otherwise, and then only with a token that every API request must carry
 * (header {@code Authorization: Bearer T} or {@code ?token=T}).
 */
public final class Dashboard implements AutoCloseable {
  private final Javalin app;

  private Dashboard(Javalin app) {
    this.app = app;
  }

  /** Starts serving {@code root} on {@code bind}:{@code port} (port 0: any free port). */
  public static Dashboard start(RunsRoot root, String bind, int port, String token) {
    boolean loopback;
    try {
      loopback = InetAddress.getByName(bind).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new KaffeeException("--bind: unknown address " + bind);
    }
    KaffeeException.check(loopback || (token != null && !token.isEmpty()),
        "--bind=%s makes the dashboard reachable from other machines: give --token too", bind);
    Javalin app = Javalin.create(config -> {
      config.showJavalinBanner = false;
      config.staticFiles.add("/org/kaffee/serve/web", Location.CLASSPATH);
      config.http.maxRequestSize = ModelsApi.MAX_UPLOAD_BYTES + 65536;
      config.jetty.multipartConfig.maxFileSize(ModelsApi.MAX_UPLOAD_BYTES, SizeUnit.BYTES);
      config.jetty.multipartConfig.maxTotalRequestSize(ModelsApi.MAX_UPLOAD_BYTES + 65536L, SizeUnit.BYTES);
    });
    if (token != null && !token.isEmpty()) {
      app.before("/api/*", ctx -> checkToken(ctx, token));
    }
    app.before("/api/*", Dashboard::checkSize);
    app.exception(HttpProblem.class, (e, ctx) -> error(ctx, e.status, e.getMessage()));
    app.exception(KaffeeException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
    app.exception(Exception.class, (e, ctx) -> {
      String message = String.valueOf(rootCause(e).getMessage());
      if (message.contains("exceeds")) {  // a multipart upload without a length, cut off while read
        error(ctx, 413, "the upload is larger than " + (ModelsApi.MAX_UPLOAD_BYTES >> 20) + " MB");
      } else {
        error(ctx, 500, e.getClass().getSimpleName() + ": " + e.getMessage());
      }
    });
    new RunsApi(root).register(app);
    new ModelsApi(root).register(app);
    new DatasetsApi(root).register(app);
    try {
      app.start(bind, port);
    } catch (RuntimeException e) {
      app.stop();
      throw new KaffeeException("cannot serve on " + bind + ":" + port + ": " + rootCause(e).getMessage(), e);
    }
    return new Dashboard(app);
  }

  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
  }

  private static void checkToken(Context ctx, String token) {
    String header = ctx.header("Authorization");
    String given = header != null && header.startsWith("Bearer ") ? header.substring(7) : ctx.queryParam("token");
    if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
        token.getBytes(StandardCharsets.UTF_8))) {
      throw new HttpProblem(401, "a valid token is needed (Authorization: Bearer TOKEN or ?token=TOKEN)");
    }
  }

  /** Refuses a request whose declared body is larger than an image upload may be. */
  private static void checkSize(Context ctx) {
    if (ctx.contentLength() > ModelsApi.MAX_UPLOAD_BYTES + 65536L) {
      throw new HttpProblem(413, "the upload is larger than " + (ModelsApi.MAX_UPLOAD_BYTES >> 20) + " MB");
    }
  }

  private static void error(Context ctx, int status, String message) {
    ctx.status(status).json(Map.of("error", message == null ? "error" : message));
  }

  private static Throwable rootCause(Throwable e) {
    while (e.getCause() != null && e.getCause() != e) {
      e = e.getCause();
    }
    return e;
  }
}
