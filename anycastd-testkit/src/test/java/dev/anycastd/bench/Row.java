package dev.anycastd.bench;

/** One line of the results table. */
record Row(String measurement, String figure, String target) {
}
