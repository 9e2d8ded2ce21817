package io.streamback.examples.spring;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/** An ordinary Spring service, injected into the listeners like into any other bean. */
@Service
public class Greeter {
    private final String salutation;

    public Greeter(@Value("${example.salutation:Hello}") String salutation) {
        this.salutation = salutation;
    }

    public String greet(String name) {
        return salutation + ", " + name + "!";
    }
}
