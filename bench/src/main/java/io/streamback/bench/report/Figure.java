package io.streamback.bench.report;

/**
 * One measured quantity, for both sides.
 *
 * @param name           e.g. {@code p50}
 * @param unit           e.g. {@code ms}, {@code records/s}, {@code MB}
 * @param higherIsBetter true for throughput, false for latency and memory
 */
public record Figure(String name, String unit, boolean higherIsBetter, double streamback, double baseline) {

    /**
     * Streamback's figure over the baseline's; null when that means nothing: either is zero or
     * negative (a memory increment lost in the noise) or not a number.
     */
    public Double ratio() {
        return baseline > 0 && streamback > 0 && Double.isFinite(streamback) && Double.isFinite(baseline)
                ? streamback / baseline : null;
    }
}
