package org.kaffee.serve;

/** A request the dashboard refuses: the HTTP status and the one-line message sent back. */
final class HttpProblem extends RuntimeException {
  final int status;

  HttpProblem(int status, String message) {
    super(message);
    this.status = status;
  }

  static HttpProblem badRequest(String message) {
    return new HttpProblem(400, message);
  }

  static HttpProblem notFound(String message) {
    return new HttpProblem(404, message);
  }
}
