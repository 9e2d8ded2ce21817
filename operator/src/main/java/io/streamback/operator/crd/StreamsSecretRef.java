package io.streamback.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * Where the streams URL lives: a key of a Secret in the resource's own namespace. The operator
 * hands it to the worker as a {@code secretKeyRef} environment variable; it never reads the
 * value into a Deployment or CronJob.
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

    /** The key to read, with the default applied. */
    public String keyOrDefault() {
        return key == null || key.isBlank() ? DEFAULT_KEY : key;
    }
}
