package io.streamback.operator.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The CRDs of this operator: generated from the Java types by the fabric8 CRD generator, and
 * checked in at the repository root in {@code crds/}.
 */
public final class CrdFiles {

    /** The custom resource types, each with the file its CRD is written to. */
    public static final Map<Class<? extends HasMetadata>, String> FILES = Map.of(
            StreambackListener.class, "streambacklisteners.streamback.io-v1.yml",
            StreambackSchedule.class, "streambackschedules.streamback.io-v1.yml");

    private CrdFiles() {
    }

    /** The checked-in {@code crds/} folder (set by the build; falls back to the repository layout). */
    public static Path checkedInDir() {
        return Path.of(System.getProperty("streamback.crds.dir", "../crds"));
    }

    /** Generates both CRDs into {@code dir}. */
    public static void generate(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        new CRDGenerator()
                .customResourceClasses(List.copyOf(FILES.keySet()))
                .forCRDVersions("v1")
                .withParallelGenerationEnabled(false)
                .withPostProcessor(new CRDPostProcessor() {
                    @Override
                    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
                        return inDeclaredColumnOrder((CustomResourceDefinition) crd);
                    }
                })
                .inOutputDir(dir.toFile())
                .generate();
    }

    /** Reads a checked-in CRD. */
    public static CustomResourceDefinition load(Class<? extends HasMetadata> type) {
        try (InputStream in = Files.newInputStream(checkedInDir().resolve(FILES.get(type)))) {
            return Serialization.unmarshal(in, CustomResourceDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The generator sorts printer columns by JSON path, which would put Age first: this puts them
     * back in the order the {@link AdditionalPrinterColumn} annotations are written in.
     */
    private static HasMetadata inDeclaredColumnOrder(CustomResourceDefinition crd) {
        Class<?> type = FILES.keySet().stream()
                .filter(t -> t.getSimpleName().equals(crd.getSpec().getNames().getKind()))
                .findFirst().orElseThrow();
        List<String> declared = Arrays.stream(type.getAnnotationsByType(AdditionalPrinterColumn.class))
                .map(AdditionalPrinterColumn::name)
                .toList();
        for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
            version.getAdditionalPrinterColumns()
                    .sort(Comparator.comparingInt((CustomResourceColumnDefinition c) -> declared.indexOf(c.getName())));
        }
        return crd;
    }
}
