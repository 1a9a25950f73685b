package io.manifold.cli;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import picocli.CommandLine;

/** Durations as in Manifold's config: {@code 30s}, {@code 500ms}, {@code 2m}. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    try {
      Duration d = ConfigFactory.parseString("d = \"" + value.replace("\"", "") + "\"").getDuration("d");
      if (d.isNegative()) {
        throw new CommandLine.TypeConversionException("expected a duration of zero or more, such as 30s, but found '" + value + "'");
      }
      return d;
    } catch (ConfigException e) {
      throw new CommandLine.TypeConversionException("expected a duration such as 30s, 500ms or 2m, but found '" + value + "'");
    }
  }
}
