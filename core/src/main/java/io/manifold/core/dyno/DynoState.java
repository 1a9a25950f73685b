package io.manifold.core.dyno;

/** The states Heroku reports for a dyno, with the words it logs for them. */
public enum DynoState {
  STARTING("starting"),
  UP("up"),
  CRASHED("crashed"),
  DOWN("down"),
  /** A one-off dyno whose command has ended; it is then gone. */
  COMPLETE("complete");

  private final String word;

  DynoState(String word) {
    this.word = word;
  }

  /** As in {@code State changed from starting to up}. */
  public String word() {
    return word;
  }

  @Override
  public String toString() {
    return word;
  }
}
