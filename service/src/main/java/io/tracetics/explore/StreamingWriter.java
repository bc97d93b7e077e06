package io.tracetics.explore;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

/**
 * A writer of one answer type that streams it to the client in one format (the subclass's
 * {@code @Produces}): the base of the SQL and actors answers' JSON, CSV and Arrow writers.
 */
public abstract class StreamingWriter<T> implements MessageBodyWriter<T> {
  private final Class<T> type;

  protected StreamingWriter(Class<T> type) {
    this.type = type;
  }

  @Override
  public boolean isWriteable(
      Class<?> c, Type genericType, Annotation[] annotations, MediaType mediaType) {
    return type.isAssignableFrom(c);
  }

  @Override
  public void writeTo(
      T answer,
      Class<?> c,
      Type genericType,
      Annotation[] annotations,
      MediaType mediaType,
      MultivaluedMap<String, Object> httpHeaders,
      OutputStream out)
      throws IOException {
    write(answer, out);
  }

  /** Writes the whole answer, releasing what it holds when done (or failed). */
  protected abstract void write(T answer, OutputStream out) throws IOException;
}
