package io.tracetics.benchmarks;

/**
 * The ingest benchmark's options, from {@code bench.*} system properties (see
 * benchmarks/README.md).
 *
 * @param seconds per closed-loop measurement ({@code bench.seconds}, 4)
 * @param runs repetitions of each row, median reported ({@code bench.runs}, 3)
 * @param pacedSeconds per paced measurement ({@code bench.pacedSeconds}, 10: a p99 over a few
 *     seconds of paced load is one stall's worth)
 * @param sustainedSeconds per measurement of the sustained section ({@code bench.sustainedSeconds},
 *     60; 0 leaves it out)
 * @param batch events per batch request ({@code bench.batchSize}, 100)
 * @param warmupRounds least rounds of 2 s per request kind before measuring ({@code
 *     bench.warmupRounds}, 5)
 * @param warmupMaxSeconds most seconds of warm-up ({@code bench.warmupMaxSeconds}, 300)
 * @param warmupCompilerPercent warm-up ends when the JIT compiler threads used less of a core
 *     during a round ({@code bench.warmupCompilerPercent}, 2)
 * @param dbUrl the real service's database, dropped and created again ({@code bench.dbUrl})
 * @param redisUrl {@code bench.redisUrl}
 * @param writers the service's {@code ingest.writerThreads} ({@code bench.writerThreads}, 4)
 * @param pacedRates "single requests/s,batch events/s": only the paced loads at these rates, a
 *     probe of what moves their p99, not a report run ({@code bench.pacedRates}, empty)
 */
record IngestSettings(
    int seconds,
    int runs,
    int pacedSeconds,
    int sustainedSeconds,
    int batch,
    int warmupRounds,
    int warmupMaxSeconds,
    double warmupCompilerPercent,
    String dbUrl,
    String redisUrl,
    int writers,
    String pacedRates) {

  static IngestSettings fromSystemProperties() {
    return new IngestSettings(
        Integer.getInteger("bench.seconds", 4),
        Integer.getInteger("bench.runs", 3),
        Integer.getInteger("bench.pacedSeconds", 10),
        Integer.getInteger("bench.sustainedSeconds", 60),
        Integer.getInteger("bench.batchSize", 100),
        Integer.getInteger("bench.warmupRounds", 5),
        Integer.getInteger("bench.warmupMaxSeconds", 300),
        Double.parseDouble(System.getProperty("bench.warmupCompilerPercent", "2")),
        System.getProperty(
            "bench.dbUrl", "jdbc:mariadb://127.0.0.1:3306/bench_ingest?sslMode=disable"),
        System.getProperty("bench.redisUrl", "redis://127.0.0.1:6379"),
        Integer.getInteger("bench.writerThreads", 4),
        System.getProperty("bench.pacedRates", ""));
  }

  /** The floor server's database: the real one's name with {@code _floor}. */
  String floorDbUrl() {
    int query = dbUrl.indexOf('?');
    return query < 0
        ? dbUrl + "_floor"
        : dbUrl.substring(0, query) + "_floor" + dbUrl.substring(query);
  }
}
