package io.manifold.scenarios.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FieldsTest {

  private static Fields read(String yaml, Problems problems) {
    return Fields.root(YamlLoader.parse(yaml, "f.yaml"), problems);
  }

  @Test
  void valuesAreReadWithTheirTypesAndDefaults() {
    Problems p = new Problems();
    Fields f = read("name: x\ncount: 3\nshare: 0.5\nnested:\n  flag: true\nlist: [a, b]\n", p);
    assertEquals("x", f.text("name"));
    assertEquals(3L, f.integer("count", 1, 10, null));
    assertEquals(0.5, f.number("share", 0, 1, null));
    assertEquals(7L, f.integer("absent", 1, 10, 7L));
    assertEquals("true", f.map("nested").text("flag"));
    assertEquals(2, f.list("list").size());
    f.rejectUnknown();
    assertTrue(p.isEmpty());
  }

  @Test
  void everyProblemNamesFileLineColumnFieldAndWhatWasExpected() {
    Problems p = new Problems();
    Fields f = read("count: lots\nshare: 7\nnested: [1]\nreplicatoins: 3\n", p);
    assertNull(f.integer("count", 1, 10, null));
    f.number("share", 0, 1, null);
    f.map("nested");
    f.integer("replications", 1, 10, 5L);
    f.rejectUnknown();
    YamlException e = assertThrows(YamlException.class, p::throwIfAny);
    List<String> lines = e.getMessage().lines().toList();
    assertEquals(List.of(
        "f.yaml:1:8: count: expected a whole number but found 'lots'",
        "f.yaml:2:8: share: expected a number from 0 to 1 but found 7",
        "f.yaml:3:9: nested: expected a map of fields but found a list",
        "f.yaml:4:1: replicatoins: unknown field; did you mean 'replications'?"), lines);
    assertEquals("f.yaml:1:8", e.place());
  }

  @Test
  void anUnknownFieldFarFromAnyKnownOneListsTheKnownOnes() {
    Problems p = new Problems();
    Fields f = read("colour: red\n", p);
    f.text("name");
    f.text("seed");
    f.rejectUnknown();
    YamlException e = assertThrows(YamlException.class, p::throwIfAny);
    assertEquals("f.yaml:1:1: colour: unknown field; expected one of name, seed", e.getMessage());
  }

  @Test
  void syntaxErrorsDuplicateKeysAndEmptyFilesArePlaced() {
    YamlException syntax = assertThrows(YamlException.class, () -> YamlLoader.parse("a: [1, 2\nb: 3\n", "s.yaml"));
    assertTrue(syntax.getMessage().startsWith("s.yaml:"), syntax.getMessage());
    assertTrue(syntax.getMessage().contains("not valid YAML"), syntax.getMessage());
    YamlException twice = assertThrows(YamlException.class, () -> YamlLoader.parse("a: 1\nb: 2\na: 3\n", "d.yaml"));
    assertEquals("d.yaml:3:1: 'a' is given twice (first at line 1)", twice.getMessage());
    YamlException empty = assertThrows(YamlException.class, () -> YamlLoader.parse("", "e.yaml"));
    assertTrue(empty.getMessage().startsWith("e.yaml:1:1: the file is empty"), empty.getMessage());
    Problems p = new Problems();
    Fields.root(YamlLoader.parse("- a\n- b\n", "l.yaml"), p);
    assertEquals("l.yaml:1:1: expected a map of fields at the top of the file, but found a list",
        assertThrows(YamlException.class, p::throwIfAny).getMessage());
  }

  @Test
  void nearMissesAreSuggested() {
    assertEquals("policy", Fields.nearest("polciy", List.of("policy", "nodes")));
    assertEquals("router-nodes", Fields.nearest("router-node", List.of("dynos", "router-nodes")));
    assertNull(Fields.nearest("banana", List.of("policy", "nodes")));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Fields.choice("least-connection", List.of("random", "least-connections")));
    assertEquals("expected one of random, least-connections but found 'least-connection'; did you mean 'least-connections'?", e.getMessage());
  }
}
