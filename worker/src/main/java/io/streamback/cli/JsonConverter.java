package io.streamback.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.streamback.internal.wire.WireFormat;
import picocli.CommandLine;

/** Reads a JSON value given on the command line, saying where it goes wrong. */
final class JsonConverter implements CommandLine.ITypeConverter<JsonNode> {
    private static final ObjectReader READER = WireFormat.mapper().reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @Override
    public JsonNode convert(String text) {
        JsonNode value;
        try {
            value = READER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not JSON: " + problem(e));
        }
        if (value == null || value.isMissingNode()) {
            throw new CommandLine.TypeConversionException("it is empty; give a JSON value, e.g. '{\"id\": 1}' or null");
        }
        return value;
    }

    /** Jackson's own words, after the line and column where it stopped. */
    static String problem(JsonProcessingException e) {
        return location(e) + e.getOriginalMessage();
    }

    /** "at line L, column C: ", where Jackson stopped; empty when it does not say. */
    static String location(JsonProcessingException e) {
        JsonLocation where = e.getLocation();
        return where == null ? "" : "at line " + where.getLineNr() + ", column " + where.getColumnNr() + ": ";
    }
}
