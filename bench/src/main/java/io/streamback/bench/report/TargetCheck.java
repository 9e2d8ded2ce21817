package io.streamback.bench.report;

import java.util.Locale;

/**
 * One of the targets, checked against this run's figures.
 *
 * @param target   e.g. {@code RPC p50 <= 1.3x baseline}
 * @param measured what this run got, e.g. {@code 1.21x}
 */
public record TargetCheck(String target, String measured, boolean met) {

    /** A target on Streamback's figure relative to the baseline's: ratio at most {@code max}. */
    public static TargetCheck ratioAtMost(String target, Figure figure, double max) {
        Double ratio = figure.ratio();
        return new TargetCheck(target, ratio == null ? "n/a" : String.format(Locale.ROOT, "%.3fx", ratio), ratio != null && ratio <= max);
    }

    /** Ratio at least {@code min}. */
    public static TargetCheck ratioAtLeast(String target, Figure figure, double min) {
        Double ratio = figure.ratio();
        return new TargetCheck(target, ratio == null ? "n/a" : String.format(Locale.ROOT, "%.3fx", ratio), ratio != null && ratio >= min);
    }

    /** Streamback's own figure at least {@code min}. */
    public static TargetCheck atLeast(String target, Figure figure, double min) {
        return new TargetCheck(target, Report.format(figure.streamback()) + " " + figure.unit(), figure.streamback() >= min);
    }

    /** Streamback's own figure at most {@code max}. */
    public static TargetCheck atMost(String target, Figure figure, double max) {
        return new TargetCheck(target, Report.format(figure.streamback()) + " " + figure.unit(), figure.streamback() <= max);
    }
}
