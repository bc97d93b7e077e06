package io.tracetics.db;

import io.tracetics.ids.AppId;
import io.tracetics.ids.TenantId;
import java.sql.Types;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;

/** Teaches Jdbi the service's typed ids, so DAOs take {@code TenantId} and {@code AppId}. */
public final class JdbiSetup {
  private JdbiSetup() {}

  public static Jdbi configure(Jdbi jdbi) {
    jdbi.registerArgument(
        new AbstractArgumentFactory<TenantId>(Types.BIGINT) {
          @Override
          protected Argument build(TenantId value, ConfigRegistry config) {
            return (position, statement, ctx) -> statement.setLong(position, value.value());
          }
        });
    jdbi.registerArgument(
        new AbstractArgumentFactory<AppId>(Types.BIGINT) {
          @Override
          protected Argument build(AppId value, ConfigRegistry config) {
            return (position, statement, ctx) -> statement.setLong(position, value.value());
          }
        });
    jdbi.registerColumnMapper(
        TenantId.class,
        (rs, column, ctx) -> nullable(rs.getLong(column), rs.wasNull(), TenantId::new));
    jdbi.registerColumnMapper(
        AppId.class, (rs, column, ctx) -> nullable(rs.getLong(column), rs.wasNull(), AppId::new));
    return jdbi;
  }

  private static <T> T nullable(
      long value, boolean wasNull, java.util.function.LongFunction<T> make) {
    return wasNull ? null : make.apply(value);
  }
}
