package io.tracetics.engine.store;

import java.util.Arrays;
import java.util.List;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;

/** Fixed SQL of the engine, kept in {@code .sql} files under {@code io/tracetics/engine/sql/}. */
public final class SqlResources {
  private static final ClasspathSqlLocator LOCATOR = ClasspathSqlLocator.create();

  private SqlResources() {}

  /** The text of {@code io/tracetics/engine/sql/<name>.sql}, comments removed. */
  public static String get(String name) {
    return LOCATOR.getResource(
        SqlResources.class.getClassLoader(), "io/tracetics/engine/sql/" + name + ".sql");
  }

  /** A file holding several statements separated by {@code ;} at line ends. */
  public static List<String> statements(String name) {
    return Arrays.stream(get(name).split(";\\s*(\\n|$)"))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
  }
}
