package io.tracetics.queue;

/**
 * Where a committed ingest batch is announced to the loader. A notice only makes the loader come
 * sooner: it also finds new batches by scanning MariaDB, which is how it finds what the importer
 * writes (an operator command without Redis, announcing nothing).
 */
@FunctionalInterface
public interface IngestNotices {
  /** The importer's: no notices. */
  IngestNotices NONE = notice -> {};

  /** Announces a batch; never blocks and never fails the caller. */
  void publish(IngestNoticePublisher.Notice notice);
}
