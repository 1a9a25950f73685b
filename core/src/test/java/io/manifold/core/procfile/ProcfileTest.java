package io.manifold.core.procfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.manifold.core.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcfileTest {

  @Test
  void readsProcessTypesInFileOrderSkippingCommentsAndBlankLines() {
    Procfile p = Procfile.parse("Procfile", """
        # the app
        web: java -cp a:b Web

        worker:   bundle exec sidekiq -c 5  \r
        clock:python clock.py
        release: ./migrate
        """);
    assertEquals(List.of("web", "worker", "clock", "release"), p.processTypes().stream().map(ProcessType::name).toList());
    assertEquals("java -cp a:b Web", p.processType("web").orElseThrow().command());
    assertEquals("bundle exec sidekiq -c 5", p.processType("worker").orElseThrow().command());
    assertEquals("python clock.py", p.processType("clock").orElseThrow().command());
    assertTrue(p.processType("web").orElseThrow().isWeb());
    assertTrue(!p.processType("release").orElseThrow().inFormation());
    assertTrue(p.warnings().isEmpty());
  }

  @Test
  void aLineWithoutColonIsAnErrorNamingFileAndLine() {
    InputException e = assertThrows(InputException.class, () -> Procfile.parse("app/Procfile", "web: ok\n\nworker run.sh\n"));
    assertEquals("app/Procfile:3", e.place());
    assertTrue(e.getMessage().contains("expected '<process type>: <command>'"), e.getMessage());
    assertTrue(e.getMessage().contains("worker run.sh"), e.getMessage());
  }

  @Test
  void aBadProcessTypeNameIsAnError() {
    InputException e = assertThrows(InputException.class, () -> Procfile.parse("Procfile", "web: a\nwe*b: b\n"));
    assertEquals("Procfile:2", e.place());
    assertTrue(e.getMessage().contains("process type name"), e.getMessage());
  }

  @Test
  void aMissingNameOrCommandIsAnError() {
    assertEquals("Procfile:1", assertThrows(InputException.class, () -> Procfile.parse("Procfile", ": cmd")).place());
    InputException e = assertThrows(InputException.class, () -> Procfile.parse("Procfile", "web:   \n"));
    assertTrue(e.getMessage().contains("expected a command after 'web:'"), e.getMessage());
  }

  @Test
  void aTypeDefinedTwiceKeepsTheLastCommandWithAWarning() {
    Procfile p = Procfile.parse("Procfile", "web: one\nworker: w\nweb: two\n");
    assertEquals("two", p.processType("web").orElseThrow().command());
    assertEquals(1, p.warnings().size());
    assertTrue(p.warnings().get(0).startsWith("Procfile:3:"), p.warnings().get(0));
  }

  @Test
  void tooManyProcessTypesAreRefused() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i <= Procfile.MAX_PROCESS_TYPES; i++) {
      b.append("t").append(i).append(": run\n");
    }
    InputException e = assertThrows(InputException.class, () -> Procfile.parse("Procfile", b.toString()));
    assertEquals("Procfile:" + (Procfile.MAX_PROCESS_TYPES + 1), e.place());
  }

  @Test
  void aMissingProcfileIsAnErrorNamingThePath(@TempDir Path dir) {
    InputException e = assertThrows(InputException.class, () -> Procfile.read(dir));
    assertEquals(dir.resolve("Procfile").toString(), e.place());
    assertTrue(e.getMessage().contains("no Procfile"), e.getMessage());
  }

  @Test
  void readsAProcfileFromADirectory(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("Procfile"), "web: ./server\n");
    Procfile p = Procfile.read(dir);
    assertEquals(dir.resolve("Procfile").toString(), p.source());
    assertEquals("./server", p.processType("web").orElseThrow().command());
  }
}
