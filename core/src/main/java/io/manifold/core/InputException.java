package io.manifold.core;

/**
 * Bad input from a person: a Procfile, an env file, a flag, a request. The message names the
 * place (file and line, flag or field) and what was expected, so that it can be shown as is.
 */
public class InputException extends RuntimeException {
  private final String place;

  public InputException(String place, String problem) {
    super(place + ": " + problem);
    this.place = place;
  }

  /** Where the bad input is: {@code Procfile:3}, {@code --formation}, {@code .env:7}. */
  public String place() {
    return place;
  }
}
