package io.streamback.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Optional;

/**
 * Where the streams URL lives: a key of a Secret in the resource's own namespace. The operator
 * hands it to the worker as a {@code secretKeyRef} environment variable; it never reads the
 * value into a Deployment or CronJob. {@code caKey} optionally names a key of the same Secret
 * holding the PEM certificates TLS trusts, mounted into the pods as a file.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StreamsSecretRef {

    /** The key a Secret holds the streams URL under when the resource names no other. */
    public static final String DEFAULT_KEY = "streams";

    @Required
    @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
    @JsonPropertyDescription("Name of the Secret, in the resource's namespace, that holds the streams URL.")
    private String name;

    @Default(DEFAULT_KEY)
    @Pattern("^[-._a-zA-Z0-9]+$")
    @JsonPropertyDescription("Key of the Secret whose value is the streams URL, e.g. "
            + "main=kafka://kafka:9092&feedback=redis://redis:6379. Default: streams.")
    private String key;

    @Pattern("^[-._a-zA-Z0-9]+$")
    @JsonPropertyDescription("Key of the same Secret whose value is the PEM certificate(s) of the authority that "
            + "signed the Kafka and Redis servers' TLS certificates. The operator mounts it into the worker pods "
            + "and sets STREAMBACK_CA_FILE, which serves as the streams URL's ca_file; it also uses it to read "
            + "the lag for autoscaling. Leave ca_file out of the URL. Default: none (the JVM's trusted CAs).")
    private String caKey;

    public StreamsSecretRef() {
    }

    public StreamsSecretRef(String name, String key) {
        this.name = name;
        this.key = key;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getKey() {
        return key;
    }

    public void setKey(String key) {
        this.key = key;
    }

    public String getCaKey() {
        return caKey;
    }

    public void setCaKey(String caKey) {
        this.caKey = caKey;
    }

    /** The key of the CA certificates, if the resource names one. */
    public Optional<String> caKeyIfSet() {
        return Optional.ofNullable(caKey).filter(k -> !k.isBlank());
    }

    /** The key to read, with the default applied. */
    public String keyOrDefault() {
        return key == null || key.isBlank() ? DEFAULT_KEY : key;
    }
}
