package io.manifold.core.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.manifold.core.InputException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvFileTest {

  @Test
  void readsBareQuotedAndExportedValues() {
    Map<String, String> env = EnvFile.parse(".env", """
        # config
        PLAIN=hello world   # a comment
        export EXPORTED=yes
        SINGLE='literal \\n $HOME'
        DOUBLE="line1\\nline2 \\"quoted\\""
        EMPTY=
        URL=postgres://u:p@host:5432/db#frag
        """);
    assertEquals("hello world", env.get("PLAIN"));
    assertEquals("yes", env.get("EXPORTED"));
    assertEquals("literal \\n $HOME", env.get("SINGLE"));
    assertEquals("line1\nline2 \"quoted\"", env.get("DOUBLE"));
    assertEquals("", env.get("EMPTY"));
    assertEquals("postgres://u:p@host:5432/db#frag", env.get("URL"));
  }

  @Test
  void aBadLineIsAnErrorNamingFileAndLine() {
    InputException e = assertThrows(InputException.class, () -> EnvFile.parse("app/.env", "A=1\nnot a var\n"));
    assertEquals("app/.env:2", e.place());
    assertTrue(e.getMessage().contains("expected KEY=value"), e.getMessage());
  }

  @Test
  void anUnclosedQuoteIsAnError() {
    InputException e = assertThrows(InputException.class, () -> EnvFile.parse(".env", "A=\"open\n"));
    assertEquals(".env:1", e.place());
    assertTrue(e.getMessage().contains("closing \""), e.getMessage());
  }

  @Test
  void aKeyStartingWithADigitIsAnError() {
    assertEquals(".env:1", assertThrows(InputException.class, () -> EnvFile.parse(".env", "1A=x")).place());
  }
}
