package io.streamback.bench.report;

import java.util.List;

/**
 * What one scenario measured.
 *
 * @param id       stable name, e.g. {@code rpc-sequential}
 * @param size     the work done, e.g. {@code 2 x 2,000 calls per side}
 * @param headline the scenario's main figure; also one of {@code figures}
 */
public record ScenarioResult(String id, String title, String size, Figure headline, List<Figure> figures,
                             List<TargetCheck> targets) {

    public ScenarioResult {
        figures = List.copyOf(figures);
        targets = List.copyOf(targets);
        if (!figures.contains(headline)) {
            throw new IllegalArgumentException("the headline must be one of the figures");
        }
    }
}
