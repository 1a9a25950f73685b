package io.manifold.http.api;

/**
 * A request the API refuses, with Heroku's error id and status: the body is
 * {@code {"id": ..., "message": ...}}. Thrown by the routes' parsing code, turned into a response
 * in one place.
 */
final class ApiError extends RuntimeException {
  final int status;
  final String id;

  ApiError(int status, String id, String message) {
    super(message, null, false, false);
    this.status = status;
    this.id = id;
  }

  static ApiError badRequest(String message) {
    return new ApiError(400, "bad_request", message);
  }

  static ApiError invalidParams(String message) {
    return new ApiError(422, "invalid_params", message);
  }

  static ApiError notFound(String resource) {
    return new ApiError(404, "not_found", "Couldn't find that " + resource + ".");
  }

  /** The status for one of Heroku's error ids, as the app answers them. */
  static int statusOf(String id) {
    return switch (id) {
      case "bad_request" -> 400;
      case "unauthorized" -> 401;
      case "forbidden" -> 403;
      case "not_found" -> 404;
      case "conflict" -> 409;
      case "invalid_params" -> 422;
      case "rate_limit" -> 429;
      case "service_unavailable" -> 503;
      default -> 500;
    };
  }
}
