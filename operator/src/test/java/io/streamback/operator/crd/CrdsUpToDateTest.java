package io.streamback.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CRDs checked in under {@code crds/} are what the Java types generate. After changing a type,
 * regenerate them with:
 *
 * <pre>mvn -pl operator test -Dtest=CrdsUpToDateTest -Dstreamback.crds.update=true</pre>
 */
class CrdsUpToDateTest {

    @Test
    void checkedInCrdsMatchTheJavaTypes(@TempDir Path generated) throws IOException {
        CrdFiles.generate(generated);
        boolean update = Boolean.getBoolean("streamback.crds.update");
        for (String file : CrdFiles.FILES.values()) {
            Path fresh = generated.resolve(file);
            Path checkedIn = CrdFiles.checkedInDir().resolve(file);
            if (update) {
                Files.createDirectories(checkedIn.getParent());
                Files.copy(fresh, checkedIn, StandardCopyOption.REPLACE_EXISTING);
            }
            assertThat(checkedIn)
                    .as("crds/%s is stale: regenerate it with "
                            + "mvn -pl operator test -Dtest=CrdsUpToDateTest -Dstreamback.crds.update=true", file)
                    .exists()
                    .hasSameTextualContentAs(fresh);
        }
    }
}
